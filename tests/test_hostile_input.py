"""Hostile and broken input: each case ends in a clean error naming file, line and field,
or in a correct build. In every case the previous output stays intact and no source changes."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest
from conftest import BRIEFING, run_cli, tree_bytes

GOOD = {"content/briefings/good.md": BRIEFING}


@pytest.fixture
def built(make_project):
    """A project with a good build in _site; returns (project, snapshot of output and sources)."""

    def make(files: dict[str, str | bytes]):
        project = make_project(GOOD)
        assert run_cli("build", cwd=project).returncode == 0
        for rel, content in files.items():
            path = project / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return project, tree_bytes(project / "_site"), sources_of(project)

    return make


def sources_of(project: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_bytes(project).items() if not k.startswith("_site")}


def assert_refused(project: Path, before_out, before_src, *expected: str) -> str:
    result = run_cli("build", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr
    assert tree_bytes(project / "_site") == before_out
    assert sources_of(project) == before_src
    return result.stderr


def front(extra: str, body: str = "Body.\n") -> str:
    head, _, rest = BRIEFING.partition("sources:")
    return head + extra + "sources:" + rest.split("---\n")[0] + "---\n" + body


# YAML -----------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_fast_with_bounded_memory(built):
    project, out, src = built({"content/briefings/bomb.md": front(billion_laughs())})
    started = time.perf_counter()
    stderr = assert_refused(project, out, src, "content/briefings/bomb.md:", "aliases")
    assert time.perf_counter() - started < 10
    assert "bomb.md:" in stderr


def test_yaml_alias_bomb_in_process_stays_small():
    from dossier.errors import Problems
    from dossier.frontmatter import parse, split

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = Problems()
    text = "---\n" + billion_laughs(12) + "---\n"
    started = time.perf_counter()
    assert parse(split(text, "b.md", problems), "b.md", problems) is None
    assert time.perf_counter() - started < 1.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch /tmp/dossier-pwned']",
        "!!python/object:os.system {}",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!custom thing",
    ],
)
def test_yaml_tags_are_refused_and_never_run(built, value):
    Path("/tmp/dossier-pwned").unlink(missing_ok=True)
    project, out, src = built({"content/briefings/tag.md": front(f"place: {value}\n")})
    assert_refused(project, out, src, "content/briefings/tag.md:", "is not allowed")
    assert not Path("/tmp/dossier-pwned").exists()


def test_tab_indented_block_names_its_line(built):
    text = BRIEFING.replace('    title: "A report"', '\ttitle: "A report"')
    project, out, src = built({"content/briefings/tab.md": text})
    assert_refused(project, out, src, "content/briefings/tab.md:8: yaml:", "tab")


def test_bom_crlf_and_front_matter_only_files_build(make_project):
    crlf = ("\ufeff" + BRIEFING).replace("\n", "\r\n").encode()
    only = BRIEFING.split("---\nBody")[0] + "---\n"
    project = make_project({"content/briefings/crlf.md": crlf, "content/briefings/only.md": only})
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "_site/briefings/crlf/index.html").is_file()
    assert (project / "_site/briefings/only/index.html").is_file()


# Markdown and templates ------------------------------------------------------------------


@pytest.mark.slow
def test_a_10_mb_briefing_builds(make_project):
    paragraph = "Aid convoys reached the district after the bridge repairs were finished. " * 20
    body = "\n\n".join([paragraph] * (10 * 1024 * 1024 // (len(paragraph) + 2)))
    project = make_project(
        {"content/briefings/big.md": BRIEFING.replace("Body text [@report].", body)}
    )
    assert len((project / "content/briefings/big.md").read_bytes()) > 10 * 1024 * 1024 * 0.95
    result = run_cli("build", cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (project / "_site/briefings/big/index.html").stat().st_size > 10 * 1024 * 1024 * 0.9


def test_ten_thousand_events_in_one_file_build(make_project):
    events = "events:\n" + "".join(
        f'  - {{id: e{i}, date: 2024-{1 + i % 12:02d}, label: "Event {i}", sources: [report]}}\n'
        for i in range(10_000)
    )
    text = BRIEFING.replace(
        "events:\n  - id: announcement\n    date: 2024-11-20\n"
        '    label: "Announcement"\n    sources: [report]\n',
        events,
    )
    project = make_project({"content/briefings/many.md": text})
    result = run_cli("build", cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    html = (project / "_site/briefings/many/index.html").read_text()
    assert 'id="event-e9999"' in html


def test_deeply_nested_lists_build_or_fail_cleanly(make_project):
    nested = "\n".join("    " * i + "- level" for i in range(200))
    project = make_project(
        {"content/briefings/deep.md": BRIEFING.replace("Body text [@report].", nested)}
    )
    result = run_cli("build", cwd=project, timeout=120)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    if result.returncode == 0:
        assert (project / "_site/briefings/deep/index.html").is_file()


def test_template_syntax_error_and_undefined_variable_are_reported(built):
    project, out, src = built(
        {
            "templates/briefing.html": "{% extends 'base.html' %}\n{% block main %}{{ page.briefing.titel }}{% endblock %}\n"
        }
    )
    assert_refused(project, out, src, "templates/briefing.html:2: template:", "titel")
    (project / "templates/briefing.html").write_text("ok\n{% if %}\n")
    src = sources_of(project)
    assert_refused(project, out, src, "templates/briefing.html:2: template:")


# Names and paths -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["../../etc/x", "/etc/x", "%2e%2e/x", "..\\\\x", "a\\u0000b"])
def test_hostile_slugs_are_refused(built, slug):
    project, out, src = built({"content/briefings/s.md": front(f'slug: "{slug}"\n')})
    assert_refused(project, out, src, "content/briefings/s.md:", "slug:", "is not a usable slug")
    assert not Path("/etc/x").exists()


def test_two_briefings_with_the_same_slug(built):
    project, out, src = built({"content/briefings/other.md": front("slug: good\n")})
    assert_refused(project, out, src, "slug 'good' is already used by content/briefings/")


def test_two_files_whose_names_differ_only_in_case(built):
    project, out, src = built({"content/briefings/Good.md": BRIEFING})
    assert_refused(project, out, src, "slug 'good' is already used by content/briefings/")
    (project / "content/briefings/Good.md").write_text(front("slug: Good\n"))
    src = sources_of(project)
    assert_refused(project, out, src, "content/briefings/Good.md:", "'Good' is not a usable slug")


def test_symlink_outside_the_project_and_symlink_loop_are_refused(built, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(BRIEFING)
    project, out, src = built({})
    os.symlink(secret, project / "content/briefings/leak.md")
    os.symlink(project / "content/briefings/loop1.md", project / "content/briefings/loop2.md")
    os.symlink(project / "content/briefings/loop2.md", project / "content/briefings/loop1.md")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/briefings/leak.md: symlink points outside the project" in result.stderr
    assert "content/briefings/loop1.md: broken or looping symlink" in result.stderr
    assert tree_bytes(project / "_site") == out
