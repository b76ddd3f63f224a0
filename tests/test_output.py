"""The output folder: refused when dangerous, replaced whole, never lost on failure."""

import os

import pytest
from conftest import BRIEFING, run_cli, tree_bytes

from dossier.build import BuildOptions, build_site
from dossier.errors import DossierError
from dossier.output import MARKER, resolve_output


@pytest.mark.parametrize(
    "output_dir, message",
    [
        (".", "is the project folder itself"),
        ("content", "overlaps the content/ folder"),
        ("content/out", "overlaps the content/ folder"),
        ("templates", "overlaps the templates/ folder"),
        ("static/site", "overlaps the static/ folder"),
        ("..", "overlaps the content/ folder"),
    ],
)
def test_dangerous_output_dirs_are_refused_and_nothing_is_deleted(
    make_project, output_dir, message
):
    project = make_project(
        {"content/briefings/a.md": BRIEFING, "static/s.css": "x", "templates/.keep": ""}
    )
    before = tree_bytes(project)
    with pytest.raises(DossierError, match=message):
        resolve_output(project, output_dir)
    result = run_cli("build", "--output", output_dir, cwd=project)
    assert result.returncode == 1 and message in result.stderr
    assert tree_bytes(project) == before


def test_a_non_empty_folder_dossier_did_not_create_is_refused(make_project, tmp_path):
    project = make_project({"content/briefings/a.md": BRIEFING})
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    result = run_cli("build", "--output", foreign, cwd=project)
    assert result.returncode == 1 and "was not created by Dossier" in result.stderr
    assert (foreign / "thesis.docx").read_text() == "precious"


def test_build_writes_a_marker_and_replaces_the_previous_site_whole(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    out = project / "_site"
    build_site(project)
    assert (out / MARKER).is_file()
    (out / "stale.html").write_text("from an old build")
    inode_before = out.stat().st_ino
    build_site(project)
    assert not (out / "stale.html").exists(), "the new site replaces the old one whole"
    assert out.stat().st_ino != inode_before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith("._site.staging")]
    assert leftovers == []


def test_a_bad_briefing_leaves_the_earlier_output_byte_identical(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    assert run_cli("build", cwd=project).returncode == 0
    out = project / "_site"
    before = tree_bytes(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    (project / "content/briefings/b.md").write_text(BRIEFING.replace("2024-11-20", "2024-02-30"))
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert (
        "content/briefings/b.md:14: events[0].date: '2024-02-30' is not a real date"
        in result.stderr
    )
    assert tree_bytes(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_a_failure_while_writing_removes_the_staging_folder_and_keeps_the_site(
    make_project, monkeypatch
):
    project = make_project({"content/briefings/a.md": BRIEFING})
    build_site(project)
    before = tree_bytes(project / "_site")
    import dossier.output

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dossier.output, "copy_static", full_disk)
    (project / "content/briefings/a.md").write_text(BRIEFING.replace("Body text", "Edited"))
    with pytest.raises(OSError):
        build_site(project)
    assert tree_bytes(project / "_site") == before
    assert not [p for p in project.iterdir() if ".staging" in p.name]


def test_drafts_and_future_briefings_only_in_drafts_builds(make_project):
    draft = BRIEFING.replace("date: 2024-11-21", "date: 2024-11-22\ndraft: true")
    future = BRIEFING.replace("date: 2024-11-21", "date: 2999-01-01")
    project = make_project(
        {
            "content/briefings/a.md": BRIEFING,
            "content/briefings/d.md": draft,
            "content/briefings/f.md": future,
        }
    )
    published = build_site(project)
    assert [b.slug for b in published.site.briefings] == ["a"]
    preview = build_site(project, BuildOptions(drafts=True, output=project / "_preview"))
    assert sorted(b.slug for b in preview.site.briefings) == ["a", "d", "f"]
    assert not (project / "_site/briefings/d").exists()


def test_output_is_world_readable_for_static_servers(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    build_site(project)
    assert os.stat(project / "_site").st_mode & 0o005 == 0o005


def test_unchanged_files_keep_their_inode_and_changed_files_are_rewritten(make_project):
    project = make_project(
        {
            "content/briefings/a.md": BRIEFING,
            "content/briefings/b.md": BRIEFING,
            "static/site.css": "body {}",
        }
    )
    out = project / "_site"
    build_site(project)
    inodes = {
        p: (out / p).stat().st_ino
        for p in ["briefings/a/index.html", "briefings/b/index.html", "static/site.css"]
    }
    (project / "content/briefings/b.md").write_text(BRIEFING.replace("Body text", "New text"))
    build_site(project)
    assert (out / "briefings/a/index.html").stat().st_ino == inodes["briefings/a/index.html"]
    assert (out / "static/site.css").stat().st_ino == inodes["static/site.css"]
    assert (out / "briefings/b/index.html").stat().st_ino != inodes["briefings/b/index.html"]
    assert "New text" in (out / "briefings/b/index.html").read_text()
