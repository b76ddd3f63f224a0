"""The ``import`` and ``new`` commands: drafts that parse, refusals that write nothing."""

from __future__ import annotations

import argparse
import html as html_module
import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.briefing import load_briefing
from dossier.config import SiteConfig
from dossier.importer.cli import add_parsers
from dossier.importer.text import escape_markdown
from dossier.importer.writing import check_slug
from dossier.markdown import BodyRenderer, MarkdownOptions

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "seed.txt"
LEAD_EXTENSIONS = ["footnotes", "tables", "toc", "attr_list"]  # the lead's, less smarty quotes
DOSSIER_MARKDOWN = BodyRenderer(MarkdownOptions(extensions=tuple(LEAD_EXTENSIONS)))
REQUIRED = {"title", "date", "summary", "tags", "draft", "sources", "events", "aid", "quotes"}


def run(project: Path, *argv: str, stdin: bytes | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py")
    parser.add_argument("--project", type=Path, default=project)
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
        try:
            return args.func(args)
        finally:
            sys.stdin = old
    return args.func(args)


def split_draft(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    assert match, "draft has no front matter block"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict)
    return meta, match.group(2)


CONFIG = SiteConfig(title="T", base_url="https://example.org/")
RENDERER = BodyRenderer()


def check_draft(text: str) -> dict:
    """Structure every draft must have, and Dossier's own loader accepts it with no error."""
    meta, body = split_draft(text)
    assert REQUIRED <= meta.keys()
    assert meta["draft"] is True
    ids = [item["id"] for key in ("sources", "events", "aid", "quotes") for item in meta[key]]
    assert len(ids) == len(set(ids)), ids
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids), ids
    sources = {s["id"] for s in meta["sources"]}
    for item in meta["events"] + meta["aid"]:
        assert set(item["sources"]) <= sources
    for quote in meta["quotes"]:
        assert quote["source"] in sources and quote["who"]
    for aid in meta["aid"]:
        assert aid["currency"].isupper() and aid["kind"] in {
            "military", "financial", "humanitarian", "other"
        }  # fmt: skip
        assert aid["status"] in {"pledged", "committed", "delivered"}
        assert (aid["donor"] and aid["recipient"]) or aid["review"] is True
        assert isinstance(aid["amount"], int | str) and not isinstance(aid["amount"], bool)
    for ref in re.findall(r"\{\.\w+ ref=([a-z0-9-]+)\}", body) + re.findall(r"\[@([\w-]+)\]", body):
        assert ref in ids, ref
    briefing, problems = load_briefing(
        "content/briefings/draft.md", text.encode(), CONFIG, RENDERER
    )
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert briefing is not None and briefing.draft
    return meta


ARTICLES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".md", ".html"})


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_fixture_becomes_a_well_formed_draft(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(tmp_path, "import", str(article), "--date", "2025-01-16", "--dry-run",
               "--url", "https://example.org/a", "--publisher", "Example")  # fmt: skip
    assert code == 0
    meta = check_draft(capsys.readouterr().out)
    assert meta["sources"][0]["url"] == "https://example.org/a"
    assert not (tmp_path / "content").exists()


def test_import_writes_the_seed_draft_and_reports_what_it_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "import", str(SEED), "--date", "2024-11-21", "--slug", "mines") == 0
    meta = check_draft((tmp_path / "content/briefings/mines.md").read_text("utf-8"))
    assert "wrote" in capsys.readouterr().out
    assert [e["date"].isoformat() for e in meta["events"]] == ["2024-11-20"]
    assert meta["aid"][0]["amount"] == 275_000_000 and meta["aid"][0]["currency"] == "USD"
    assert {q["who"] for q in meta["quotes"]} == {
        "Lloyd Austin", "Amnesty International", "Espen Barth Eide"
    }  # fmt: skip
    assert "landmines" in meta["tags"]
    assert list((tmp_path / "content/briefings").iterdir()) == [
        tmp_path / "content/briefings/mines.md"
    ]


def test_import_never_overwrites_and_suggests_slug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "content/briefings/mines.md"
    target.parent.mkdir(parents=True)
    target.write_text("mine, not yours")
    assert run(tmp_path, "import", str(SEED), "--date", "2024-11-21", "--slug", "mines") == 1
    assert target.read_text() == "mine, not yours"
    assert "--slug" in capsys.readouterr().err
    assert [p.name for p in target.parent.iterdir()] == ["mines.md"]


