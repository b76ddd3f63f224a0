"""Sources by publisher: /sources/ lists the publishers, /sources/<publisher>/ (paginated
when long) each one's sources, and /publishers/ the publishers with the kinds they cover.

A publisher the registry knows is at its entity id and links to its entity page
(dossier/views/split.py makes the slugs)."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.entities import Party
from dossier.facts import SourceEntry
from dossier.page import Page
from dossier.site import Site
from dossier.views import split
from dossier.views.split import paginate, party_slugs, titled

SOURCES_PER_PAGE = 100  # ~400 bytes and ~8 elements each: a page stays near 50 KB


@dataclass(frozen=True, slots=True)
class Publisher:
    party: Party
    slug: str
    sources: tuple[SourceEntry, ...]

    @property
    def name(self) -> str:
        return self.party.name

    @property
    def entity(self) -> str | None:
        return self.party.entity

    @property
    def url_path(self) -> str:
        return f"sources/{self.slug}/"

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted({e.source.kind for e in self.sources}))


def group_publishers(site: Site) -> tuple[Publisher, ...]:
    """Every publisher with its sources (in the site's order), by case-folded name."""
    found: dict[Party, list[SourceEntry]] = {}
    for entry in site.sources:
        found.setdefault(entry.publisher, []).append(entry)
    slugs = party_slugs(found)
    return tuple(
        Publisher(p, slugs[p], tuple(found[p]))
        for p in sorted(found, key=lambda p: (p.name.casefold(), p.name, p.entity or ""))
    )


def plan_sources(site: Site) -> list[Page]:
    publishers = group_publishers(site)
    pages = []
    for base, template, title in (
        ("sources/", "sources.html", "Sources"),
        ("publishers/", "publishers.html", "Publishers"),
    ):
        for path, chunk, pager in paginate(base, publishers, split.OVERVIEW_PER_PAGE):
            pages.append(
                Page(
                    path + "index.html",
                    template,
                    titled(title, pager),
                    items=chunk,
                    data={"pager": pager},
                )
            )
    for p in publishers:
        for path, chunk, pager in paginate(p.url_path, p.sources, SOURCES_PER_PAGE):
            pages.append(
                Page(
                    path + "index.html",
                    "sources_publisher.html",
                    titled(f"Sources: {p.name}", pager),
                    items=chunk,
                    data={"publisher": p, "pager": pager},
                )
            )
    return pages
