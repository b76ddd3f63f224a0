"""Long lists cut into pages, and runs of pages read as one series.

A series is a sequence of groups (the home page's briefings; an archive month; a timeline
month), each cut into pages of a bounded number of items at ``<folder>``,
``<folder>page/2/`` …. Every page knows its neighbours in the whole series, so the
``rel="prev"``/``rel="next"`` links walk from one month into the next as well as
through the pages of one month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int  # within its group
    count: int  # pages of its group
    previous: str | None  # site paths of the neighbours in the series ('' is the home page)
    next: str | None
    first: str = ""  # the group's first page
    last: str = ""  # the group's last page


@dataclass(frozen=True, slots=True)
class Paged(Generic[K, T]):
    """One page of a series: where it goes, its group's key, its items."""

    folder: str  # the page's own folder: 'tags/x/page/2/'
    key: K
    pagination: Pagination
    items: tuple[T, ...]


def paged_folder(folder: str, number: int) -> str:
    return folder if number == 1 else f"{folder}page/{number}/"


def paginate(groups: Sequence[tuple[str, K, Sequence[T]]], size: int) -> list[Paged[K, T]]:
    """``groups`` are (folder, key, items) in reading order; an empty group still has
    its first page."""
    flat: list[tuple[str, K, int, int, str, tuple[T, ...]]] = []
    for folder, key, items in groups:
        chunks = [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]
        for n, chunk in enumerate(chunks, 1):
            flat.append((folder, key, n, len(chunks), paged_folder(folder, n), chunk))
    out = []
    for i, (folder, key, n, count, path, chunk) in enumerate(flat):
        pagination = Pagination(
            n,
            count,
            flat[i - 1][4] if i else None,
            flat[i + 1][4] if i + 1 < len(flat) else None,
            folder,
            paged_folder(folder, count),
        )
        out.append(Paged(path, key, pagination, chunk))
    return out
