"""Any sequence of author edits, each followed by an incremental build (or a preview
rebuild), ends where a cold build of the same files does.

The oracle is conftest.cold_build: the sources copied to a fresh folder and built by a
fresh Python process with no memory. Edits are drawn from what authors do: bodies,
titles, tags and dates; amounts, shared aid ids and quotes; draft flags; new, deleted
and renamed files; templates, site.yaml and static files; and pauses long enough for
files to settle, so both ways of noticing a change (stat signatures, then bytes) are used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, cold_build, site_files, write_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dossier.build import BuildOptions, build_site
from dossier.output import MARKER
from dossier.serve.preview import Preview

SITE_YAML = """\
title: {title}
base_url: https://example.org/b/
language: en
date_format: d MMMM y
reporting_currency: USD
exchange_rates: {{EUR: "1.1"}}
"""

WORDS = st.sampled_from(["alpha", "bravo", "charlie", "delta", "echo", "kilo", "zulu"])
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


@dataclasses.dataclass(frozen=True)
class Doc:
    title: str = "A briefing"
    date: dt.date = dt.date(2024, 11, 21)
    tags: tuple[str, ...] = ("ukraine",)
    body: str = "Body text"
    amount: int = 1000000
    shared: bool = False
    quote: str = "very problematic"
    draft: bool = False
    update: tuple[str, int] | None = None  # (status, amount) of an update of base-pkg
    update_day: int = 1  # each briefing updates on a day of its own
    refers: bool = False  # the body marks base-pkg, defined in base.md

    def text(self, name: str) -> str:
        shared = (
            "  - id: shared-pkg\n    amount: 50000000\n    currency: EUR\n"
            '    donor: "European Union"\n    recipient: "Ukraine"\n    date: 2024-10-01\n'
            "    kind: financial\n    status: committed\n    sources: [report]\n"
            if self.shared
            else ""
        )
        return (
            f'---\ntitle: "{self.title}"\ndate: {self.date.isoformat()}\n'
            f'summary: "About {self.title}."\ntags: [{", ".join(self.tags)}]\n'
            f"draft: {'true' if self.draft else 'false'}\n"
            'sources:\n  - id: report\n    title: "A report"\n    publisher: "Wire"\n'
            '    url: "https://example.org/report"\n    kind: media\n'
            f"events:\n  - id: ev-{name}\n    date: {self.date.isoformat()}\n"
            f'    label: "Event of {self.title}"\n    sources: [report]\n'
            f"aid:\n  - id: aid-{name}\n    amount: {self.amount}\n    currency: USD\n"
            '    donor: "United States"\n    recipient: "Ukraine"\n'
            f"    date: {self.date.isoformat()}\n    kind: military\n    status: pledged\n"
            f"    sources: [report]\n{shared}"
            f'quotes:\n  - id: q\n    who: "Espen Barth Eide"\n    role: "Foreign Minister"\n'
            f'    text: "{self.quote}"\n    source: report\n'
            + (
                f"updates:\n  - ref: base-pkg\n    date: 2025-{self.update_day // 28 + 1:02d}-"
                f"{self.update_day % 28 + 1:02d}\n    status: {self.update[0]}\n"
                f'    amount: {self.update[1]}\n    note: "Revised."\n    sources: [report]\n'
                if self.update
                else ""
            )
            + f"---\n{self.body} [@report].\n\nIt is [a pledge]{{.aid ref=aid-{name}}}.\n"
            + ("It adds to [the base package]{.aid ref=base-pkg}.\n" if self.refers else "")
        )


# A template that shows bodies through the site's facts and a page's items: pages that
# read bodies of other briefings must follow them, whichever path the rebuild took.
BODIES_TAG = """{% extends "base.html" %}
{% block main %}<h1>{{ page.data.tag_name }}</h1>
{% for b in page.items %}<section>{{ b.title }}: {{ b.html | safe }}</section>{% endfor %}
{% for e in site.events %}{% for b in e.briefings %}<p>{{ e.id }} in {{ b.title }}: {{ b.html | safe }}</p>{% endfor %}{% endfor %}
{% endblock %}
"""

BODY_EDIT = st.tuples(st.just("body"), st.integers(0, 9), TEXT)
ENTITIES = {
    "none": None,
    "basic": "- id: united-states\n  name: United States\n  kind: country\n"
    "- id: espen-barth-eide\n  name: Espen Barth Eide\n  kind: person\n",
    "aliases": "- id: usa\n  name: USA\n  kind: country\n  aliases: [United States]\n"
    "- id: wire\n  name: Wire\n  kind: organisation\n",
}
BASE = (
    Doc(title="The base package", date=dt.date(2024, 1, 5))
    .text("base")
    .replace("id: aid-base", "id: base-pkg")
    .replace("{.aid ref=aid-base}", "{.aid ref=base-pkg}")
)

EDITS = st.one_of(
    BODY_EDIT,  # the commonest edit, three times as likely as any other
    BODY_EDIT,
    BODY_EDIT,
    st.tuples(st.just("title"), st.integers(0, 9), TEXT.map(str.title)),
    st.tuples(st.just("tags"), st.integers(0, 9), st.lists(WORDS, max_size=2).map(tuple)),
    st.tuples(
        st.just("date"), st.integers(0, 9), st.dates(dt.date(2023, 1, 1), dt.date(2026, 1, 1))
    ),
    st.tuples(st.just("amount"), st.integers(0, 9), st.integers(1, 10**9)),
    st.tuples(st.just("shared"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("quote"), st.integers(0, 9), TEXT),
    st.tuples(st.just("draft"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("new"), st.integers(0, 99), TEXT.map(str.title)),
    st.tuples(st.just("delete"), st.integers(0, 9), st.none()),
    st.tuples(st.just("rename"), st.integers(0, 9), st.integers(0, 99)),
    st.tuples(st.just("template"), st.sampled_from(["marker", "bodies", "none"]), st.none()),
    st.tuples(st.just("site"), st.sampled_from(["Test", "Renamed site"]), st.none()),
    st.tuples(st.just("static"), st.sampled_from(["navy", "teal"]), st.none()),
    st.tuples(st.just("pause"), st.none(), st.none()),
    st.tuples(
        st.just("update"),
        st.integers(0, 9),
        st.tuples(st.sampled_from(["committed", "delivered"]), st.integers(1, 10**9)),
    ),
    st.tuples(st.just("update"), st.integers(0, 9), st.none()),
    st.tuples(st.just("refers"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("entities"), st.sampled_from(sorted(ENTITIES)), st.none()),
)


class Author:
    """A project on disk and the briefings it holds, edited as an author would."""

    def __init__(self, root: Path, bodies_template: bool = False) -> None:
        self.root = root
        self.docs: dict[str, Doc] = {}
        self.days = 0
        write_project(
            root,
            {
                "site.yaml": SITE_YAML.format(title="Test"),
                "static/site.css": "",
                "content/briefings/base.md": BASE,  # never edited: updates refer to it
            },
        )
        for i in range(4):
            self.docs[f"b{i}"] = self.new_doc(title=f"Briefing {i}")
        if bodies_template:
            write_project(root, {"templates/tag.html": BODIES_TAG})
        for name, doc in self.docs.items():
            self.write(name, doc)

    def new_doc(self, **fields) -> Doc:
        self.days += 1
        return Doc(update_day=self.days, **fields)

    def path(self, name: str) -> Path:
        return self.root / "content/briefings" / f"{name}.md"

    def write(self, name: str, doc: Doc) -> Path:
        self.docs[name] = doc
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc.text(name))
        return path

    def apply(self, edit: tuple) -> list[Path]:
        """Make one edit; returns the paths it touched (the watcher's hint)."""
        kind, which, value = edit
        names = sorted(self.docs)
        if kind == "pause":
            time.sleep(0.06)
            return []
        if kind == "template":
            templates = self.root / "templates"
            shutil.rmtree(templates, ignore_errors=True)
            if which == "marker":
                base = (ROOT / "dossier/theme/templates/base.html").read_text()
                write_project(
                    self.root, {"templates/base.html": base.replace("<main", "<main data-x")}
                )
            elif which == "bodies":
                write_project(self.root, {"templates/tag.html": BODIES_TAG})
            return [templates]
        if kind == "site":
            (self.root / "site.yaml").write_text(SITE_YAML.format(title=which))
            return [self.root / "site.yaml"]
        if kind == "static":
            (self.root / "static/site.css").write_text(f"body {{ color: {which} }}")
            return [self.root / "static/site.css"]
        if kind == "new":
            name = f"n{which}"
            if name in self.docs:
                return [self.write(name, dataclasses.replace(self.docs[name], title=value))]
            return [self.write(name, self.new_doc(title=value))]
        if kind == "entities":
            path = self.root / "content/entities.yaml"
            if ENTITIES[which] is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(ENTITIES[which])
            return [path]
        if not names:
            return []
        name = names[which % len(names)]
        doc = self.docs[name]
        if kind == "delete":
            self.path(name).unlink()
            del self.docs[name]
            return [self.path(name)]
        if kind == "rename":
            new = f"r{value}"
            if new in self.docs:
                return []
            old = self.path(name)
            old.rename(self.path(new))
            self.docs[new] = self.docs.pop(name)
            return [old, self.path(new)]
        field = {"body": "body", "title": "title", "tags": "tags", "date": "date"}.get(kind, kind)
        if kind == "update" and value is not None:
            value = (value[0], value[1])
        return [self.write(name, dataclasses.replace(doc, **{field: value}))]


def preview_files(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in site_files(out).items() if k != MARKER}


PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@PROPERTY
@given(edits=st.lists(EDITS, min_size=1, max_size=6), bodies=st.booleans())
@example(edits=[("body", 0, "zulu"), ("title", 1, "Kilo")], bodies=True)
def test_builds_after_any_edits_equal_a_cold_build(tmp_path_factory, edits, bodies):
    root = tmp_path_factory.mktemp("edits")
    author = Author(root / "project", bodies)
    build_site(author.root, BuildOptions(jobs=2))
    for edit in edits:
        author.apply(edit)
        build_site(author.root, BuildOptions(jobs=2))
    assert site_files(author.root / "_site") == cold_build(author.root, root / "oracle")


@pytest.mark.slow
@PROPERTY
@given(edits=st.lists(EDITS, min_size=1, max_size=6), hinted=st.booleans(), bodies=st.booleans())
@example(edits=[("body", 0, "zulu"), ("body", 0, "kilo")], hinted=True, bodies=True)
@example(edits=[("pause", None, None), ("body", 2, "zulu")], hinted=False, bodies=True)
def test_the_preview_after_any_edits_equals_a_cold_build(tmp_path_factory, edits, hinted, bodies):
    root = tmp_path_factory.mktemp("preview")
    author = Author(root / "project", bodies)
    preview = Preview(author.root)
    preview.build()
    for edit in edits:
        touched = author.apply(edit)
        preview.build(touched if hinted else None)
    expected = cold_build(author.root, root / "oracle", drafts=True)
    assert preview_files(author.root / ".dossier-preview") == {
        k: v for k, v in expected.items() if k != MARKER
    }


@pytest.mark.slow
@PROPERTY
@given(edits=st.lists(EDITS, min_size=1, max_size=4), bodies=st.booleans())
def test_a_preview_restarted_after_edits_equals_a_cold_build(tmp_path_factory, edits, bodies):
    """A new serve session starts from the memory the last one saved."""
    root = tmp_path_factory.mktemp("restart")
    author = Author(root / "project", bodies)
    first = Preview(author.root)
    first.build()
    first.save()
    for edit in edits:
        author.apply(edit)
    again = Preview(author.root)
    again.build()
    expected = cold_build(author.root, root / "oracle", drafts=True)
    assert preview_files(author.root / ".dossier-preview") == {
        k: v for k, v in expected.items() if k != MARKER
    }
