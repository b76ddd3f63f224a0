"""Property-based: whatever the front matter, site.yaml and body, a build either succeeds
or ends in a DossierError whose every problem names a project file (and a line in it),
never a traceback, never a hang, never a write outside the output folder, and never a
script, event handler or javascript: URL on a page that the templates did not put there.

Most examples run the pipeline in memory (load_site + render_pages); fewer run the whole
build_site (Pagefind included) in a temporary folder whose every file is compared before
and after.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from dossier.build import BuildOptions, build_site, load_site
from dossier.engine import plan_pages
from dossier.errors import DossierError
from dossier.markdown.safety import unsafe_scheme
from dossier.output import MARKER
from dossier.render import make_environment, render_pages


class Raw(str):
    """YAML text written as is (a scalar YAML must type itself: NO, 012, 2024-02-30 …)."""


DELETE = object()
HOSTILE_TEXT = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    '=HYPERLINK("http://x")',
    "\u202eevil",
    "a\u2028b",
    "{{ config }}",
    "{% raw %}",
]
YAML_SCALARS = [
    "yes", "NO", "on", "Off", "y", "~", "null", "012", "0o17", "0x1F", "1_000", "1e6",
    ".inf", "-.inf", ".nan", ".NaN", "-5", "0", "-0.0", "12:30", "1:30:00", "2024-02-30",
    "2024-1-2", "2024-13", "2024", "2024-11", "2001-12-14t21:59:43.10-05:00",
    "2024-11-20 10:00:00", "99999999999999999999999999999999", "1e400", "3.14",
    '""', "''", "[]", "{}", "!!binary aGVsbG8=", "!!python/object/apply:os.getcwd []",
    "!!str 5", "&anchor x", "*anchor", '"\\u0000"', '"\\x85"', "'275 million'",
    "'1.2 billion'", "'-3 million'", "'lots'", "USD", "usd", "XXX", "EUR", "military",
    "pledged", "report", "e1", "pkg", "quote-1",
]  # fmt: skip
CURRENCIES = ["USD", "EUR", "GBP", "UAH", "JPY", "usd", "ZZZ", "US", "", "€"]
IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True)

SCALARS = st.one_of(
    st.sampled_from(YAML_SCALARS).map(Raw),
    st.text(max_size=25),
    st.sampled_from(HOSTILE_TEXT),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: Raw(str(d))),
    st.booleans(),
    st.none(),
    st.sampled_from(CURRENCIES),
    IDS,
    st.dates().map(lambda d: Raw(d.isoformat())),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(IDS, st.text(max_size=5)), inner, max_size=3),
    ),
    max_leaves=6,
)

# Values a careful author could write: the build should mostly succeed with these.
PLAUSIBLE = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    st.decimals(min_value=1, max_value=10**12, places=2).map(lambda d: Raw(str(d))),
    st.sampled_from(["USD", "EUR", "GBP", "UAH"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).map(
        lambda d: Raw(d.isoformat())
    ),
    IDS,
)

VALID_FRONT: dict[str, Any] = {
    "title": "A briefing",
    "date": Raw("2024-11-21"),
    "summary": "A summary.",
    "tags": ["ukraine"],
    "sources": [
        {"id": "report", "title": "R", "publisher": "P", "url": "https://example.org/r", "kind": "media"}
    ],
    "events": [{"id": "e1", "date": Raw("2024-11-20"), "label": "L", "sources": ["report"]}],
    "aid": [
        {
            "id": "pkg", "amount": 275000000, "currency": "USD", "donor": "D", "recipient": "R",
            "date": Raw("2024-11-20"), "kind": "military", "status": "pledged", "sources": ["report"],
        }
    ],
    "quotes": [{"who": "W", "role": "R", "text": "T", "source": "report"}],
}  # fmt: skip


def field_paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from field_paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from field_paths(v, (*prefix, i))


FIELD_PATHS = [p for p in field_paths(VALID_FRONT) if p] + [
    ("slug",), ("draft",), ("updated",), ("bogus",), ("aid", 0, "package"), ("aid", 0, "items"),
    ("events", 0, "place"), ("quotes", 0, "id"), ("quotes", 0, "date"), ("sources", 0, "published"),
]  # fmt: skip


TEXT_PATHS = [
    ("title",), ("summary",), ("tags", 0), ("sources", 0, "title"), ("sources", 0, "publisher"),
    ("events", 0, "label"), ("events", 0, "place"), ("aid", 0, "donor"), ("aid", 0, "recipient"),
    ("aid", 0, "package"), ("quotes", 0, "who"), ("quotes", 0, "role"), ("quotes", 0, "text"),
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_TEXT[:3]),  # the ones that would run if a template forgot to escape
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
)


def mutate(front: dict, path: tuple, value: Any) -> None:
    """Set (or delete) the field at ``path`` if its parents are still there."""
    *parents, last = path
    node: Any = front
    for key in parents:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    elif isinstance(node, dict):
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value


def emit(value: Any) -> str:
    """Flow-style YAML for a value: every top-level key fits on one line."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(emit(v) for v in value) + "]"
    return "{" + ", ".join(f"{emit(str(k))}: {emit(v)}" for k, v in value.items()) + "}"


