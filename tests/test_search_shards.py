"""Search across builds: Pagefind's shards are kept, replaced and joined so that a rebuild
indexes only what changed, and a search finds exactly what a cold build's index finds.

The planning rules are checked on their own; the joined index is searched in Chromium,
through the same module (pagefind/pagefind.js) that Pagefind's UI loads.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import BRIEFING, cold_output, tree_bytes

import dossier.views.search as search
from dossier import memory
from dossier.build import BuildOptions, build_site, memory_folder
from dossier.errors import DossierError
from dossier.views.search import Document, SearchState, Shard, plan_shards

# --- the plan ---------------------------------------------------------------------------


def docs(n: int, changed: dict[int, str] | None = None) -> list[Document]:
    changed = changed or {}
    return [Document(f"briefings/b{i}/", "", changed.get(i, f"h{i}")) for i in range(n)]


def shard(name: str, ds: list[Document], sealed: bool = True) -> Shard:
    return Shard(
        name, sealed, tuple((d.url, d.hash) for d in ds), tuple((f"id-{d.url}", d.url) for d in ds)
    )


@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(search, "SHARD_SIZE", 4)
    monkeypatch.setattr(search, "OPEN_SEAL", 2)
    monkeypatch.setattr(search, "MAX_EXTRA_SHARDS", 2)


def urls(plan) -> list[list[str]]:
    return [[d.url for d in chunk] for chunk in plan.new]


def test_a_first_build_indexes_everything_in_sealed_shards_of_bounded_size(small_shards):
    plan = plan_shards(docs(10), SearchState(), lambda s: True)
    assert plan.keep == ()
    assert [len(c) for c in plan.new] == [4, 4, 2]
    assert plan.sealed == (True, True, True)


def test_nothing_changed_keeps_every_shard_and_indexes_nothing(small_shards):
    ds = docs(8)
    state = SearchState((shard("a", ds[:4]), shard("b", ds[4:])))
    plan = plan_shards(ds, state, lambda s: True)
    assert plan.keep == state.shards and plan.new == ()


def test_an_edited_briefing_goes_to_a_new_open_shard_and_the_rest_is_kept(small_shards):
    state = SearchState((shard("a", docs(8)[:4]), shard("b", docs(8)[4:])))
    plan = plan_shards(docs(8, {5: "edited"}), state, lambda s: True)
    assert [s.name for s in plan.keep] == ["a", "b"]
    assert urls(plan) == [["briefings/b5/"]] and plan.sealed == (False,)


def test_the_next_edit_reindexes_the_open_shard_with_it(small_shards):
    first = docs(8, {5: "edited"})
    state = SearchState(
        (shard("a", docs(8)[:4]), shard("b", docs(8)[4:]), shard("o", [first[5]], False))
    )
    plan = plan_shards(docs(8, {5: "edited", 1: "edited"}), state, lambda s: True)
    assert [s.name for s in plan.keep] == ["a", "b"]
    assert urls(plan) == [["briefings/b1/", "briefings/b5/"]]
    assert plan.sealed == (True,)  # OPEN_SEAL reached


def test_a_shard_mostly_replaced_is_indexed_again(small_shards):
    state = SearchState((shard("a", docs(8)[:4]), shard("b", docs(8)[4:])))
    plan = plan_shards(docs(8, {4: "x", 5: "x", 6: "x"}), state, lambda s: True)
    assert [s.name for s in plan.keep] == ["a"]
    assert sorted(urls(plan)[0]) == [f"briefings/b{i}/" for i in (4, 5, 6, 7)]


def test_a_shard_missing_from_the_live_site_is_indexed_again(small_shards):
    state = SearchState((shard("a", docs(8)[:4]), shard("b", docs(8)[4:])))
    plan = plan_shards(docs(8), state, lambda s: s.name != "b")
    assert [s.name for s in plan.keep] == ["a"]
    assert urls(plan) == [[f"briefings/b{i}/" for i in range(4, 8)]]


def test_too_many_small_shards_start_again_from_nothing(small_shards):
    ds = docs(8)
    state = SearchState(
        (shard("a", ds[:4]), shard("b", ds[4:]))
        + tuple(shard(f"x{i}", [Document(f"briefings/n{i}/", "", "h")]) for i in range(3))
    )
    now = ds + [Document(f"briefings/n{i}/", "", "h") for i in range(3)]
    now.append(Document("briefings/new/", "", "h"))
    plan = plan_shards(now, state, lambda s: True)
    assert plan.keep == ()
    assert sum(len(c) for c in plan.new) == len(now)


def test_a_deleted_briefing_leaves_its_shard_kept_with_a_stale_entry(small_shards):
    state = SearchState((shard("a", docs(8)[:4]), shard("b", docs(8)[4:])))
    plan = plan_shards(docs(8)[:7], state, lambda s: True)
    assert [s.name for s in plan.keep] == ["a", "b"] and plan.new == ()


# --- real builds, searched in Chromium ----------------------------------------------------

WORDS = ["aardvark", "bittern", "caracal", "dugong", "echidna", "fossa", "gharial"]


def briefing(i: int, word: str) -> str:
    return (
        BRIEFING.replace("A test briefing", f"Briefing {i}")
        .replace("Body text [@report].", f"Body text about the {word} [@report].")
        .replace("id: announcement", f"id: event-{i}")
        .replace("id: pkg", f"id: pkg-{i}")
    )


@pytest.fixture
def shards_of_three(monkeypatch):
    monkeypatch.setattr(search, "SHARD_SIZE", 3)
    monkeypatch.setattr(search, "OPEN_SEAL", 3)


@pytest.fixture
def project(make_project, shards_of_three) -> Path:
    return make_project({f"content/briefings/b{i}.md": briefing(i, w) for i, w in enumerate(WORDS)})


def state_of(out: Path) -> SearchState:
    """The search state the build cache holds (opened with the fingerprint it was saved
    with: its header's second line)."""
    fingerprint = (memory_folder(out) / memory.BASE_FILE).read_bytes().split(b"\n")[1].decode()
    return memory.load(memory_folder(out), fingerprint).search


def find(browser, base: str, words: list[str]) -> dict[str, list[str]]:
    """Each word's results (page urls), searched through the joined module in a fresh
    context so nothing comes from the browser's cache."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "search/")
        return page.evaluate(
            """async ([bundle, words]) => {
                const pf = await import(bundle + "pagefind.js");
                await pf.init();
                const out = {};
                for (const w of words) {
                    const found = await pf.search(w);
                    out[w] = await Promise.all(found.results.map(async r => (await r.data()).url));
                }
                return out;
            }""",
            [base + "pagefind/", words],
        )
    finally:
        context.close()


@pytest.mark.browser
def test_an_edit_indexes_one_small_shard_and_search_matches_a_cold_build(
    project, tmp_path, browser, serve_site
):
    out = build_site(project, BuildOptions(jobs=1)).output
    first = state_of(out)
    assert [len(s.members) for s in first.shards] == [3, 3, 1] and first.stale == ()
    bundles = sorted(p.name for p in (out / "pagefind").iterdir() if p.is_dir())
    assert bundles == sorted(s.name for s in first.shards)

    edited = project / "content/briefings/b4.md"
    edited.write_text(briefing(4, "hoatzin"))
    (project / "content/briefings/b0.md").unlink()
    out = build_site(project, BuildOptions(jobs=1)).output
    second = state_of(out)

    before = {s.name for s in first.shards}
    kept = [s for s in second.shards if s.name in before]
    assert len(kept) == 2  # the two sealed shards, as they were
    new = [s for s in second.shards if s.name not in before]
    assert [[u for u, _ in s.members] for s in new] == [["briefings/b4/"]]
    assert len(second.stale) == 1  # b4's old entry (b0's shard was dropped: none of it is left)
    module = (out / "pagefind/pagefind.js").read_text()
    assert all(s.name in module for s in second.shards) and second.stale[0] in module
    assert {p.name for p in (out / "pagefind").iterdir() if p.is_dir()} == {
        s.name for s in second.shards
    }

    cold = cold_output(project, tmp_path / "oracle")  # a fresh process, fresh folder, no memory
    queries = [*WORDS, "hoatzin", "Briefing", "zzyzzx"]
    incremental = find(browser, serve_site(out, "/briefings/"), queries)
    expected = find(browser, serve_site(cold, "/fresh/"), queries)
    norm = {
        w: sorted(re.sub(r"^/fresh/", "/briefings/", u) for u in us) for w, us in expected.items()
    }
    assert {w: sorted(us) for w, us in incremental.items()} == norm, (incremental, norm)
    assert incremental["hoatzin"] == ["/briefings/briefings/b4/"]
    assert incremental["echidna"] == []  # b4's old words: the stale entry is hidden
    assert "/briefings/briefings/b0/" not in incremental["aardvark"]  # b0 was deleted
    assert incremental["gharial"] == ["/briefings/briefings/b6/"]  # from a kept shard
    assert len(incremental["Briefing"]) == 6


@pytest.mark.browser
def test_pagefinds_ui_shows_each_result_once_after_an_edit(project, browser, serve_site):
    out = build_site(project, BuildOptions(jobs=1)).output
    (project / "content/briefings/b1.md").write_text(briefing(1, "bittern hoatzin"))
    out = build_site(project, BuildOptions(jobs=1)).output
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(serve_site(out, "/briefings/") + "search/?q=bittern")
        link = page.locator(".pagefind-ui__result-link")
        link.first.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        assert link.all_inner_texts() == ["Briefing 1"]
        assert "1 result" in page.locator(".pagefind-ui__message").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize(
    "command, message",
    [
        ([sys.executable, "-c", "import sys; print('index broke'); sys.exit(3)"], "index broke"),
        (["/nonexistent/pagefind"], "/nonexistent/pagefind"),
    ],
)
def test_a_failing_pagefind_fails_the_build_and_keeps_the_site(
    project, monkeypatch, command, message
):
    out = build_site(project, BuildOptions(jobs=1)).output
    before = tree_bytes(out)
    (project / "content/briefings/b1.md").write_text(briefing(1, "hoatzin"))
    monkeypatch.setattr(search, "pagefind_command", lambda: command)
    with pytest.raises(DossierError) as failed:
        build_site(project, BuildOptions(jobs=1))
    assert f"Pagefind failed: {message}" in str(failed.value)
    assert tree_bytes(out) == before
    assert not [p for p in project.iterdir() if "staging" in p.name]


def test_a_template_edit_keeps_the_search_index_without_running_pagefind(project, monkeypatch):
    from dossier.content import THEME

    out = build_site(project, BuildOptions(jobs=1)).output
    before = state_of(out)
    page = (THEME / "templates/404.html").read_text()
    (project / "templates").mkdir()
    (project / "templates/404.html").write_text(page + "{# a template edit #}\n")
    monkeypatch.setattr(search, "pagefind_command", lambda: ["/nonexistent/pagefind"])
    result = build_site(project, BuildOptions(jobs=1))  # would fail if Pagefind ran
    assert result.rendered >= 1
    assert state_of(out) == before
