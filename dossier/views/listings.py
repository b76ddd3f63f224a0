"""Listing pages: home (paginated), tags, the monthly archive (sources and quotes: views/sources.py, views/quotes.py)."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.briefing import Briefing
from dossier.dates import PartialDate
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


def plan_search(site: Site) -> list[Page]:
    return [Page("search/index.html", "search.html", "Search")]
