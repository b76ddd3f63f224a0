"""Annotation coverage: money amounts and dates in a body that no annotation span marks.

``build.py check`` reports each one as a warning (``--strict`` makes them
errors), so a figure in the prose cannot drift from the annotated data
unnoticed. Code, link URLs and the text already inside ``[...]{...}`` spans
are blanked out first, keeping every offset, so the line numbers stay exact.
"""

from __future__ import annotations

import re

from dossier.errors import Problem

# Common ISO 4217 codes; a general list would also match words like "ARM 64".
CODES = (
    "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|HKD|SGD|INR|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|"
    "UAH|RUB|TRY|ZAR|BRL|MXN|KRW|SAR|AED|ILS|EGP|NGN|KES|ETB|PKR|BDT|IDR|PHP|THB|VND"
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|m|k)\b)?"
_SYMBOL = r"(?:US\$|A\$|C\$|[$€£¥₴])"
_UNITS = rf"(?:dollars|euros|pounds|francs|yen|{CODES})\b"
MONEY_RE = re.compile(
    rf"{_SYMBOL}\s?(?:{_NUM}){_SCALE}"
    rf"|\b(?:{CODES})\s?(?:{_NUM}){_SCALE}"
    rf"|\b(?:{_NUM}){_SCALE}\s{_UNITS}"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)"
)
DATE_RE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}(?:,?\s\d{{4}})?\b"
    rf"|\b{_MONTH}\s\d{{4}}\b"
    rf"|\b{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?(?:,\s?\d{{4}})?\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
# Blanked before searching: fenced code, code spans, spans, link targets, link definitions.
_MASK_RE = re.compile(
    r"^(?P<fence>```|~~~).*?^(?P=fence)[^\n]*$"
    r"|(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?P=ticks)"  # a code span ends with its paragraph
    r"|\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\{[^{}]*\}"
    r"|\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$",
    re.MULTILINE | re.DOTALL,
)


def find_uncovered(text: str, *, path: str, first_line: int) -> list[Problem]:
    """One warning per money amount or date in ``text`` outside every annotation span."""
    masked = _MASK_RE.sub(_blank, text) if ("`" in text or "[" in text or "~" in text) else text
    found = [(m.start(), m.group(), "aid") for m in MONEY_RE.finditer(masked)]
    found += [(m.start(), m.group(), "event") for m in DATE_RE.finditer(masked)]
    found.sort()
    problems = []
    end = -1
    line, counted = first_line, 0
    for start, words, kind in found:
        if start < end:  # "USD 5 million" inside "5 million USD" and the like
            continue
        end = start + len(words)
        line += text.count("\n", counted, start)  # on from the last one: linear
        counted = start
        problems.append(
            Problem(
                path,
                line,
                "body",
                f'"{words}" is not annotated',
                f"mark it as [{words}]{{.{kind} ref=ID}}",
                "warning",
            )
        )
    return problems


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group())
