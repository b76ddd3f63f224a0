"""Work on every core: a function over many items, in forked worker processes.

Markdown conversion and page rendering are pure Python and CPU-bound. A forked worker
inherits everything the parent has built (the config, the site, the compiled templates)
for free, so the function itself is never pickled: it waits in a module global the
children inherit, and only the items and the results cross the pipe.

Only a process with no other thread may fork (a lock held by another thread at the
moment of the fork stays held in the child forever): the build runs in the main thread
of its process, and the preview builds in a worker process of its own
(``dossier.serve.worker``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

PARALLEL_FROM = 24  # below this, starting workers costs more than it saves
T = TypeVar("T")
R = TypeVar("R")
_inherited: dict[str, Callable[[Any], Any]] = {}  # what a forked worker finds


def jobs_for(requested: int | None) -> int:
    return max(1, requested if requested else (os.cpu_count() or 1))


def map_in_batches(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[list[R]]:
    """``fn`` over ``items``, in order, a batch at a time; on ``jobs`` forked workers
    when there are enough items to be worth it."""
    if len(items) < PARALLEL_FROM or jobs < 2:
        for i in range(0, len(items), 64):
            yield [fn(x) for x in items[i : i + 64]]
        return
    _inherited["fn"] = fn
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_default_signals) as pool:
            yield from pool.imap(_apply, _chunks(items, jobs))
    finally:
        _inherited.clear()


def _default_signals() -> None:
    """A worker ends on SIGTERM whatever its parent ignores (the preview's build process
    leaves SIGTERM to the server): the pool stops its workers that way."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _chunks(items: Sequence[Any], jobs: int) -> list[Sequence[Any]]:
    size = max(8, len(items) // (jobs * 8) + 1)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _apply(chunk: Sequence[Any]) -> list[Any]:
    fn = _inherited["fn"]
    return [fn(x) for x in chunk]
