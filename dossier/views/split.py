"""Splitting a long view into pages a reader can load: one page per party (a publisher,
a speaker, a donor) under a unique and stable slug, and a fixed number of items per page.

A party the registry knows is at its entity id (the same slug as /entities/<id>/); any
other at the slug of its name. Two names that would share a slug, or a name whose slug is
an entity's id, keep the plain slug for the registry's entity (else the first name by
case-folded order) and take a suffix made from the name itself, so a slug depends only on
the names that collide with it, never on the order briefings are read in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.briefing import slugify
from dossier.entities import Party
from dossier.hashing import digest
from dossier.views.pagination import paginate as series

RESERVED = frozenset({"page", "donors", "recipients", "index"})
OVERVIEW_PER_PAGE = 500  # entries of an index (publishers, speakers, donors): ~200 bytes each


def party_slugs(parties: Iterable[Party]) -> dict[Party, str]:
    """A URL slug for each distinct party; unique among them."""
    distinct = sorted(set(parties), key=lambda p: (p.entity is None, p.name.casefold(), p.name))
    taken: set[str] = set()
    out: dict[Party, str] = {}
    for p in distinct:
        slug = p.entity or slugify(p.name) or "unnamed"
        if slug in taken or slug in RESERVED or slug.isdigit():
            slug = f"{slug}-{digest(p.name)[:6]}"
        while slug in taken:  # two names whose digests begin alike: vanishingly rare
            slug = f"{slug}-x"
        taken.add(slug)
        out[p] = slug
    return out


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page sits in its run: /base/, /base/page/2/ …; paths are site paths."""

    number: int
    count: int
    first: str
    previous: str | None
    next: str | None
    start: int  # 1-based number of the page's first item
    end: int  # its last
    total: int


def paginate(base: str, items: Sequence[Any], per_page: int) -> list[tuple[str, tuple, Pager]]:
    """``items`` in runs of ``per_page``: (site path of the page, its items, its pager).
    There is always a first page, even for no items. One run is a series of one group
    (dossier.views.pagination), with the item numbers a list's heading shows."""
    out = []
    for page in series([(base, None, items)], per_page):
        p = page.pagination
        start = (p.number - 1) * per_page + 1
        chunk = page.items
        pager = Pager(
            p.number,
            p.count,
            base,
            p.previous,
            p.next,
            start if chunk else 0,
            start + len(chunk) - 1 if chunk else 0,
            len(items),
        )
        out.append((page.folder, chunk, pager))
    return out


def titled(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title}, page {pager.number} of {pager.count}"
