"""Paragraph-level text helpers: quotation spans, sentences, and Markdown escaping.

Quotation spans are found before sentences, because a quoted passage may hold
several sentences and must never be cut in the middle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "maj", "capt", "adm",
    "sgt", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs", "etc", "jan", "feb",
    "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig",
    "u.s", "u.k", "u.n", "e.u", "e.g", "i.e", "a.m", "p.m", "mt", "ft",
}  # fmt: skip
_OPEN_BEFORE = set(' \t\n([{—–-"“')


@dataclass(frozen=True)
class QuoteSpan:
    """A top-level quotation: outer bounds include the marks, inner bounds exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotations in straight or curly marks; single quotes nest inside double ones.

    An apostrophe is told from a single quote by its neighbours: a quote opens
    after a space or bracket and closes before a space or punctuation.  A
    double quotation left open at the paragraph's end closes there, as in news
    copy where a quote runs on into the next paragraph.
    """
    spans: list[QuoteSpan] = []
    double_open: int | None = None
    single_open: int | None = None
    n = len(text)
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch == "“" or (ch == '"' and double_open is None):
            double_open, single_open = i, None
        elif ch in '”"' and double_open is not None:
            if i - double_open > 1:
                spans.append(QuoteSpan(double_open, i + 1, double_open + 1, i))
            double_open, single_open = None, None
        elif ch in "‘'" and before in _OPEN_BEFORE and not after.isspace() and single_open is None:
            single_open = i
        elif (
            ch in "’'" and single_open is not None and not before.isspace() and not after.isalnum()
        ):
            if double_open is None and i - single_open > 1:
                spans.append(QuoteSpan(single_open, i + 1, single_open + 1, i))
            single_open = None
    if double_open is not None and n - double_open > 2:
        spans.append(QuoteSpan(double_open, n, double_open + 1, n))
    return spans


def split_sentences(text: str, quotes: list[QuoteSpan]) -> list[tuple[int, int]]:
    """Sentence bounds as (start, end) offsets, never splitting inside a quotation."""
    inside = [False] * (len(text) + 1)
    for q in quotes:
        for k in range(q.start, q.end - 1):
            inside[k] = True
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(]?[A-Z0-9])", text):
        end = m.end()
        if inside[m.start()] and not _quote_ends_sentence(text, m, quotes):
            continue
        word = re.search(r"([A-Za-z.]+)$", text[start : m.start()])
        if m.group().startswith(".") and word:
            w = word.group(1).lower().rstrip(".")
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                continue
        bounds.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _quote_ends_sentence(text: str, m: re.Match[str], quotes: list[QuoteSpan]) -> bool:
    return any(q.end == m.end() and q.inner_end == m.end() - 1 for q in quotes) and not any(
        q.start <= m.start() < q.inner_end - 1 for q in quotes
    )


_INLINE_ESCAPE = re.compile(r"([\\`*_\[\]{}|!@])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Make untrusted article text inert: no HTML, no links, no spans, no lists or headings."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_ESCAPE.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(m: re.Match[str]) -> str:
    marker = m.group(2)
    if marker[0].isdigit():
        return m.group(1) + marker[:-1] + "\\" + marker[-1]
    if marker == ">":
        return m.group(1) + marker
    if marker == "=":  # Markdown has no escape for '='; an entity cannot underline a heading
        return m.group(1) + "&#61;"
    return m.group(1) + "\\" + marker


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary, marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return cut + "…"
