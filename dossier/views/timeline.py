"""The timeline: every event once, on a page for its month, partial dates kept as written.

``/timeline/`` is an overview (years and months with their counts, the latest events);
``/timeline/<yyyy>/`` lists a year's months and the events known only to the year;
``/timeline/<yyyy>/<mm>/`` holds a month's events. A page holds at most ``PAGE_EVENTS``
events, the rest going to ``page/2/`` …; the year and month pages read as one series,
oldest first (docs/views.md, "The timeline at any size").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dossier.dates import PartialDate
from dossier.facts import EventFact
from dossier.formatting import format_partial
from dossier.page import Page
from dossier.site import Site
from dossier.views.pagination import Paged, paginate

# At 1,000 briefings an event takes about 260 bytes of a page; 400 of them stay far
# below the 250 KB a page may weigh, with room for events cited by many briefings.
PAGE_EVENTS = 400
LATEST_EVENTS = 10


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """Events of one month; ``month`` is a year-precision date for events known only to the year."""

    month: PartialDate
    events: tuple[EventFact, ...]

    @property
    def anchor(self) -> str:
        return f"m-{self.month.isoformat()}"


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True, slots=True)
class MonthEntry:
    """A month in an index: how many events, and the page that lists them first."""

    month: PartialDate  # year precision: the events known only to the year
    count: int
    folder: str

    @property
    def anchor(self) -> str:
        return f"m-{self.month.isoformat()}"


@dataclass(frozen=True, slots=True)
class YearEntry:
    year: int
    count: int
    folder: str
    months: tuple[MonthEntry, ...]  # the year-only events first, when there are any


@dataclass(frozen=True, slots=True)
class EventLink:
    """An event and the folder of the timeline page that lists it."""

    fact: EventFact
    folder: str


def group_events(events: Iterable[EventFact]) -> tuple[YearGroup, ...]:
    """Oldest first; within a year, events known only to the year come first.

    ``events`` come in ``site.events`` order (date, then id), or a subsequence of it: the
    order is kept, not sorted again (41 timelines of a 5,000-briefing site re-sorted it
    for a tenth of a second)."""
    by_month: dict[PartialDate, list[EventFact]] = {}
    for e in events:
        key = PartialDate(e.event.date.year, e.event.date.month)
        by_month.setdefault(key, []).append(e)
    years: dict[int, list[MonthGroup]] = {}
    for month, evs in sorted(by_month.items()):
        years.setdefault(month.year, []).append(MonthGroup(month, tuple(evs)))
    return tuple(YearGroup(y, tuple(ms)) for y, ms in sorted(years.items()))


def year_folder(year: int) -> str:
    return f"timeline/{year:04d}/"


def month_folder(month: PartialDate) -> str:
    """The page of a month's events (a year-precision date: the year's page)."""
    if not month.month:
        return year_folder(month.year)
    return f"timeline/{month.year:04d}/{month.month:02d}/"


def tag_events(site: Site, tag: str) -> tuple[EventFact, ...]:
    return events_by_tag(site).get(tag, ())


def events_by_tag(site: Site) -> dict[str, tuple[EventFact, ...]]:
    """Each tag's events in one pass over the events (not one pass per tag)."""
    tags_of = {id(b): tags for tags, b in _tagged(site)}
    out: dict[str, list[EventFact]] = {}
    for e in site.events:
        seen: set[str] = set()
        for b in e.briefings:
            for tag in tags_of.get(id(b), ()):
                if tag not in seen:
                    seen.add(tag)
                    out.setdefault(tag, []).append(e)
    return {tag: tuple(evs) for tag, evs in out.items()}


def _tagged(site: Site) -> list[tuple[tuple[str, ...], object]]:
    by_briefing: dict[int, list[str]] = {}
    objects: dict[int, object] = {}
    for tag, briefings in site.tags.items():
        for b in briefings:
            by_briefing.setdefault(id(b), []).append(tag)
            objects[id(b)] = b
    return [(tuple(tags), objects[i]) for i, tags in by_briefing.items()]


def timeline_series(
    years: Sequence[YearGroup],
) -> list[Paged[PartialDate, EventFact]]:
    """The year and month pages, oldest first: each year's page (its year-only events),
    then its months."""
    groups: list[tuple[str, PartialDate, Sequence[EventFact]]] = []
    for y in years:
        undated = [e for m in y.months if not m.month.month for e in m.events]
        groups.append((year_folder(y.year), PartialDate(y.year), undated))
        groups += [(month_folder(m.month), m.month, m.events) for m in y.months if m.month.month]
    return paginate(groups, PAGE_EVENTS)


def _entries(years: Sequence[YearGroup]) -> tuple[YearEntry, ...]:
    return tuple(
        YearEntry(
            y.year,
            sum(len(m.events) for m in y.months),
            year_folder(y.year),
            tuple(MonthEntry(m.month, len(m.events), month_folder(m.month)) for m in y.months),
        )
        for y in years
    )


def _month_title(site: Site, month: PartialDate) -> str:
    return format_partial(month, site.language or site.config.language, site.config.date_format)


def plan_timelines(site: Site) -> list[Page]:
    years = group_events(site.events)
    entries = _entries(years)
    series = timeline_series(years)
    folder_of = {e.id: p.folder for p in series for e in p.items}
    latest = tuple(EventLink(e, folder_of[e.id]) for e in reversed(site.events[-LATEST_EVENTS:]))
    pages = [
        Page(
            "timeline/index.html",
            "timeline.html",
            "Timeline",
            items=entries,
            data={"count": len(site.events), "latest": latest},
        )
    ]
    by_year = {y.year: y for y in entries}
    for p in series:
        month = p.key
        title = f"Timeline: {_month_title(site, month)}"
        if p.pagination.number > 1:
            title += f", page {p.pagination.number}"
        year = by_year[month.year]
        count = {m.month: m.count for m in year.months}.get(month, 0)
        pages.append(
            Page(
                p.folder + "index.html",
                "timeline_month.html" if month.month else "timeline_year.html",
                title,
                items=p.items,
                # a month's count, or the year's events known only to the year
                data={"pagination": p.pagination, "year": year, "month": month, "count": count},
            )
        )
    pages += plan_tag_timelines(site)
    return pages


def plan_tag_timelines(site: Site) -> list[Page]:
    """Each tag's events, oldest first, ``PAGE_EVENTS`` a page: /tags/<tag>/timeline/,
    /tags/<tag>/timeline/page/2/ …"""
    pages = []
    per_tag = events_by_tag(site)
    for tag in site.tags:
        events = per_tag.get(tag, ())
        name = site.tag_names.get(tag, tag)
        for p in paginate([(f"tags/{tag}/timeline/", tag, events)], PAGE_EVENTS):
            title = f"Timeline: {name}"
            if p.pagination.number > 1:
                title += f", page {p.pagination.number}"
            pages.append(
                Page(
                    p.folder + "index.html",
                    "timeline_tag.html",
                    title,
                    items=group_events(p.items),
                    data={
                        "tag": tag,
                        "tag_name": name,
                        "count": len(events),
                        "pagination": p.pagination,
                    },
                )
            )
    return pages
