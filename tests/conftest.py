"""Shared fixtures: projects in tmp_path, built sites, and a real headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "dossier" / "theme"  # the default templates and static files
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SITE_YAML = """\
title: Test Briefings
base_url: https://example.org/briefings/
language: en
date_format: d MMMM y
reporting_currency: USD
"""

BRIEFING = """\
---
title: "A test briefing"
date: 2024-11-21
summary: "A summary."
tags: [ukraine]
sources:
  - id: report
    title: "A report"
    publisher: "Wire"
    url: "https://example.org/report"
    kind: media
events:
  - id: announcement
    date: 2024-11-20
    label: "Announcement"
    sources: [report]
aid:
  - id: pkg
    amount: 275000000
    currency: USD
    donor: "United States"
    recipient: "Ukraine"
    date: 2024-11-20
    kind: military
    status: pledged
    sources: [report]
---
Body text [@report].
"""


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project from a dict of relative paths to contents (MkDocs' tempdir(files=...))."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content)
    return root


@pytest.fixture
def make_project(tmp_path: Path):
    """make_project({"content/briefings/a.md": "..."}) → a project with a valid site.yaml."""

    def make(files: dict[str, str | bytes] | None = None, site_yaml: str = SITE_YAML) -> Path:
        project = tmp_path / "project"
        project.mkdir(exist_ok=True)
        return write_project(project, {"site.yaml": site_yaml, **(files or {})})

    return make


@pytest.fixture
def shipped_project(tmp_path: Path) -> Path:
    """A copy of the repository's own site (content and site.yaml; the theme is Dossier's)."""
    dest = tmp_path / "shipped"
    dest.mkdir()
    for name in ("content",):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "site.yaml", dest / "site.yaml")
    return dest


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a real subprocess, as an author runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


SOURCES = ("content", "templates", "static", "site.yaml")


def cold_build(project: Path, scratch: Path, drafts: bool = False) -> dict[str, bytes]:
    """The oracle for every incremental build: the project's sources copied to a fresh
    folder, built there by a fresh Python process with no memory of any build; returns
    the output's files (less Pagefind's, whose names carry a per-run hash)."""
    return site_files(cold_output(project, scratch, drafts))


def cold_output(project: Path, scratch: Path, drafts: bool = False) -> Path:
    """The folder a cold build (see cold_build) wrote."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(prefix="cold-", dir=scratch))
    for name in SOURCES:
        if (project / name).is_dir():
            shutil.copytree(project / name, copy / name, symlinks=True)
        elif (project / name).is_file():
            shutil.copy2(project / name, copy / name)
    args = ["build", "--output", copy / "_cold", "--quiet"] + (["--drafts"] if drafts else [])
    done = run_cli("--project", copy, *args, timeout=300)
    assert done.returncode == 0, done.stderr
    return copy / "_cold"


def site_files(root: Path) -> dict[str, bytes]:
    """An output's files, less Pagefind's (their names carry a per-run hash)."""
    return {k: v for k, v in tree_bytes(root).items() if not k.startswith("pagefind/")}


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (tests/run.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def serve_site():
    """serve_site(folder, "/briefings/") → base URL of a real HTTP server on 127.0.0.1
    that serves ``folder`` under that path, as a static host does."""
    import functools
    import http.server
    import threading

    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path, prefix: str = "/") -> str:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                if not path.startswith(prefix):
                    return str(folder / "__outside_prefix__")
                return super().translate_path("/" + path[len(prefix) :])

            def log_message(self, *args: object) -> None:
                pass

        handler = functools.partial(Handler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of 1,000 generated briefings (tests/corpus_site.py), built once a session."""
    from corpus_site import build_corpus_site, corpus_script

    script = corpus_script()
    if script is None:
        pytest.fail("shared/bench/make_corpus.py is missing beside the checkout (../shared)")
    return build_corpus_site(tmp_path_factory.mktemp("corpus"), script)
