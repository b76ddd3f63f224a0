"""Dates as authors write them: a year, a month, or a day, with the precision kept."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import yaml

from dossier.schema import BOOL, FLOAT, INT, TIMESTAMP

_FULL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[-+]\d{1,2}(?::?\d{2})?)?)?$"
)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")

# The years Dossier accepts (docs/decisions.md): four digits in every machine format, with
# room for the day after the last one (an .ics DTEND), and no year 0 (Python has none).
YEAR_MIN, YEAR_MAX = 1000, 2999


@dataclass(frozen=True, order=True)  # no slots: they make pickling (the build cache) 4x slower
class PartialDate:
    """A calendar date known to the year, the month or the day.

    Ordering puts a partial date before the full dates inside it, so a timeline
    lists "November 2024" ahead of "20 November 2024".
    """

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        if self.day:
            return self.start
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def isoformat(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.isoformat()

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        return cls(day.year, day.month, day.day)


def check_year(year: int, raw: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(
            f"{raw!r} is outside the years Dossier accepts"
            f"|years run from {YEAR_MIN} to {YEAR_MAX}; check for a typo"
        )


def _real_date(year: int, month: int, day: int, raw: str) -> dt.date:
    check_year(year, raw)
    if not 1 <= month <= 12:
        raise ValueError(f"{raw!r} has no month {month}|months run from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValueError(f"{raw!r} is not a real date|{name} {year} has {last} days")
    return dt.date(year, month, day)


def parse_date(node: yaml.ScalarNode) -> dt.date:
    """A full calendar date, YYYY-MM-DD (a time part, if present, is dropped)."""
    raw = node.value.strip()
    if node.tag == BOOL:
        raise ValueError(f"{raw!r} is not a date|write YYYY-MM-DD")
    m = _FULL.match(raw)
    if not m:
        raise ValueError(f"{raw!r} is not a date|write YYYY-MM-DD, e.g. 2024-11-20")
    return _real_date(int(m[1]), int(m[2]), int(m[3]), raw)


def parse_partial_date(node: yaml.ScalarNode) -> PartialDate:
    """YYYY, YYYY-MM or YYYY-MM-DD; the precision written is the precision kept."""
    raw = node.value.strip()
    if node.tag in (BOOL, FLOAT):
        raise ValueError(f"{raw!r} is not a date|write YYYY, YYYY-MM or YYYY-MM-DD")
    if node.tag == TIMESTAMP or _FULL.match(raw):
        return PartialDate.of(parse_date(node))
    m = _PARTIAL.match(raw)
    if not m or (node.tag == INT and not raw.isdigit()):
        raise ValueError(f"{raw!r} is not a date|write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month = int(m[1]), int(m[2] or 0)
    check_year(year, raw)
    if m[2] and not 1 <= month <= 12:
        raise ValueError(f"{raw!r} has no month {month}|months run from 01 to 12")
    return PartialDate(year, month)
