"""Quotes by speaker: /quotes/ lists who spoke (with their latest words), and
/quotes/<speaker>/ (paginated when long) each one's quotes, oldest first.

A speaker the registry knows is at its entity id and links to its entity page."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.entities import Party
from dossier.facts import QuoteEntry
from dossier.page import Page
from dossier.site import Site
from dossier.views import split
from dossier.views.split import paginate, party_slugs, titled

QUOTES_PER_PAGE = 100  # ~500 bytes and ~7 elements each


@dataclass(frozen=True, slots=True)
class Speaker:
    """One speaker's quotes; speakers come in the site's order (people by family name)."""

    speaker: Party
    slug: str
    quotes: tuple[QuoteEntry, ...]

    @property
    def url_path(self) -> str:
        return f"quotes/{self.slug}/"

    @property
    def latest(self) -> QuoteEntry:
        """The last dated quote (quotes come oldest first, undated ones last)."""
        dated = [q for q in self.quotes if q.quote.date]
        return dated[-1] if dated else self.quotes[-1]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.role for q in self.quotes if q.role))


def group_speakers(quotes: tuple[QuoteEntry, ...]) -> tuple[Speaker, ...]:
    found: dict[Party, list[QuoteEntry]] = {}
    for q in quotes:
        found.setdefault(q.speaker, []).append(q)
    slugs = party_slugs(found)
    return tuple(Speaker(p, slugs[p], tuple(group)) for p, group in found.items())


def plan_quotes(site: Site) -> list[Page]:
    speakers = group_speakers(site.quotes)
    pages = [
        Page(
            path + "index.html",
            "quotes.html",
            titled("Quotes", pager),
            items=chunk,
            data={"pager": pager},
        )
        for path, chunk, pager in paginate("quotes/", speakers, split.OVERVIEW_PER_PAGE)
    ]
    for s in speakers:
        for path, chunk, pager in paginate(s.url_path, s.quotes, QUOTES_PER_PAGE):
            pages.append(
                Page(
                    path + "index.html",
                    "quotes_speaker.html",
                    titled(f"Quotes: {s.speaker.name}", pager),
                    items=chunk,
                    data={"speaker": s, "pager": pager},
                )
            )
    return pages
