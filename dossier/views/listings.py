"""Listing pages: home (paginated), tags, the monthly archive, sources, publishers, quotes."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.briefing import Briefing, slugify
from dossier.dates import PartialDate
from dossier.entities import Party
from dossier.facts import QuoteEntry, SourceEntry
from dossier.page import Page
from dossier.site import Site


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    previous: str | None  # site paths ('' is the home page)
    next: str | None


def home_path(number: int) -> str:
    return "" if number == 1 else f"page/{number}/"


def plan_home(site: Site) -> list[Page]:
    """The latest briefings, ``page_size`` per page: /, /page/2/, /page/3/ …"""
    size = site.config.page_size
    chunks = [site.briefings[i : i + size] for i in range(0, len(site.briefings), size)] or [()]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        pagination = Pagination(
            n,
            len(chunks),
            home_path(n - 1) if n > 1 else None,
            home_path(n + 1) if n < len(chunks) else None,
        )
        title = site.config.title if n == 1 else f"{site.config.title}, page {n}"
        pages.append(
            Page(
                home_path(n) + "index.html",
                "index.html",
                title,
                items=chunk,
                data={"pagination": pagination},
            )
        )
    return pages


@dataclass(frozen=True, slots=True)
class MonthArchive:
    month: PartialDate
    briefings: tuple[Briefing, ...]

    @property
    def anchor(self) -> str:
        return f"m-{self.month.isoformat()}"


def plan_tags(site: Site) -> list[Page]:
    pages = [Page("tags/index.html", "tags.html", "Tags")]
    for tag, briefings in site.tags.items():
        name = site.tag_names.get(tag, tag)
        pages.append(
            Page(
                f"tags/{tag}/index.html",
                "tag.html",
                f"Tag: {name}",
                items=briefings,
                data={"tag": tag, "tag_name": name},
            )
        )
    return pages


def plan_archive(site: Site) -> list[Page]:
    months: dict[PartialDate, list[Briefing]] = {}
    for b in site.briefings:
        months.setdefault(PartialDate(b.date.year, b.date.month), []).append(b)
    items = tuple(MonthArchive(m, tuple(bs)) for m, bs in sorted(months.items(), reverse=True))
    return [Page("archive/index.html", "archive.html", "Archive", items=items)]


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    anchor: str
    sources: tuple[SourceEntry, ...]
    entity: str | None = None  # its entity id, when the registry has it


def group_publishers(site: Site) -> tuple[Publisher, ...]:
    found: dict[str, list[SourceEntry]] = {}
    entities: dict[str, str | None] = {}
    for entry in site.sources:
        found.setdefault(entry.publisher.name, []).append(entry)
        entities[entry.publisher.name] = entry.publisher.entity
    used: set[str] = set()
    out = []
    for name in sorted(found, key=str.casefold):
        anchor = "pub-" + (slugify(name) or "publisher")
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        out.append(Publisher(name, anchor, tuple(found[name]), entities[name]))
    return tuple(out)


def plan_sources(site: Site) -> list[Page]:
    publishers = group_publishers(site)
    return [
        Page("sources/index.html", "sources.html", "Sources", items=publishers),
        Page("publishers/index.html", "publishers.html", "Publishers", items=publishers),
    ]


@dataclass(frozen=True, slots=True)
class Speaker:
    """One speaker's quotes; speakers come in the site's order (people by family name)."""

    speaker: Party
    anchor: str
    quotes: tuple[QuoteEntry, ...]


def group_speakers(quotes: tuple[QuoteEntry, ...]) -> tuple[Speaker, ...]:
    found: dict[tuple[str, str | None], list[QuoteEntry]] = {}
    for q in quotes:
        found.setdefault((q.speaker.name, q.speaker.entity), []).append(q)
    return tuple(
        Speaker(group[0].speaker, f"who-{n}", tuple(group))
        for n, group in enumerate(found.values(), 1)
    )


def plan_quotes(site: Site) -> list[Page]:
    return [Page("quotes/index.html", "quotes.html", "Quotes", items=group_speakers(site.quotes))]


def plan_search(site: Site) -> list[Page]:
    return [Page("search/index.html", "search.html", "Search")]
