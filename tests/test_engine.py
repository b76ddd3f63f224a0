"""The engine's parts that the build and the preview share, one by one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from facts_data import ENTITIES, SITE_YAML, aid, briefing, event, update

from dossier.briefing import Briefing, load_briefing, renderer_for
from dossier.build import load_site
from dossier.config import load_config
from dossier.content import scan
from dossier.reads import today_moved, value_fingerprint
from dossier.site import refreshed

FILES = {
    "content/briefings/a.md": briefing("A", aid=aid(), events=event()),
    "content/briefings/b.md": briefing(
        "B",
        date="2025-01-11",
        updates=update(status="delivered"),
        body="The [package]{.aid ref=pkg} and [the day]{.event ref=announcement} [@src].",
    ),
    "content/briefings/c.md": briefing("C", aid=aid("other", donor="US")),
    "content/entities.yaml": ENTITIES,
}


def briefings_reachable(value: Any, seen: set[int] | None = None) -> list[Briefing]:
    """Every Briefing object reachable from ``value`` (dataclasses, tuples, mappings)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Briefing):
        return [value]
    found: list[Briefing] = []
    if isinstance(value, tuple | list):
        for v in value:
            found += briefings_reachable(v, seen)
    elif isinstance(value, Mapping):
        for v in value.values():
            found += briefings_reachable(v, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found += briefings_reachable(getattr(value, f.name), seen)
    return found


def test_a_refreshed_site_holds_no_old_briefing_anywhere(make_project):
    """The preview's fast path swaps in new bodies: every place the site holds a briefing
    (facts, their history, referrers, tags, sources, quotes) must show the new one."""
    project = make_project(FILES, SITE_YAML)
    site, _ = load_site(project)
    config = load_config(project)
    renderer = renderer_for(config)
    current = {}
    for rel, found in scan(project).files.items():
        data = (
            Path(found.path)
            .read_bytes()
            .replace(b"Body text", b"New words")
            .replace(b" [@src].", b" again [@src].")
        )
        new, _ = load_briefing(rel, data, config, renderer)
        assert new is not None and new.meta_hash == site.by_slug[new.slug].meta_hash
        current[rel] = new
    fresh = refreshed(site, current)
    reachable = briefings_reachable(fresh)
    assert reachable and all(b is current[b.path] for b in reachable)
    old = briefings_reachable(site)
    assert any(b is not current[b.path] for b in old)  # the walk could tell them apart


def test_a_briefing_stands_for_itself_by_path_in_a_fingerprint(make_project):
    project = make_project(FILES, SITE_YAML)
    site, _ = load_site(project)
    b = site.briefings[0]
    assert repr(b) == f"Briefing({b.path!r})"
    same_path = dataclasses.replace(b, html="<p>other</p>")
    assert value_fingerprint((b,)) == value_fingerprint((same_path,))
    assert value_fingerprint(site.aid) != value_fingerprint(site.aid[:1])


def test_a_page_that_tested_a_date_is_stale_exactly_when_its_answer_changes():
    d = dt.date(2026, 12, 3)
    dates = frozenset({d})
    assert not today_moved(dates, dt.date(2026, 12, 1), dt.date(2026, 12, 2))  # still future
    assert today_moved(dates, dt.date(2026, 12, 2), dt.date(2026, 12, 3))  # now today
    assert not today_moved(dates, dt.date(2026, 12, 4), dt.date(2026, 12, 5))  # long past
    assert today_moved(dates, None, dt.date(2026, 12, 1))  # nothing known before
