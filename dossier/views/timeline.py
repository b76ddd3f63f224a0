"""The timeline: every event once, grouped by year and month, partial dates kept as written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dossier.dates import PartialDate
from dossier.render import Page
from dossier.site import Site
from dossier.views.identity import EventFact


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


def group_events(events: Iterable[EventFact]) -> tuple[YearGroup, ...]:
    """Oldest first; within a year, events known only to the year come first."""
    by_month: dict[PartialDate, list[EventFact]] = {}
    for e in sorted(events, key=lambda e: (e.event.date, e.id)):
        key = PartialDate(e.event.date.year, e.event.date.month)
        by_month.setdefault(key, []).append(e)
    years: dict[int, list[MonthGroup]] = {}
    for month, evs in sorted(by_month.items()):
        years.setdefault(month.year, []).append(MonthGroup(month, tuple(evs)))
    return tuple(YearGroup(y, tuple(ms)) for y, ms in sorted(years.items()))


def tag_events(site: Site, tag: str) -> tuple[EventFact, ...]:
    tagged = {id(b) for b in site.tags.get(tag, ())}
    return tuple(e for e in site.events if any(id(b) in tagged for b in e.briefings))


def plan_timelines(site: Site) -> list[Page]:
    pages = [
        Page(
            "timeline/index.html",
            "timeline.html",
            "Timeline",
            items=group_events(site.events),
            data={"tag": None, "count": len(site.events)},
        )
    ]
    for tag in site.tags:
        events = tag_events(site, tag)
        name = site.tag_names.get(tag, tag)
        pages.append(
            Page(
                f"tags/{tag}/timeline/index.html",
                "timeline.html",
                f"Timeline: {name}",
                items=group_events(events),
                data={"tag": tag, "tag_name": name, "count": len(events)},
            )
        )
    return pages
