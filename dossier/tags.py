"""Tag names and the URL segment of each tag's pages (docs/decisions.md)."""

from __future__ import annotations

import functools
import re
import unicodedata

TAG_SLUG_BYTES = 100


def tag_identity(tag: str) -> str:
    """Two tag names are one tag when they differ only in case, Unicode form, or in how
    words are separated (spaces, '-', '_'): 'Military aid' is 'military-aid'. Any other
    difference ('C++', 'C#') makes two tags, and two tags need two URLs."""
    return " ".join(re.sub(r"[-_\s]+", " ", unicodedata.normalize("NFKC", tag).casefold()).split())


@functools.lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """A tag's URL segment in any script: its letters, marks and digits, case-folded after
    NFKC ('Україна' → 'україна'), everything else one '-', at most 100 UTF-8 bytes.
    '' when nothing is left (an emoji, '+++'): the briefing is refused for it."""
    out: list[str] = []
    for ch in tag_identity(tag):
        kind = unicodedata.category(ch)[0]
        if kind in "LMN":
            out.append(ch)
        elif kind != "C" or ch in "\t\n":  # format characters (ZWJ, ZWNJ) join, not separate
            out.append("-")
    slug = re.sub("-+", "-", "".join(out)).strip("-")
    data = slug.encode("utf-8")
    if len(data) > TAG_SLUG_BYTES:
        slug = data[:TAG_SLUG_BYTES].decode("utf-8", "ignore").rstrip("-")
    return slug


def tag_name(spellings: list[str], entity_name: str | None = None) -> str:
    """What a tag is called on the page. Authors often write tags as slugs
    (``military-aid``); a page shows a name: the registry's name when the tag is an
    entity (``united-states`` → 'United States'), else the first spelling written as a
    name (with a capital or a space), else the slug in sentence case ('Military aid')."""
    if entity_name:
        return entity_name
    for s in spellings:
        if s != s.lower() or " " in s.strip():
            return " ".join(s.split())
    words = re.sub(r"[-_\s]+", " ", spellings[0]).split() if spellings else []
    text = " ".join(words)
    return text[:1].upper() + text[1:]
