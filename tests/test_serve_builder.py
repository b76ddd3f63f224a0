"""The preview's incremental builder: only what changed is rendered and written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import BRIEFING, cold_build

from dossier.errors import DossierError
from dossier.output import MARKER
from dossier.page import Page
from dossier.serve.preview import Preview as Builder
from dossier.views.plan import PAGE_PLANNERS


def briefing(title: str, body: str = "Body text") -> str:
    return BRIEFING.replace('"A test briefing"', f'"{title}"').replace("Body text", body)


@pytest.fixture
def project(make_project) -> Path:
    made = make_project({f"content/briefings/b{i}.md": briefing(f"Briefing {i}") for i in range(5)})
    time.sleep(0.1)  # settled: a file changed just before it is read is read again next time
    return made


def test_first_build_writes_everything_into_a_marked_preview_folder(project: Path):
    result = Builder(project).build()
    out = project / ".dossier-preview"
    assert result.full
    assert {"index.html", *(f"briefings/b{i}/index.html" for i in range(5))} <= set(
        result.rendered_paths
    )
    assert (out / MARKER).is_file() and (out / "briefings/b3/index.html").is_file()
    assert (out / "static/css/dossier.css").is_file()


def test_a_body_edit_renders_only_its_own_page(project: Path, tmp_path: Path):
    """The index reads titles, dates, tags and summaries, never a body."""
    builder = Builder(project)
    builder.build()
    (project / "content/briefings/b2.md").write_text(briefing("Briefing 2", "New words"))
    result = builder.build()
    assert not result.full
    briefing_pages = {p for p in result.rendered_paths if p.startswith("briefings/")}
    assert briefing_pages == {"briefings/b2/index.html"}
    assert "index.html" not in result.rendered_paths
    # the feeds carry full content, so they change with a body; nothing else does
    assert set(result.written) <= {
        "briefings/b2/index.html", "feed.xml", "feed.json", "tags/ukraine/feed.xml"
    }  # fmt: skip
    assert "briefings/b2/index.html" in result.written
    assert "New words" in (project / ".dossier-preview/briefings/b2/index.html").read_text()
    assert_matches_cold_build(project, tmp_path)


def test_a_title_edit_also_rewrites_the_index(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    (project / "content/briefings/b1.md").write_text(briefing("Renamed"))
    written = set(builder.build().written)
    assert {"briefings/b1/index.html", "index.html"} <= written
    assert not {f"briefings/b{i}/index.html" for i in (0, 2, 3, 4)} & written
    assert_matches_cold_build(project, tmp_path)


def test_nothing_changed_means_nothing_written(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    path = project / "content/briefings/b0.md"
    path.write_text(path.read_text())  # a save without changes
    result = builder.build()
    assert not result.changed and result.written == ()
    assert not [p for p in result.rendered_paths if p.startswith("briefings/")]
    assert_matches_cold_build(project, tmp_path)


def planner_template(project: Path, name: str, text: str) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text)


@pytest.mark.parametrize(
    ("template", "edit", "rerendered"),
    [
        ("{% for b in page.items %}{{ b.title }}{% endfor %}", "title", True),
        ("{% for b in page.items %}{{ b.title }}{% endfor %}", "body", False),
        ("{% for b in site.briefings %}{{ b.html | safe }}{% endfor %}", "body", True),
        # a briefing as text is its identity (its path): a body edit changes nothing there
        ("{% for b in site.briefings %}{{ b | string }}{% endfor %}", "body", False),
        ("{{ site.briefings | jsonld }}", "body", False),
        # a filter that reads a briefing in Python follows all of it
        ("{% for b in site.briefings %}{{ b | article_jsonld }}{% endfor %}", "body", True),
        ("{{ site.briefings | pprint }}", "body", True),
        ("{% for b in site.briefings | selectattr('draft') %}x{% endfor %}", "body", False),
        ("{% for t, bs in site.tags.items() %}{{ bs | length }}{% endfor %}", "body", False),
        ("{{ site.briefings | length }}", "new file", True),
    ],
)
def test_a_view_page_is_rendered_again_exactly_when_what_it_read_changed(
    project: Path, template: str, edit: str, rerendered: bool
):
    planner_template(project, "view.html", template)
    PAGE_PLANNERS.append(
        lambda site: [Page("view/index.html", "view.html", "View", items=site.briefings)]
    )
    try:
        builder = Builder(project)
        builder.build()
        path = project / "content/briefings/b4.md"
        if edit == "title":
            path.write_text(briefing("Briefing four"))
        elif edit == "body":
            path.write_text(briefing("Briefing 4", "Another body"))
        else:
            (project / "content/briefings/b9.md").write_text(briefing("Nine"))
        result = builder.build()
        assert ("view/index.html" in result.rendered_paths) == rerendered, result
    finally:
        PAGE_PLANNERS.pop()


def test_a_briefing_page_that_lists_others_follows_their_titles(project: Path, tmp_path: Path):
    base = (
        Path(__file__).resolve().parent.parent / "dossier/theme/templates/briefing.html"
    ).read_text()
    planner_template(
        project,
        "briefing.html",
        base.replace(
            "{% endblock %}",
            "{% for o in site.briefings %}[{{ o.title }}]{% endfor %}{% endblock %}",
            1,
        ).replace("{% block description %}[", "{% block description %}"),
    )
    builder = Builder(project)
    builder.build()
    (project / "content/briefings/b1.md").write_text(briefing("Brand new title"))
    result = builder.build()
    assert "briefings/b3/index.html" in result.written
    assert "[Brand new title]" in (project / ".dossier-preview/briefings/b3/index.html").read_text()
    (project / "content/briefings/b1.md").write_text(briefing("Brand new title", "Body only"))
    written = builder.build().written
    assert [p for p in written if p.startswith("briefings/")] == ["briefings/b1/index.html"]
    assert_matches_cold_build(project, tmp_path)


def test_a_deleted_briefing_loses_its_page(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    (project / "content/briefings/b4.md").unlink()
    result = builder.build()
    assert result.removed == (
        "briefings/b4/card.png",
        "briefings/b4/index.html",
    )  # and its share card
    assert not (project / ".dossier-preview/briefings/b4").exists()
    assert_matches_cold_build(project, tmp_path)


def test_a_template_change_renders_every_page(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    (project / "templates").mkdir()
    base = Path(__file__).resolve().parent.parent / "dossier/theme/templates/base.html"
    (project / "templates/base.html").write_text(
        base.read_text().replace("<main", "<main data-x='1'")
    )
    result = builder.build()
    html = {p for p in result.rendered_paths if p.endswith(".html")}
    assert result.full and html and html <= set(result.written)
    assert_matches_cold_build(project, tmp_path)


def test_a_failed_build_writes_nothing_and_the_next_good_one_catches_up(
    project: Path, tmp_path: Path
):
    builder = Builder(project)
    builder.build()
    out = project / ".dossier-preview"
    before = (out / "index.html").read_bytes()
    (project / "templates").mkdir()
    (project / "templates/index.html").write_text("{% if %}")
    (project / "content/briefings/b0.md").write_text(briefing("Changed title"))
    with pytest.raises(DossierError) as err:
        builder.build()
    assert "templates/index.html:1" in err.value.report()
    assert (out / "index.html").read_bytes() == before
    (project / "templates/index.html").unlink()
    result = builder.build()
    assert "Changed title" in (out / "index.html").read_text()
    assert {"index.html", "briefings/b0/index.html"} <= set(result.written)
    assert_matches_cold_build(project, tmp_path)


def test_a_hint_from_the_watcher_loads_only_the_named_files(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    edited = project / "content/briefings/b3.md"
    unseen = project / "content/briefings/b1.md"
    edited.write_text(briefing("Hinted edit"))
    unseen.write_text(briefing("Not in the hint"))
    result = builder.build([edited])
    assert "Hinted edit" in (project / ".dossier-preview/index.html").read_text()
    assert "Not in the hint" not in (project / ".dossier-preview/index.html").read_text()
    assert {"briefings/b3/index.html", "index.html"} <= set(result.written)
    assert "briefings/b1/index.html" not in result.written
    builder.build()  # no hint: every file is looked at, and the other edit shows
    assert_matches_cold_build(project, tmp_path)


def test_a_hint_naming_a_folder_or_a_deleted_file_is_handled(project: Path, tmp_path: Path):
    builder = Builder(project)
    builder.build()
    sub = project / "content/briefings/sub"
    sub.mkdir()
    (sub / "new.md").write_text(briefing("In a folder"))
    assert "briefings/new/index.html" in builder.build([sub]).written
    (sub / "new.md").unlink()
    assert builder.build([sub / "new.md"]).removed == (
        "briefings/new/card.png",
        "briefings/new/index.html",
    )
    (sub / "again.md").write_text(briefing("Again"))
    sub.rename(project / "content/briefings/moved")
    assert "briefings/again/index.html" in builder.build([sub]).written
    assert_matches_cold_build(project, tmp_path)


def test_body_then_title_edits_end_where_a_fresh_preview_build_would(project: Path, tmp_path: Path):
    """Body-only edits take the fast path (last site, bodies swapped in); whatever path
    each rebuild took, the preview equals a fresh build of the same files."""
    builder = Builder(project)
    builder.build()
    edits = [
        ("b2", briefing("Briefing 2", "First new body")),
        ("b2", briefing("Briefing 2", "Second new body")),
        ("b3", briefing("Retitled three", "Body text")),
        ("b2", briefing("Briefing 2", "Third new body")),
    ]
    for name, text in edits:
        path = project / f"content/briefings/{name}.md"
        path.write_text(text)
        builder.build([path])
    assert_matches_cold_build(project, tmp_path)
    assert "Third new body" in (project / ".dossier-preview/briefings/b2/index.html").read_text()
    assert "Retitled three" in (project / ".dossier-preview/index.html").read_text()


def without_marker(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k != MARKER}


def preview_files(project: Path) -> dict[str, bytes]:
    root = project / ".dossier-preview"
    return without_marker(
        {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    )


def assert_matches_cold_build(project: Path, tmp_path: Path) -> None:
    """The preview equals a drafts build by a fresh process on a fresh copy, no memory."""
    assert preview_files(project) == without_marker(cold_build(project, tmp_path, drafts=True))