TEXT_DAMAGE = st.sampled_from([None, None, None, "bom", "crlf", "tab", "dup", "unclosed", "cut"])


@st.composite
def briefing_files(
    draw: st.DrawFn,
    values: st.SearchStrategy = VALUES,
    damage: st.SearchStrategy = TEXT_DAMAGE,
    schemes: list[str] | None = None,
    paths: list[tuple] = FIELD_PATHS,
    always_change: bool = False,
) -> str:
    front = copy.deepcopy(VALID_FRONT)
    if schemes is None:
        values = st.just(DELETE) | values
    change = st.tuples(st.sampled_from(paths), values)
    changes = st.lists(change, min_size=1, max_size=3)
    for path, value in draw(changes if always_change else st.just([]) | changes):
        mutate(front, path, value)
    lines = [f"{emit(str(k))}: {emit(v)}" for k, v in front.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n" + draw(bodies(schemes or SCHEMES))
    damage = draw(damage)
    if damage == "bom":
        text = "\ufeff" + text
    elif damage == "crlf":
        text = text.replace("\n", "\r\n")
    elif damage == "tab":
        text = text.replace("\nsources:", "\n\tsources:", 1)
    elif damage == "dup":
        text = text.replace("\nsummary:", "\ntitle: again\nsummary:", 1)
    elif damage == "unclosed":
        text = text.replace("\n---\n", "\n", 1)
    elif damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    return text


SCHEMES = [
    "https://example.org/", "http://e.org", "mailto:a@e.org", "#frag", "../x/", "//evil.example",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "java\tscript:x",
    "java&#x09;script:x", "\x01javascript:x", "data:text/html,x", "DATA:image/svg+xml,x",
    "vbscript:x", "ftp://e.org", "file:///etc/passwd", "", " ",
]  # fmt: skip
RAW_HTML = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div onclick='x'>d</div>",
    '<a href="javascript:alert(1)">a</a>', "<b>bold</b>", "<iframe src=javascript:alert(1)>",
    "<svg onload=alert(1)>", "<!-- c -->", "</script>", '<a href="JaVa&#x53;cript:x">y</a>',
    "<style>body{background:url(javascript:x)}</style>", "<form action=javascript:x><button>b",
]  # fmt: skip
REFS = st.one_of(st.sampled_from(["report", "pkg", "e1", "quote-1", "nope"]), IDS)
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def bodies(schemes: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(
        WORDS,
        st.lists(REFS, min_size=1, max_size=2).map(lambda r: "[@" + "; @".join(r) + "]"),
        st.builds(
            lambda t, k, r: f"[{t}]{{.{k} ref={r}}}",
            WORDS,
            st.sampled_from(["aid", "event", "quote", "source", "bogus"]),
            REFS,
        ),
        st.builds(lambda t, u: f"[{t}]({u})", WORDS, st.sampled_from(schemes)),
        st.builds(lambda u: f"![i]({u})", st.sampled_from(schemes)),
        st.sampled_from(schemes).map(lambda u: f"<{u}>"),
        st.sampled_from(RAW_HTML),
        st.sampled_from(
            ["*x*", "**y**", "_z_", "`code <script>`", "$275 million", "20 November 2024"]
        ),
        st.sampled_from(
            ["\n- a\n- b\n", "\n1. one\n2. two\n", "\n    - nested\n        - deeper\n"]
        ),
        st.sampled_from(["\n```\n<script>alert(1)</script>\n```\n", "\n    indented <b>\n"]),
        st.sampled_from(
            ["\n## Head {: onclick=alert(1) }\n", "\n{: href=javascript:x }\n", "\n# H\n"]
        ),
        st.sampled_from(
            ["[^1]", "\n[^1]: note\n", "\n| a | b |\n|---|---|\n| 1 | 2 |\n", "\n> q\n"]
        ),
    )
    return st.lists(st.tuples(piece, st.sampled_from([" ", "\n", "\n\n"])), max_size=12).map(
        lambda parts: "".join(p + s for p, s in parts)
    )


SITE_BASE = {
    "title": "T",
    "base_url": "https://example.org/briefings/",
    "language": "en",
    "date_format": "d MMMM y",
    "reporting_currency": "USD",
}
SITE_KEYS = [*SITE_BASE, "allow_raw_html", "page_size", "timezone", "exchange_rates", "markdown", "bogus"]  # fmt: skip


@st.composite
def site_yamls(draw: st.DrawFn) -> str:
    config: dict[str, Any] = dict(SITE_BASE, allow_raw_html=draw(st.booleans()))
    if draw(st.integers(0, 4)) == 0:  # mostly a valid site.yaml, so briefings get read
        for key, value in draw(st.lists(st.tuples(st.sampled_from(SITE_KEYS), VALUES), max_size=2)):
            config[key] = value
    return "".join(f"{k}: {emit(v)}\n" for k, v in config.items())


# Invariants ----------------------------------------------------------------------------

ALLOWED_SCRIPT = re.compile(r"^/briefings/(static/js|pagefind)/[\w.-]+\.js$")


def assert_problems_name_project_files(exc: DossierError, project: Path) -> None:
    assert exc.problems, "a DossierError with no problem"
    for p in exc.problems:
        assert p.path == "site.yaml" or p.path.startswith(("content/", "templates/")), p
        source = project / p.path
        assert source.exists() or source.is_symlink(), p
        if p.line is not None:
            lines = len(re.split(rb"\r\n|\r|\n", source.read_bytes()))  # a lone CR ends a line too
            assert 1 <= p.line <= lines, (p, lines)
        assert str(p) and exc.report()


def assert_safe_html(text: str, where: str, raw_html_allowed: bool) -> None:
    """No script, handler or embed the templates did not write; with ``allow_raw_html``
    the author may write HTML, but dangerous URL schemes stay refused everywhere."""
    doc = lxml_html.fromstring(text)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                assert unsafe_scheme(value) is None, (where, name, value)
    if raw_html_allowed:
        return
    scripts = list(doc.iter("script"))
    assert text.lower().count("<script") == len(scripts), where
    for script in scripts:
        if script.get("type") == "application/ld+json":
            json.loads(script.text)
        else:
            assert ALLOWED_SCRIPT.match(script.get("src", "")), (where, script.attrib)
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert el.tag not in ("iframe", "object", "embed", "style", "math", "base"), where
            assert not [a for a in el.attrib if a.lower().startswith("on")], (where, el.attrib)


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """A hang fails the example (hypothesis' deadline only reports after it returns)."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write(root: Path, files: dict[str, str]) -> Path:
    project = root / "project"
    for rel, text in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return project


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in root.rglob("*")
    }


def may_change(rel: str) -> bool:
    """The output, its lock, staging and spare trees, and the build cache beside it."""
    return rel in ("project/_site", "project/._site.lock") or rel.startswith(
        (
            "project/_site/",
            "project/._site.staging-",
            "project/._site.spare",
            "project/.dossier-cache",
        )
    )


COMMON = dict(
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


@settings(max_examples=200, deadline=5000, **COMMON)
@given(
    site_yaml=site_yamls(),
    first=briefing_files(TEXT | PLAUSIBLE | VALUES),
    second=st.none() | briefing_files(PLAUSIBLE | VALUES),
)
def test_in_memory_pipeline_succeeds_or_names_file_and_line(site_yaml, first, second):
    files = {"site.yaml": site_yaml, "content/briefings/a.md": first}
    if second is not None:
        files["content/briefings/b.md"] = second
    with tempfile.TemporaryDirectory() as tmp, bounded(20):
        project = write(Path(tmp), files)
        try:
            site, _ = load_site(project, BuildOptions(drafts=True))
            env = make_environment(project, site.config)
            pages = list(render_pages(env, site, plan_pages(site)))
        except DossierError as exc:
            assert_problems_name_project_files(exc, project)
            event(f"refused: {exc.problems[0].key.split('.')[-1] or exc.problems[0].message[:30]}")
            return
        event("built")
        for path, data in pages:
            if path.endswith(".html"):
                assert_safe_html(data.decode("utf-8"), path, site.config.allow_raw_html)


@settings(max_examples=40, deadline=15000, **COMMON)
@given(
    site_yaml=site_yamls(),
    first=briefing_files(
        TEXT,
        paths=TEXT_PATHS,
        always_change=True,
        damage=st.sampled_from([None] * 6 + ["bom", "crlf", "cut"]),
        schemes=SCHEMES[:6] + SCHEMES[-2:],  # hostile text, no dangerous link: builds succeed
    ),
    drafts=st.booleans(),
    rebuild=st.booleans(),
)
def test_full_builds_write_only_their_output_folder(site_yaml, first, drafts, rebuild):
    with tempfile.TemporaryDirectory() as tmp, bounded(60):
        root = Path(tmp)
        project = write(root, {"site.yaml": site_yaml, "content/briefings/a.md": first})
        (root / "outside.txt").write_text("not Dossier's")
        out = project / "_site"
        if rebuild:  # a failed build must also leave an earlier site as it was
            out.mkdir()
            (out / MARKER).write_text("")
        before = snapshot(root)
        try:
            result = build_site(project, BuildOptions(output=out, drafts=drafts))
        except DossierError as exc:
            assert_problems_name_project_files(exc, project)
            result = None
            event(f"refused: {exc.problems[0].message[:40]}")
        after = snapshot(root)
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert all(may_change(k) for k in changed), sorted(k for k in changed if not may_change(k))
        assert not list(project.glob("._site.staging-*"))
        if result is None:  # a refused build leaves the earlier output as it was
            assert changed <= {"project/._site.lock"}, changed
            return
        event("built")
        for page in out.rglob("*.html"):
            if "pagefind" not in page.parts:
                where = str(page.relative_to(out))
                assert_safe_html(page.read_text("utf-8"), where, result.site.config.allow_raw_html)
