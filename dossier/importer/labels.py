"""Short text fields built from a sentence: an event's label, the summary.

A label is the sentence's own words, without the dateline, the quoted words or the
attribution ("…, officials said"), cut at a clause or word boundary, never mid-word.
"""

from __future__ import annotations

import re

from dossier.importer.reference import strip_dateline
from dossier.importer.text import find_quote_spans

LABEL_CHARS = 90
_TAIL = re.compile(
    r"(?:,\s+(?:[\w.’' -]{0,50}?\s+)?(?:said|says|told|added|noted|wrote|stated)|,?\s+according to)"
    r"\b[^,]*$",
    re.I,
)
_WEAK_END = re.compile(
    r"\s+(?:and|or|but|the|a|an|of|to|for|in|on|at|by|with|from|as|that|which|who|its|their|"
    r"his|her|this|these|those|is|was|were|are|will|would|has|have|had|be)$",
    re.I,
)


def event_label(sentence: str, date_text: str = "") -> str:
    """A short phrase from the sentence: what happened, without dateline or quotes."""
    text = strip_dateline(" ".join(sentence.split()))
    for span in reversed(find_quote_spans(text)):
        text = text[: span.start] + text[span.end :]
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).strip(" ,;:—–-")
    text = _TAIL.sub("", text).rstrip(" .")
    if len(text) > LABEL_CHARS and date_text:
        # the clause that holds the date says what happened on it
        for clause in re.split(r",\s+|;\s+|\s+—\s+", text):
            if date_text in clause and len(clause.split()) >= 4:
                text = clause
                break
    label = clip_words(text, LABEL_CHARS) or clip_words(strip_dateline(sentence), LABEL_CHARS)
    return label[:1].upper() + label[1:]


def clip_words(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a clause boundary if one is near, else at a
    word boundary; never inside a word; no dangling "and"/"the" at the end."""
    text = " ".join(text.split()).rstrip(" .")
    if len(text) <= limit:
        return text
    window = text[: limit + 1]
    clause = max(window.rfind(", "), window.rfind("; "), window.rfind(" — "))
    cut = window[:clause] if clause >= limit // 2 else window.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;:—–-")
    while True:
        shorter = _WEAK_END.sub("", cut)
        if shorter == cut:
            break
        cut = shorter
    return cut
