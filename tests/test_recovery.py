"""The preview recovers from every kind of error once it is fixed, and no content path can
hang a build or reach outside the project.

Each kind of problem that discovery, loading, validation and rendering report is made,
built (refused), fixed and built again, in the same preview, with and without the
watcher's hint; the result must equal a cold build of the fixed project.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BRIEFING, cold_build, run_cli, site_files
from serve_support import ServeProcess

from dossier.errors import DossierError
from dossier.output import MARKER
from dossier.serve.preview import Preview

GOOD = BRIEFING


# name: (break the project, fix it, what the error says); each returns the paths it touched
BREAKS: dict[str, tuple[Callable[[Path], list[Path]], Callable[[Path], list[Path]], str]] = {}


def breaker(name: str, message: str):
    def register(pair):
        BREAKS[name] = (*pair(), message)
        return pair

    return register


@breaker("broken symlink (discovery)", "broken or looping symlink")
def _symlink():
    def breaks(p: Path) -> list[Path]:
        link = p / "content/briefings/bad.md"
        os.symlink("nowhere.md", link)
        return [link]

    def fixes(p: Path) -> list[Path]:
        link = p / "content/briefings/bad.md"
        link.unlink()
        return [link]

    return breaks, fixes


@breaker("FIFO (discovery)", "is not a regular file")
def _fifo():
    def breaks(p: Path) -> list[Path]:
        pipe = p / "content/briefings/pipe.md"
        os.mkfifo(pipe)
        return [pipe]

    def fixes(p: Path) -> list[Path]:
        pipe = p / "content/briefings/pipe.md"
        pipe.unlink()
        return [pipe]

    return breaks, fixes


@breaker("bad YAML (loading)", "yaml:")
def _yaml():
    def breaks(p: Path) -> list[Path]:
        path = p / "content/briefings/a.md"
        path.write_text(GOOD.replace('title: "A test briefing"', "title: [unclosed"))
        return [path]

    def fixes(p: Path) -> list[Path]:
        path = p / "content/briefings/a.md"
        path.write_text(GOOD.replace("Body text", "Fixed body"))
        return [path]

    return breaks, fixes


@breaker("bad field (validation)", "aid[0].currency")
def _field():
    def breaks(p: Path) -> list[Path]:
        path = p / "content/briefings/a.md"
        path.write_text(GOOD.replace("currency: USD", "currency: usd"))
        return [path]

    return breaks, _yaml()[1]


@breaker("conflicting definitions (site)", "has amount")
def _conflict():
    def breaks(p: Path) -> list[Path]:
        path = p / "content/briefings/b.md"
        path.write_text(GOOD.replace("275000000", "300000000").replace("A test briefing", "B"))
        return [path]

    def fixes(p: Path) -> list[Path]:
        path = p / "content/briefings/b.md"
        path.write_text(GOOD.replace("A test briefing", "B"))
        return [path]

    return breaks, fixes


@breaker("template error (rendering)", "templates/index.html")
def _template():
    def breaks(p: Path) -> list[Path]:
        (p / "templates").mkdir(exist_ok=True)
        path = p / "templates/index.html"
        path.write_text("{% if %}")
        return [path]

    def fixes(p: Path) -> list[Path]:
        path = p / "templates/index.html"
        path.unlink()
        return [path]

    return breaks, fixes


@breaker("bad site.yaml (settings)", "page_size")
def _settings():
    def breaks(p: Path) -> list[Path]:
        path = p / "site.yaml"
        path.write_text(path.read_text() + "page_size: 0\n")
        return [path]

    def fixes(p: Path) -> list[Path]:
        path = p / "site.yaml"
        path.write_text(path.read_text().replace("page_size: 0\n", ""))
        return [path]

    return breaks, fixes


@pytest.mark.parametrize("hinted", [True, False], ids=["hinted", "full scan"])
@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_the_preview_recovers_once_the_error_is_fixed(make_project, tmp_path, kind, hinted):
    project = make_project(
        {
            "content/briefings/a.md": GOOD,
            "content/briefings/b.md": GOOD.replace("A test briefing", "B"),
        }
    )
    time.sleep(0.06)
    breaks, fixes, message = BREAKS[kind]
    preview = Preview(project)
    preview.build()
    with pytest.raises(DossierError) as caught:
        touched = breaks(project)
        preview.build(touched if hinted else None)
    assert message in caught.value.report()
    touched = fixes(project)
    preview.build(touched if hinted else None)
    expected = cold_build(project, tmp_path / "oracle", drafts=True)
    got = site_files(project / ".dossier-preview")
    assert {k: v for k, v in got.items() if k != MARKER} == {
        k: v for k, v in expected.items() if k != MARKER
    }
    preview.build(None)  # and it stays fixed on the next save


def test_a_fifo_named_like_a_briefing_is_refused_at_once_by_build_and_check(make_project):
    project = make_project({"content/briefings/a.md": GOOD})
    os.mkfifo(project / "content/briefings/pipe.md")
    for command in ("build", "check"):
        started = time.monotonic()
        done = run_cli(command, cwd=project, timeout=30)
        assert time.monotonic() - started < 20
        assert done.returncode == 1
        assert (
            "content/briefings/pipe.md: is not a regular file (a FIFO, socket or device is "
            "never read) (replace it with a plain .md file)"
        ) in done.stderr


@pytest.mark.parametrize("link", ["content", "content/briefings"])
def test_content_that_leads_out_of_the_project_is_refused(make_project, tmp_path, link):
    outside = tmp_path / "outside"
    (outside / "briefings").mkdir(parents=True)
    (outside / "briefings/secret.md").write_text(GOOD)
    project = make_project({"site.yaml": "title: T\nbase_url: https://example.org/\n"})
    target = outside if link == "content" else outside / "briefings"
    if link == "content/briefings":
        (project / "content").mkdir()
    os.symlink(target, project / link)
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert "content/briefings: the folder leads out of the project" in done.stderr
    assert not (project / "_site/briefings/secret").exists()


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@pytest.mark.slow
def test_twenty_saves_of_settings_and_templates_under_cpu_load_all_rebuild(make_project):
    """The preview builds in a process of its own, never forked from a threaded one: every
    save of site.yaml or a template is rebuilt and served, with both cores busy."""
    project = make_project({"content/briefings/a.md": GOOD})
    (project / "templates").mkdir()
    server = ServeProcess(project)
    load = [multiprocessing.Process(target=_burn, args=(90,)) for _ in range(2)]
    try:
        server.wait_ready()
        time.sleep(1)
        for p in load:
            p.start()
        site_yaml = (project / "site.yaml").read_text()
        for n in range(20):
            before = server.status()["generation"]
            if n % 2:
                (project / "site.yaml").write_text(site_yaml.replace("Test Briefings", f"Save {n}"))
                marker = f"Save {n}"
            else:
                (project / "templates/404.html").write_text(
                    '{% extends "base.html" %}{% block main %}<p>Lost '
                    + str(n)
                    + "</p>{% endblock %}"
                )
                marker = f"Lost {n}"
            server.wait_status(ok=True, after=before, timeout=30)
            page = "/briefings/" if n % 2 else "/briefings/404.html"
            body = server.request("GET", page, {"Host": f"127.0.0.1:{server.port}"})[2]
            assert marker.encode() in body, (n, server.log()[-2000:])
    finally:
        for p in load:
            p.kill()
        server.stop()


def test_a_half_saved_site_yaml_while_the_preview_indexes_and_saves_stops_nothing(
    make_project,
):
    """An editor truncates site.yaml before writing it: the search index of the site
    already built still runs with the settings it was built with, and saving the memory
    waits for a readable site.yaml, neither kills the build process."""
    project = make_project({"content/briefings/a.md": GOOD})
    preview = Preview(project)
    preview.build()
    (project / "site.yaml").write_text("")
    assert preview.start_search()
    assert preview.poll_search(wait=True)
    assert (project / ".dossier-preview/pagefind/pagefind.js").is_file()
    preview.save()
    with pytest.raises(DossierError) as caught:
        preview.build([project / "site.yaml"])
    assert "site.yaml is empty" in caught.value.report()
