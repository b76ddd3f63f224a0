"""Listing pages: home (paginated), tags, the monthly archive (sources and quotes: views/sources.py, views/quotes.py)."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.briefing import Briefing
from dossier.dates import PartialDate
from dossier.formatting import format_partial
from dossier.page import Page
from dossier.site import Site
from dossier.views.pagination import paginate
from dossier.views.timeline import MonthEntry  # a month, its count and its page


def plan_home(site: Site) -> list[Page]:
    """The latest briefings, ``page_size`` per page: /, /page/2/, /page/3/ …"""
    pages = []
    for p in paginate([("", None, site.briefings)], site.config.page_size):
        n = p.pagination.number
        title = site.config.title if n == 1 else f"{site.config.title}, page {n}"
        pages.append(
            Page(
                p.folder + "index.html",
                "index.html",
                title,
                items=p.items,
                data={"pagination": p.pagination},
            )
        )
    return pages


def plan_tags(site: Site) -> list[Page]:
    """The tags, and each tag's briefings, newest first, ``page_size`` a page:
    /tags/<tag>/, /tags/<tag>/page/2/ …"""
    pages = [Page("tags/index.html", "tags.html", "Tags")]
    for tag, briefings in site.tags.items():
        name = site.tag_names.get(tag, tag)
        for p in paginate([(f"tags/{tag}/", tag, briefings)], site.config.page_size):
            n = p.pagination.number
            pages.append(
                Page(
                    p.folder + "index.html",
                    "tag.html",
                    f"Tag: {name}" if n == 1 else f"Tag: {name}, page {n}",
                    items=p.items,
                    data={
                        "tag": tag,
                        "tag_name": name,
                        "count": len(briefings),
                        "pagination": p.pagination,
                    },
                )
            )
    return pages


# A briefing takes about 500 bytes of a listing; a month holds about 90 of 5,000
# briefings. 200 a page keeps even a crowded month far below 250 KB.
ARCHIVE_PAGE = 200


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    year: int
    count: int
    months: tuple[MonthEntry, ...]  # newest first


def archive_folder(month: PartialDate) -> str:
    return f"archive/{month.year:04d}/{month.month:02d}/"


def plan_archive(site: Site) -> list[Page]:
    """/archive/: years and months with their counts; /archive/<yyyy>/<mm>/: a month's
    briefings, newest first, ``ARCHIVE_PAGE`` a page; the months read as one series."""
    months: dict[PartialDate, list[Briefing]] = {}
    for b in site.briefings:
        months.setdefault(PartialDate(b.date.year, b.date.month), []).append(b)
    newest_first = sorted(months.items(), reverse=True)
    years: dict[int, list[MonthEntry]] = {}
    for m, bs in newest_first:
        years.setdefault(m.year, []).append(MonthEntry(m, len(bs), archive_folder(m)))
    overview = tuple(ArchiveYear(y, sum(m.count for m in ms), tuple(ms)) for y, ms in years.items())
    pages = [Page("archive/index.html", "archive.html", "Archive", items=overview)]
    series = paginate([(archive_folder(m), m, bs) for m, bs in newest_first], ARCHIVE_PAGE)
    for p in series:
        name = format_partial(p.key, site.language or site.config.language, site.config.date_format)
        n = p.pagination.number
        pages.append(
            Page(
                p.folder + "index.html",
                "archive_month.html",
                f"Archive: {name}" if n == 1 else f"Archive: {name}, page {n}",
                items=p.items,
                data={"month": p.key, "count": len(months[p.key]), "pagination": p.pagination},
            )
        )
    return pages


def plan_search(site: Site) -> list[Page]:
    return [Page("search/index.html", "search.html", "Search")]
