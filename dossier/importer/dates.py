"""Dates in running text, absolute or relative to the publication date, precision kept.

A date is written back as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the text
"in March 2023" is a month, not the first of March.  Relative forms ("on
Thursday", "last week") need the publication date; "last week" and similar
vague spans resolve to a representative day and are flagged for review.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dossier.dates import YEAR_MAX, YEAR_MIN

MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*[0-3]?\d(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_FUTURE = re.compile(r"\b(will|would|shall|is to|are to|plans? to|scheduled|due to|next)\b", re.I)
_PREP = (
    r"(?i:in|since|by|until|till|from|during|through|before|after|of|early|late|mid-?|end of|"
    r"into|for)"
)


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    text: str
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    note: str = ""  # why a reviewer should look: relative, approximate, year guessed

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]


_ABSOLUTE = [
    ("ymd", re.compile(r"\b(?P<year>\d{4})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![\d:]|,\s*\d|\s*(?:percent|per cent|%))")),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b")),
    ("m", re.compile(rf"\b(?P<prep>{_PREP}|last|this|next)\s+{_MONTH}\b(?!\s+\d)")),
    (
        "y",
        re.compile(rf"\b(?P<prep>{_PREP}|(?i:in early|in late|in mid-?))\s+{_YEAR}\b(?![-–/]?\d)"),
    ),
]
_RELATIVE = re.compile(
    r"\b(?P<word>today|tonight|yesterday|tomorrow)\b"
    r"|\b(?P<wmod>last|this|next|on|since|by|until|from)?\s*"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"(?P<wpart>\s+(?:morning|afternoon|evening|night))?"
    r"|\b(?P<pmod>(?:earlier |later )?(?:last|this|next))\s+(?P<period>week|month|year)\b"
    r"|\b(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>day|week|month|year)s?\s+ago\b",
    re.I,
)
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10}


def find_dates(
    text: str, published: dt.date | None, quoted: list[tuple[int, int]] = ()
) -> list[DateHit]:
    """Every date mention in ``text``, non-overlapping, in reading order.

    Relative words inside ``quoted`` spans are left alone: a speaker's "today"
    is the day they spoke, which the article need not say.
    """
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = list(quoted)
    absolute_taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for form, pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            start = m.start("prep") + len(m.group("prep")) + 1 if "prep" in m.groupdict() else 0
            start = max(start, m.start())
            if not all(m.end() <= a or start >= b for a, b in absolute_taken):
                continue
            hit = _absolute(form, m, text, start, published)
            if hit:
                hits.append(hit)
                absolute_taken.append((start, m.end()))
    taken += absolute_taken
    if published:
        for m in _RELATIVE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            hit = _relative(m, text, published)
            if hit:
                hits.append(hit)
                taken.append((hit.start, hit.end))
    # A draft must build: years outside Dossier's range (dossier.dates) are not events.
    hits = [h for h in hits if YEAR_MIN <= int(h.value[:4]) <= YEAR_MAX]
    return sorted(hits, key=lambda h: h.start)


def _absolute(
    form: str, m: re.Match[str], text: str, start: int, published: dt.date | None
) -> DateHit | None:
    groups = m.groupdict()
    month = (
        int(groups["mnum"])
        if groups.get("mnum")
        else MONTHS.get((groups.get("month") or "").lower(), 0)
    )
    if groups.get("month") == "May" and form in {"m"} and m.group("prep").lower() in {"of", "by"}:
        return None
    note = ""
    if groups.get("year"):
        year = int(groups["year"])
    elif published is None:
        return None
    else:
        year, note = _guess_year(month, published, text, m, form)
    end = m.end()
    label = text[start:end]
    if form == "y":
        return DateHit(start, end, label, f"{year:04d}")
    if form in {"my", "m"}:
        if form == "m" and groups["prep"].lower() in {"last", "next"}:
            year = published.year - 1 if groups["prep"].lower() == "last" else published.year + 1
            if groups["prep"].lower() == "last" and month < published.month:
                year += 1
            if groups["prep"].lower() == "next" and month > published.month:
                year -= 1
        return DateHit(start, end, label, f"{year:04d}-{month:02d}", note)
    day = int(groups["day"])
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return DateHit(start, end, label, value.isoformat(), note)


def _guess_year(
    month: int, published: dt.date, text: str, m: re.Match[str], form: str
) -> tuple[int, str]:
    """A yearless date belongs to the publication year unless that puts it far in the future."""
    year = published.year
    future = _FUTURE.search(_sentence_around(text, m.start()))
    if not future and (month, 1) > (published.month, 1) and month - published.month > 1:
        year -= 1
    if future and month < published.month - 1:
        year += 1
    elif not future and month + 12 - published.month <= 2:
        # "leaves office in January", written in December: the nearer January, unless
        # the clause is in the past ("promised in April")
        clause = re.split(r"[,;.—–]", text[: m.start()])[-1]
        if not _PAST.search(clause):
            year += 1
    return year, f"year {year} inferred from the publication date"


_PAST = re.compile(
    r"\b(\w+ed|said|told|met|spoke|made|gave|took|held|sent|began|struck|won|"
    r"lost|came|went|saw|was|were|had|did|signed|announced)\b",
    re.I,
)


def _is_future(text: str, pos: int) -> bool:
    """Tense of the clause leading to ``pos``: the nearest verb decides, past by default."""
    clause = re.split(r"[,;.—–]", text[:pos])[-1]
    words = clause.split()[-4:]
    if any(_PAST.fullmatch(w.strip("\"'“”")) for w in words):
        return False
    return _FUTURE.search(clause) is not None


def _sentence_around(text: str, pos: int) -> str:
    left = max(text.rfind(". ", 0, pos), 0)
    right = text.find(". ", pos)
    return text[left : right if right >= 0 else len(text)]


def _relative(m: re.Match[str], text: str, published: dt.date) -> DateHit | None:
    start, end = m.start(), m.end()
    label = text[start:end].strip()
    base = f"{label!r} resolved against the publication date {published.isoformat()}"
    if m.group("word"):
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m.group("word").lower()]
        return DateHit(start, end, label, (published + dt.timedelta(days=shift)).isoformat(), base)
    if m.group("weekday"):
        if not m.group("weekday")[0].isupper():
            return None
        mod = (m.group("wmod") or "").lower()
        if mod in {"on", "since", "by", "until", "from"} or not mod:
            start = m.start("weekday")
            label = text[start:end].strip()
        target = WEEKDAYS[m.group("weekday").lower()]
        back = (published.weekday() - target) % 7
        forward = (target - published.weekday()) % 7
        future = mod == "next" or (mod != "last" and _is_future(text, m.start()))
        if mod == "last" and back == 0:
            back = 7
        delta = forward if future else -back
        value = published + dt.timedelta(days=delta)
        return DateHit(start, end, label, value.isoformat(), base)
    if m.group("period"):
        mod = m.group("pmod").lower().split()[-1]
        sign = {"last": -1, "this": 0, "next": 1}[mod]
        period = m.group("period").lower()
        if period == "week":
            if sign == 0:
                return None
            value = (published + dt.timedelta(days=7 * sign)).isoformat()
            return DateHit(start, end, label, value, base + "; approximate: any day that week")
        if period == "month":
            month_index = published.year * 12 + published.month - 1 + sign
            return DateHit(
                start, end, label, f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", base
            )
        return DateHit(start, end, label, f"{published.year + sign:04d}", base)
    count = _COUNTS.get(m.group("count").lower()) or int(m.group("count"))
    unit = m.group("unit").lower()
    if unit in {"day", "week"}:
        days = count * (7 if unit == "week" else 1)
        value = (published - dt.timedelta(days=days)).isoformat()
        return DateHit(start, end, label, value, base + ("; approximate" if unit == "week" else ""))
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 - count
        return DateHit(
            start, end, label, f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", base
        )
    return DateHit(start, end, label, f"{published.year - count:04d}", base)


def relative_mentions(text: str, quoted: list[tuple[int, int]] = ()) -> list[DateHit]:
    """Without a reference date: every date the text gives only relative to one
    ("Monday", "last week", "December 2", "in April"), as hits with no value to trust.

    Their ``value`` is empty; the draft lists them for review instead of resolving them.
    """
    taken = list(quoted) + [(h.start, h.end) for h in find_dates(text, None, quoted)]
    found: list[DateHit] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    patterns = [p for form, p in _ABSOLUTE if form in {"md", "dm", "m"}] + [_RELATIVE]
    for pattern in patterns:
        for m in pattern.finditer(text):
            start = m.start()
            if "prep" in m.groupdict() and m.group("prep"):
                start = m.start("prep") + len(m.group("prep")) + 1
            weekday = m.groupdict().get("weekday")
            if weekday and not weekday[0].isupper():
                continue
            if weekday and (m.group("wmod") or "").lower() in {
                "",
                "on",
                "since",
                "by",
                "until",
                "from",
            }:
                start = m.start("weekday")
            label = text[start : m.end()].strip()
            if free(start, m.end()) and label:
                found.append(DateHit(start, m.end(), label, "", "no reference date"))
                taken.append((start, m.end()))
    return sorted(found, key=lambda h: h.start)
