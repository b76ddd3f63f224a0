"""The date relative words resolve against: the article's own, never today's.

In order: ``--date``; the dateline ("WASHINGTON, Dec. 9, 2024 —", "KYIV, 9 December
2024 (Reuters) -"); the page's metadata (``article:published_time``, JSON-LD
``datePublished``); the latest explicit full date in the text. Without any, there is
no reference date: relative dates stay unresolved and the draft says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dossier.dates import YEAR_MAX, YEAR_MIN
from dossier.importer.dates import find_dates
from dossier.importer.reading import Article

# The dateline's place and agency, with or without a date: "WASHINGTON —", "KYIV (AP) —",
# "OSLO, 4 March 2025 —", "LONDON, Dec 9 (Reuters) -".
DATELINE_PREFIX = re.compile(
    r"^\s*(?:[A-Z][A-Z .'’/-]{1,40}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:,\s*[A-Z][A-Za-z .]{1,30}?)?(?:,\s*[^—–()]{4,30}?)?"
    r"(?:\s*\([\w .&/-]{1,30}\))?\s*(?:[—–]|-{1,2})\s+"
)


@dataclass(frozen=True)
class Reference:
    date: dt.date | None
    how: str  # said in the draft: where the date came from, or why there is none


def reference_date(article: Article, given: dt.date | None = None) -> Reference:
    if given is not None:
        return Reference(given, "given with --date")
    first = article.paragraphs[0] if article.paragraphs else ""
    line = dateline(first)
    if line:
        days = [h for h in find_dates(line, None) if h.precision == "day"]
        if days:
            return Reference(
                dt.date.fromisoformat(days[0].value), f"the article's dateline {line.strip()!r}"
            )
    for key, label in (("date", "article:published_time"), ("ld_date", "JSON-LD datePublished")):
        day = _day(article.meta.get(key, ""))
        if day:
            return Reference(day, f"the page's {label} ({article.meta[key][:25]})")
    latest = None
    for paragraph in article.paragraphs:
        for hit in find_dates(paragraph, None):
            if hit.precision == "day":
                day = dt.date.fromisoformat(hit.value)
                latest = day if latest is None or day > latest else latest
    if latest:
        return Reference(latest, "the latest full date the article gives")
    return Reference(None, "no full date in the article: relative dates left unresolved")


def dateline(paragraph: str) -> str:
    """The dateline that opens ``paragraph`` ("WASHINGTON, Dec. 9, 2024 —"), or ""."""
    m = DATELINE_PREFIX.match(paragraph)
    if not m or len(m.group(0)) > 80:
        return ""
    head = m.group(0)
    # a dateline's place is a name, never a sentence: no lower-case words before the date
    place = re.split(r",|\(", head, maxsplit=1)[0]
    if re.search(r"\b[a-z]{3,}\b", place):
        return ""
    return head


def strip_dateline(text: str) -> str:
    line = dateline(text)
    return text[len(line) :] if line else text


def _day(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None
