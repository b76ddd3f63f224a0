"""What each page read while it rendered, so a rebuild skips pages nothing changed for.

Re-rendering the index of 5,000 briefings costs more than the whole rebuild budget,
yet a body edit cannot change it: the index never reads a briefing's body. Jinja
routes every ``x.attr`` and ``x['key']`` through ``Environment.getattr``/``getitem``,
so the builder records, per page, which attributes of which briefing (by path), of
the site and of the page it read. A page is rendered again when one of those values
differs. A page that hands a briefing, the site or a list of them to a filter or
test we cannot see into (``jsonld``, ``string``, a view's own filter) is "opaque"
and always re-rendered.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from dossier.briefing import Briefing
from dossier.render import Page
from dossier.site import Site

MODELS = (Briefing, Site, Page)
BRIEFING_FIELDS = frozenset(Briefing.__dataclass_fields__)
# Jinja built-ins that only count, slice or reorder, or read attributes through
# Environment.getattr/getitem (so the reads are seen).
TRANSPARENT_FILTERS = frozenset(
    "length count first last list reverse sort groupby selectattr rejectattr map batch "
    "slice default d select reject attr random unique join sum min max".split()
)
TRANSPARENT_TESTS = frozenset(
    "defined undefined none true false boolean string number integer float mapping "
    "iterable sequence callable divisibleby even odd lower upper escaped filter test".split()
)


@dataclass
class Reads:
    briefings: dict[str, set[str]] = field(default_factory=dict)
    site: set[str] = field(default_factory=set)
    page: set[str] = field(default_factory=set)
    opaque: bool = False


class Tracker:
    """Installs itself on one Jinja environment; ``current`` is the page being rendered."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.current: Reads | None = None
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
        for table, transparent in (
            (env.filters, TRANSPARENT_FILTERS),
            (env.tests, TRANSPARENT_TESTS),
        ):
            for name, fn in list(table.items()):
                if name not in transparent:
                    table[name] = self._guard(fn)

    def _note(self, obj: Any, attribute: str) -> None:
        reads = self.current
        assert reads is not None
        if isinstance(obj, Briefing):
            reads.briefings.setdefault(obj.path, set()).add(attribute)
        elif isinstance(obj, Site):
            reads.site.add(attribute)
        else:
            reads.page.add(attribute)

    def _guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            reads = self.current
            if reads is not None and not reads.opaque:
                for a in (*args, *kwargs.values()):
                    if isinstance(a, Briefing):  # e.g. article_jsonld: depends on that briefing
                        reads.briefings.setdefault(a.path, set()).update(BRIEFING_FIELDS)
                    elif _holds_model(a):
                        reads.opaque = True
            return fn(*args, **kwargs)

        return call


def _holds_model(value: Any) -> bool:
    if isinstance(value, MODELS):
        return True
    if isinstance(value, (tuple, list)):
        return bool(value) and _holds_model(value[0])
    if isinstance(value, Mapping):
        return bool(value) and _holds_model(next(iter(value.values())))
    return isinstance(value, Iterator)


class Comparison:
    """Old site against new, with each answer computed once per rebuild."""

    def __init__(self, old: Site, new: Site) -> None:
        self.old, self.new = old, new
        old_by_path = {b.path: b for b in old.briefings}
        self.changed: list[tuple[str, Briefing | None, Briefing | None]] = []
        for b in new.briefings:
            before = old_by_path.pop(b.path, None)
            if before is not b:
                self.changed.append((b.path, before, b))
        self.changed.extend((path, b, None) for path, b in old_by_path.items())
        self._site: dict[str, bool] = {}
        self._briefing: dict[tuple[str, str], bool] = {}
        # Everything site-wide (facts, totals, tags, view data) is made from front matter;
        # when no front matter changed, it is all the same, whatever the bodies did.
        self.front_matter_same = old.config == new.config and [
            (b.path, b.meta_hash) for b in old.briefings
        ] == [(b.path, b.meta_hash) for b in new.briefings]

    def unchanged(self, reads: Reads, old_page: Page, new_page: Page) -> bool:
        if reads.opaque or old_page.template != new_page.template:
            return False
        if self.front_matter_same:
            if "briefing" in reads.page and old_page.briefing is not new_page.briefing:
                return False
        elif old_page != new_page:  # fast when equal: a briefing compares by identity first
            for attr in reads.page:
                if not _same(attr, old_page, new_page, by_identity=attr == "briefing"):
                    return False
        for attr in reads.site if not self.front_matter_same else ():
            same = self._site.get(attr)
            if same is None:
                same = self._site[attr] = _same(attr, self.old, self.new)
            if not same:
                return False
        for path, before, after in self.changed:
            attrs = reads.briefings.get(path)
            if not attrs:
                continue
            if before is None or after is None:
                return False
            for attr in attrs:
                same = self._briefing.get((path, attr))
                if same is None:
                    same = self._briefing[path, attr] = _same(attr, before, after)
                if not same:
                    return False
        return True


def _same(attr: str, old: Any, new: Any, by_identity: bool = False) -> bool:
    missing = object()
    a, b = getattr(old, attr, missing), getattr(new, attr, missing)
    return a is b if by_identity else _equal(a, b)


def _equal(a: Any, b: Any) -> bool:
    """Equality in which a briefing stands for itself by path: what the page read of
    it is checked attribute by attribute, so a body edit does not count here."""
    if a is b:
        return True
    if isinstance(a, Briefing) and isinstance(b, Briefing):
        return a.path == b.path
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if type(a) is type(b) and dataclasses.is_dataclass(a):  # facts, groups: may hold briefings
        return all(_equal(getattr(a, f), getattr(b, f)) for f in _fields(type(a)))
    return a == b


@functools.cache
def _fields(kind: type) -> tuple[str, ...]:
    return tuple(kind.__dataclass_fields__)
