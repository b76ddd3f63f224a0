"""What each page read while it rendered, so the next build skips pages nothing changed for.

Re-rendering the index of 5,000 briefings costs more than a whole rebuild should, yet a
body edit cannot change it: the index never reads a body. Jinja routes every ``x.attr``
and ``x['key']`` through ``Environment.getattr``/``getitem``, so a ``Tracker`` on the
environment records, per page:

- which briefings (by path) it read the front matter of, and which the body of;
- which attributes of the ``Site`` it read;
- whether it read its own ``Page`` (title, items, data …);
- which dates it compared with today (the ``future`` test).

A page that hands a briefing, the site or a list of them to a filter or test we cannot
see into is *opaque*, and rendered on every build.

What a page read is compared between builds through fingerprints: a briefing by its
front-matter and body hashes, anything else by the ``repr`` of its value, in which a
briefing stands for itself by path (``Briefing.__repr__``): what a page reads *of* a
briefing is tracked attribute by attribute, so a body edit does not change a list of
briefings.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from dossier.briefing import BODY_FIELDS, Briefing
from dossier.page import Page
from dossier.site import Site

MODELS = (Briefing, Site, Page)
# Filters that only count, slice or reorder, or read attributes through
# Environment.getattr/getitem (so the reads are seen), or turn a value into text: a
# briefing or the site as text is only its identity (their __repr__), so that shows
# nothing a page would have to follow. Dossier's own filters read only the values they
# are given. Any other filter (article_jsonld, pprint, a site's own) is watched.
TRANSPARENT_FILTERS = frozenset(
    "length count first last list reverse sort groupby selectattr rejectattr map batch "
    "slice default d select reject attr random unique join sum min max "
    "string safe escape e forceescape capitalize lower upper title trim truncate replace "
    "urlencode wordcount striptags indent center round int float abs filesizeformat "
    "wordwrap format items tojson xmlattr "
    "url absolute_url money money_compact day partial_date iso tag_slug jsonld with_cards".split()
)
TRANSPARENT_TESTS = frozenset(
    "defined undefined none true false boolean string number integer float mapping "
    "iterable sequence callable divisibleby even odd lower upper escaped filter test".split()
)
DATED_TESTS = frozenset({"future"})  # tests whose answer moves with today's date


@dataclass(frozen=True)
class Reads:
    """What one page read while rendering."""

    meta: frozenset[str] = frozenset()  # briefings (by path) whose front matter it read
    body: frozenset[str] = frozenset()  # briefings whose body it read
    site: frozenset[str] = frozenset()  # attributes of the Site
    page: bool = False  # anything of its own Page
    dates: frozenset[dt.date] = frozenset()  # dates it compared with today
    opaque: bool = False  # it gave a model to a function we cannot see into


@dataclass
class _Reading:
    meta: set[str] = field(default_factory=set)
    body: set[str] = field(default_factory=set)
    site: set[str] = field(default_factory=set)
    page: bool = False
    dates: set[dt.date] = field(default_factory=set)
    opaque: bool = False

    def frozen(self) -> Reads:
        return Reads(
            frozenset(self.meta),
            frozenset(self.body),
            frozenset(self.site),
            self.page,
            frozenset(self.dates),
            self.opaque,
        )


class Tracker:
    """Installs itself on one Jinja environment; ``reading()`` brackets one page."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.current: _Reading | None = None
        get_attr, get_item = env.getattr, env.getitem

        def getattr_(obj: Any, attribute: str) -> Any:
            if self.current is not None and isinstance(obj, MODELS):
                self._note(obj, attribute)
            return get_attr(obj, attribute)

        def getitem(obj: Any, argument: Any) -> Any:
            if self.current is not None and isinstance(obj, MODELS) and isinstance(argument, str):
                self._note(obj, argument)
            return get_item(obj, argument)

        env.getattr = getattr_  # type: ignore[method-assign]
        env.getitem = getitem  # type: ignore[method-assign]
        for name, fn in list(env.filters.items()):
            if name not in TRANSPARENT_FILTERS:
                env.filters[name] = self._guard(fn)
        for name, fn in list(env.tests.items()):
            if name in DATED_TESTS:
                env.tests[name] = self._dated(fn)
            elif name not in TRANSPARENT_TESTS:
                env.tests[name] = self._guard(fn)

    def render(self, render: Callable[[], bytes]) -> tuple[bytes, Reads]:
        self.current = reading = _Reading()
        try:
            return render(), reading.frozen()
        finally:
            self.current = None

    def _note(self, obj: Any, attribute: str) -> None:
        reading = self.current
        assert reading is not None
        if isinstance(obj, Briefing):
            (reading.body if attribute in BODY_FIELDS else reading.meta).add(obj.path)
        elif isinstance(obj, Site):  # a language's view: its own attribute (site.site_value)
            reading.site.add(f"{obj.language}:{attribute}" if obj.language else attribute)
        else:
            reading.page = True

    def _guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            reading = self.current
            if reading is not None and not reading.opaque:
                for a in (*args, *kwargs.values()):
                    if isinstance(a, Briefing):  # e.g. article_jsonld: depends on that briefing
                        reading.meta.add(a.path)
                        reading.body.add(a.path)
                    elif _holds_model(a):
                        reading.opaque = True
            return fn(*args, **kwargs)

        return call

    def _dated(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(value: Any, *args: Any) -> Any:
            if self.current is not None:
                if isinstance(value, dt.date):
                    self.current.dates.add(value)
                else:
                    self.current.opaque = True
            return fn(value, *args)

        return call


def _holds_model(value: Any) -> bool:
    if isinstance(value, MODELS):
        return True
    if isinstance(value, (tuple, list)):
        return bool(value) and _holds_model(value[0])
    if isinstance(value, Mapping):
        return bool(value) and _holds_model(next(iter(value.values())))
    return isinstance(value, Iterator)


def value_fingerprint(value: Any) -> str:
    """A value's identity for "did it change": its repr, in which a briefing is its path."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def today_moved(dates: frozenset[dt.date], before: dt.date | None, now: dt.date) -> bool:
    """Whether ``d > today`` gives another answer for one of ``dates`` now than before."""
    if before is None:
        return bool(dates)
    low, high = min(before, now), max(before, now)
    return any(low < d <= high for d in dates)
