"""The build's memory and the spare tree: every change shows in the next build, nothing stale.

The oracle is a cold build: the same sources copied to a fresh folder and built by a fresh
process with no memory (conftest.cold_build). After each change, the incremental build
must produce exactly the same files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import BRIEFING, cold_build, site_files, tree_bytes

import dossier.parallel
from dossier import memory
from dossier.build import BuildOptions, build_site, memory_folder

SHARED_AID = """\
  - id: shared-pkg
    amount: 50000000
    currency: EUR
    donor: "European Union"
    recipient: "Ukraine"
    date: 2024-10-01
    kind: financial
    status: committed
    sources: [report]
"""


def briefing(i: int, body: str = "Body text [@report].") -> str:
    text = BRIEFING.replace("A test briefing", f"Briefing {i}").replace(
        "Body text [@report].", body
    )
    text = text.replace("id: announcement", f"id: event-{i}")
    return text.replace(
        "    sources: [report]\n---", "    sources: [report]\n" + SHARED_AID + "---"
    )


@pytest.fixture(params=["one process", "workers"])
def jobs(request, monkeypatch) -> int:
    if request.param == "workers":
        monkeypatch.setattr(dossier.parallel, "PARALLEL_FROM", 2)
        return 2
    return 1


SITE_YAML = (
    "title: Test\nbase_url: https://example.org/b/\nlanguage: en\n"
    "reporting_currency: USD\nexchange_rates: {EUR: 1.1}\n"
)


@pytest.fixture
def project(make_project, tmp_path):
    return make_project(
        {f"content/briefings/b{i}.md": briefing(i) for i in range(6)}
        | {"static/site.css": "body { color: black }"},
        site_yaml=SITE_YAML,
    )


def check_against_cold_build(project: Path, tmp_path: Path, jobs: int) -> None:
    result = build_site(project, BuildOptions(jobs=jobs))
    assert site_files(result.output) == cold_build(project, tmp_path / "oracle")
    assert (result.output / "pagefind/pagefind.js").is_file()


def test_nothing_changed_renders_nothing_and_keeps_every_file(project, tmp_path, jobs):
    first = build_site(project, BuildOptions(jobs=jobs))
    inodes = {p: p.stat().st_ino for p in first.output.rglob("*.html")}
    again = build_site(project, BuildOptions(jobs=jobs))
    assert again.rendered == 0
    assert {p: p.stat().st_ino for p in again.output.rglob("*.html")} == inodes


def test_a_body_edit_rerenders_its_page_but_not_the_views(project, tmp_path, jobs):
    build_site(project, BuildOptions(jobs=jobs))
    path = project / "content/briefings/b3.md"
    path.write_text(briefing(3, "A brand new body [@report]."))
    result = build_site(project, BuildOptions(jobs=jobs))
    assert result.rendered == 1
    assert "A brand new body" in (result.output / "briefings/b3/index.html").read_text()
    assert "A brand new body" in (result.output / "feed.xml").read_text()
    check_against_cold_build(project, tmp_path, jobs)


@pytest.mark.parametrize(
    "change",
    [
        "edit a title",
        "edit a template",
        "edit site.yaml",
        "edit a static file",
        "delete a briefing",
        "rename a briefing",
        "change a shared aid id",
        "add a briefing",
    ],
)
def test_every_change_shows_in_the_next_build_with_no_stale_page(project, tmp_path, jobs, change):
    build_site(project, BuildOptions(jobs=jobs))
    (project / "content/briefings/b0.md").write_text(briefing(0, "Second build."))
    build_site(project, BuildOptions(jobs=jobs))  # a spare tree exists from here on
    assert (project / "._site.spare").is_dir()
    briefings = project / "content/briefings"
    if change == "edit a title":
        (briefings / "b1.md").write_text(briefing(1).replace("Briefing 1", "Retitled"))
    elif change == "edit a template":
        (project / "templates").mkdir(exist_ok=True)
        base = Path(__file__).resolve().parent.parent / "dossier/theme/templates/base.html"
        (project / "templates/base.html").write_text(
            base.read_text().replace("<main", '<main data-edited="yes"')
        )
    elif change == "edit site.yaml":
        text = (project / "site.yaml").read_text().replace("title: Test", "title: Renamed site")
        (project / "site.yaml").write_text(text)
    elif change == "edit a static file":
        (project / "static/site.css").write_text("body { color: navy }")
    elif change == "delete a briefing":
        (briefings / "b2.md").unlink()
    elif change == "rename a briefing":
        (briefings / "b4.md").rename(briefings / "moved.md")
    elif change == "change a shared aid id":
        for i in range(6):
            text = (briefings / f"b{i}.md").read_text() if (briefings / f"b{i}.md").exists() else ""
            (briefings / f"b{i}.md").write_text(text.replace("shared-pkg", "shared-pkg-2"))
    else:
        (briefings / "new.md").write_text(briefing(9))
    check_against_cold_build(project, tmp_path, jobs)
    out = project / "_site"
    if change == "delete a briefing":
        assert not (out / "briefings/b2").exists()
    if change == "rename a briefing":
        assert not (out / "briefings/b4").exists() and (out / "briefings/moved/index.html").exists()
    if change == "edit site.yaml":
        assert "Renamed site" in (out / "index.html").read_text()
    if change == "change a shared aid id":
        assert "shared-pkg-2" in (out / "aid.json").read_text()
        assert 'shared-pkg"' not in (out / "aid.json").read_text()


def test_a_corrupt_or_foreign_cache_is_discarded_not_trusted(project, tmp_path):
    first = build_site(project)
    cache_file = memory_folder(first.output) / memory.BASE_FILE
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[:-50] + b"x" * 50)  # corrupt the payload
    (project / "content/briefings/b0.md").write_text(briefing(0, "Edited while corrupt."))
    result = build_site(project)
    assert result.rendered > 1  # nothing was taken from the corrupt cache
    assert "Edited while corrupt." in (result.output / "briefings/b0/index.html").read_text()
    cache_file.write_bytes(b"not a cache at all")
    (project / "content/briefings/b1.md").write_text(briefing(1, "Edited again."))
    assert build_site(project).rendered > 1
    check_against_cold_build(project, tmp_path, 1)


def test_a_build_with_nothing_changed_does_nothing_unless_its_output_is_gone(project, tmp_path):
    build_site(project)
    again = build_site(project)
    assert again.up_to_date and again.pages > 20 and again.briefings == 6
    shutil.rmtree(project / "_site")
    rebuilt = build_site(project)
    assert not rebuilt.up_to_date and (rebuilt.output / "index.html").is_file()
    (project / "static/site.css").write_text("body { color: teal }")
    assert not build_site(project).up_to_date
    check_against_cold_build(project, tmp_path, 1)


def test_a_killed_build_leaves_a_spare_tree_that_the_next_build_repairs(project, tmp_path):
    build_site(project)
    (project / "content/briefings/b0.md").write_text(briefing(0, "Second build."))
    build_site(project)
    spare = project / "._site.spare"
    assert spare.is_dir()
    # What a build killed while updating the spare can leave: Dossier never writes a file
    # in place (it shares inodes with the live site), so expect missing files, temporary
    # files, pages of another version and pages that should be gone.
    (spare / "briefings/b1/index.html").unlink()
    (spare / "briefings/b3/.index.html.999.tmp").write_text("half-written")
    (spare / "junk.html").write_text("left by a killed build")
    other = spare / "other-version.html"
    other.write_text("a page from another version")
    os.replace(other, spare / "index.html")
    live_index = (project / "_site/index.html").read_bytes()
    assert (project / "_site/index.html").read_bytes() == live_index  # live untouched
    (project / "content/briefings/b5.md").write_text(briefing(5).replace("Briefing 5", "New"))
    result = build_site(project)
    assert not (result.output / "junk.html").exists()
    assert not list(result.output.rglob("*.tmp"))
    check_against_cold_build(project, tmp_path, 1)


def test_building_the_same_input_twice_gives_byte_identical_output(project, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(project, BuildOptions(output=a, use_cache=False, jobs=1))
    shutil.copytree(project, tmp_path / "copy")
    build_site(tmp_path / "copy", BuildOptions(output=b, use_cache=False, jobs=2))
    assert site_files(a) == site_files(b)


def test_a_few_edits_write_a_delta_beside_the_cache_and_many_a_new_base(make_project, tmp_path):
    project = make_project(
        {f"content/briefings/b{i}.md": briefing(i) for i in range(8)}, site_yaml=SITE_YAML
    )
    out = build_site(project).output
    base, delta = memory_folder(out) / memory.BASE_FILE, memory_folder(out) / memory.DELTA_FILE
    base_bytes = base.read_bytes()
    assert not delta.exists()
    (project / "content/briefings/b0.md").write_text(briefing(0, "First edit [@report]."))
    build_site(project)
    (project / "content/briefings/b1.md").write_text(briefing(1, "Second edit [@report]."))
    build_site(project)
    assert base.read_bytes() == base_bytes and delta.is_file()  # only the delta was written
    opened = memory.load(memory_folder(out), cache_fingerprint(base))
    assert not opened.discarded
    assert "First edit" in opened.files["content/briefings/b0.md"].briefing.html
    assert "Second edit" in opened.files["content/briefings/b1.md"].briefing.html
    for i in range(2, 6):  # more than a quarter of the briefings: a new base
        (project / f"content/briefings/b{i}.md").write_text(briefing(i, "Many edits [@report]."))
    build_site(project)
    assert base.read_bytes() != base_bytes and not delta.exists()
    check_against_cold_build(project, tmp_path, 1)


@pytest.mark.parametrize("damage", ["corrupt delta", "delta of another base"])
def test_a_delta_that_does_not_fit_its_base_discards_the_cache(project, tmp_path, damage):
    out = build_site(project).output
    base, delta = memory_folder(out) / memory.BASE_FILE, memory_folder(out) / memory.DELTA_FILE
    (project / "content/briefings/b0.md").write_text(briefing(0, "Edited [@report]."))
    build_site(project)
    assert delta.is_file()
    if damage == "corrupt delta":
        delta.write_bytes(delta.read_bytes()[:-20] + b"x" * 20)
    else:  # a crash between writing a new base and removing the delta leaves this pairing
        other = build_site(project, BuildOptions(output=tmp_path / "other")).output
        base.write_bytes((memory_folder(other) / memory.BASE_FILE).read_bytes())
    opened = memory.load(memory_folder(out), cache_fingerprint(base))
    assert opened.discarded.startswith("delta") and not opened.files
    (project / "content/briefings/b1.md").write_text(briefing(1, "Edited after [@report]."))
    result = build_site(project)
    assert result.rendered > 1  # nothing was taken from the mismatched cache
    check_against_cold_build(project, tmp_path, 1)


def cache_fingerprint(cache_file: Path) -> str:
    return cache_file.read_bytes().split(b"\n")[1].decode()


def test_aid_totals_are_remembered_across_body_edits_and_recomputed_for_front_matter(
    project, tmp_path, monkeypatch
):
    import dossier.site

    computed: list[int] = []
    real = dossier.site.compute_totals
    monkeypatch.setattr(dossier.site, "compute_totals", lambda *a: computed.append(1) or real(*a))
    build_site(project)
    assert len(computed) == 1
    (project / "content/briefings/b2.md").write_text(briefing(2, "Only the body [@report]."))
    build_site(project)
    assert len(computed) == 1  # a body edit cannot change a total
    check_against_cold_build(project, tmp_path, 1)
    before = (project / "_site/aid/index.html").read_text()
    bigger = briefing(2, "Only the body [@report].").replace("id: pkg\n", "id: pkg-two\n")
    (project / "content/briefings/b2.md").write_text(bigger)
    out = build_site(project).output
    assert len(computed) >= 2  # one more aid fact: the totals are computed again
    assert (out / "aid/index.html").read_text() != before
    check_against_cold_build(project, tmp_path, 1)


def fresh_clone(project: Path, clone: Path) -> Path:
    """What a CI deploy starts from: the sources checked out anew (new files, new mtimes),
    ``.dossier-cache/`` restored from an archive (copies, no links to any output), no output."""
    clone.mkdir()
    for name in ("site.yaml", "content", "static"):
        if (project / name).is_dir():
            shutil.copytree(project / name, clone / name, copy_function=shutil.copy)
        else:
            shutil.copy(project / name, clone / name)
    shutil.copytree(project / ".dossier-cache", clone / ".dossier-cache")
    return clone


def shard_names(out: Path) -> set[str]:
    return {p.name for p in (out / "pagefind").iterdir() if p.is_dir()}


def test_a_deploy_from_a_fresh_clone_with_only_the_cache_renders_only_what_changed(
    project, tmp_path, jobs
):
    first = build_site(project, BuildOptions(jobs=jobs))
    shards = shard_names(first.output)
    clone = fresh_clone(project, tmp_path / "clone")
    (clone / "content/briefings/b3.md").write_text(briefing(3, "Edited in CI [@report]."))
    result = build_site(clone, BuildOptions(jobs=jobs))
    assert result.rendered == 1
    assert "Edited in CI" in (result.output / "briefings/b3/index.html").read_text()
    assert shards <= shard_names(result.output)  # the unchanged briefings are not indexed again
    check_against_cold_build(clone, tmp_path, jobs)


def test_a_deploy_with_nothing_changed_publishes_the_last_site_byte_for_byte(project, tmp_path):
    first = build_site(project)
    clone = fresh_clone(project, tmp_path / "clone")
    result = build_site(clone)
    assert result.rendered == 0
    assert tree_bytes(result.output) == tree_bytes(first.output)


def test_a_deploy_whose_cache_lost_its_pages_renders_them_again(project, tmp_path):
    build_site(project)
    clone = fresh_clone(project, tmp_path / "clone")
    store = memory_folder(clone / "_site")
    for page in list((store / "pages").iterdir())[::2]:
        page.unlink()
    (store / "pages" / next(iter(os.listdir(store / "pages")))).write_bytes(b"truncated")
    result = build_site(clone)
    assert 0 < result.rendered
    check_against_cold_build(clone, tmp_path, 1)