BAD_INPUTS: dict[str, Callable[[Path], Path]] = {
    "empty": lambda d: _write(d / "a.txt", b"  \n\n"),
    "binary": lambda d: _write(d / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"),
    "too large": lambda d: _write(d / "a.txt", b"word " * (1024 * 1024 + 1)),
    "missing": lambda d: d / "nope.txt",
    "html without text": lambda d: _write(d / "a.html", b"<script>x()</script><nav>Home</nav>"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_with_nothing_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = BAD_INPUTS[case](tmp_path)
    assert run(tmp_path, "import", str(article), "--date", "2024-11-21") == 1
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize(
    "slug", ["..", "../x", "a/b", "a\\b", "%2e%2e", "/etc/x", "x\x00", "CON", "con", "lpt1", ""]
)
def test_slugs_that_could_leave_content_are_refused(slug: str, tmp_path: Path) -> None:
    assert check_slug(slug)
    if "\x00" not in slug:
        assert run(tmp_path, "import", str(SEED), "--date", "2024-11-21", "--slug", slug) == 1
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("option", [["--date", "2024-02-30"], ["--currency", "XYZ"],
                                    ["--url", "javascript:alert(1)"]])  # fmt: skip
def test_bad_options_are_usage_errors(option: list[str], tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SEED), *option) == 2
    assert not (tmp_path / "content").exists()


def test_stdin_and_cp1252_are_read_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "“We pledge €5 million,” said Minister José Álvarez on 3 April 2024."
    assert run(tmp_path, "import", "-", "--date", "2024-04-04", "--dry-run",
               stdin=text.encode("cp1252")) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert "cp1252" in err
    meta = check_draft(out)
    assert meta["quotes"][0]["who"] == "José Álvarez"
    assert meta["aid"][0]["amount"] == 5_000_000 and meta["aid"][0]["currency"] == "EUR"


def test_currency_option_sets_the_bare_dollar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "import", "-", "--date", "2024-04-04", "--dry-run", "--currency", "CAD",
               stdin=b"Ottawa gave $5 million to Ukraine.") == 0  # fmt: skip
    assert check_draft(capsys.readouterr().out)["aid"][0]["currency"] == "CAD"


def test_html_drops_navigation_scripts_and_asides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "import", str(FIXTURES / "page.html"), "--dry-run") == 0
    out = capsys.readouterr().out
    meta = check_draft(out)
    assert meta["title"].startswith("Japan to provide $3 billion")
    assert meta["date"].isoformat() == "2024-12-27"  # from article:published_time
    assert "999" not in out and "Subscribe" not in out and "John Doe" not in out
    assert "newsletter" not in out and "archive" not in out


def test_hostile_article_text_cannot_inject_html_or_spans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = (
        b"# Not a heading\n\n<script>alert(1)</script> [fake]{.aid ref=x} [@evil] `code`\n\n"
        b"- not a list <img src=x onerror=alert(1)> and $5 million for Ukraine."
    )
    assert run(tmp_path, "import", "-", "--date", "2024-04-04", "--dry-run", stdin=hostile) == 0
    _, body = split_draft(capsys.readouterr().out)
    html = markdown.markdown(body, extensions=LEAD_EXTENSIONS)
    assert "<script" not in html and "<img" not in html and "<h1" not in html
    assert "<ul" not in html and "<code" not in html
    assert "&lt;script&gt;" in html
    assert "ref=x" not in re.findall(r"\{\.\w+ ref=[^}]*\}", body.replace("\\{", ""))
    assert "[$5 million]{.aid ref=aid-usd-5m}" in body


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_escaped_text_renders_as_itself(text: str) -> None:
    # Dossier's own renderer: it reads "\\@" as an at sign (no citation), as Pandoc does.
    html = DOSSIER_MARKDOWN.render(
        escape_markdown(text), path="x.md", first_line=1, targets={}
    ).html
    visible = re.sub(r"<[^>]+>", "", html)
    assert " ".join(html_module.unescape(visible).split()) == " ".join(text.split())


def test_new_writes_an_empty_draft_once(tmp_path: Path) -> None:
    assert run(tmp_path, "new", "Mines: a second look", "--date", "2025-01-02") == 0
    path = tmp_path / "content/briefings/mines-a-second-look.md"
    meta = check_draft(path.read_text("utf-8"))
    assert meta["title"] == "Mines: a second look" and meta["draft"] is True
    assert [e["id"] for e in meta["events"]] == ["event-1"]  # an example entry of each list
    assert meta["aid"][0]["donor"] == "TODO: who gives"
    assert run(tmp_path, "new", "Mines: a second look") == 1
    assert run(tmp_path, "new", "x", "--slug", "../escape") == 1
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_titles_that_yaml_would_retype_stay_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "new", "NO", "--dry-run") == 0
    assert check_draft(capsys.readouterr().out)["title"] == "NO"
