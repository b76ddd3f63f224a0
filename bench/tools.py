"""The tools under test: where each reads the corpus, how it builds and serves, how it is installed.

Each tool's minimal site configuration lives in bench/peers/<tool>/ and is copied into a fresh
project folder next to the corpus, so what is measured is the tool with that config and
nothing else. A peer that cannot be installed is skipped with the reason, never faked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEERS = BENCH / "peers"
PEER_PACKAGES = ("pelican", "mkdocs", "mkdocs-material")

Argv = list[str]


@dataclass(frozen=True)
class Tool:
    """How one static site generator is driven by the benchmark."""

    name: str
    layout: str  # make_corpus.py --layout
    content_dir: str  # where the briefings land, relative to the project
    keep: tuple[str, ...]  # what a cold clean leaves in the project: config and content
    build: Callable[[Path], Argv]  # project -> argv, run with cwd=project
    serve: Callable[[Path, int], Argv] | None = None  # project, port -> argv
    page_paths: Callable[[str], list[str]] = lambda slug: [f"{slug}/"]
    rebuilt: re.Pattern[str] | None = None  # a server log line that marks a rebuild as done
    cache: str | None = None  # the folder a CI deploy restores into a fresh clone


@dataclass(frozen=True)
class Toolbox:
    tools: dict[str, Tool]
    skipped: dict[str, str]  # tool -> why it is not measured
    versions: dict[str, str]


def peer_bin(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


def make_tools(repo: Path, venv: Path, python: str, hugo: str) -> dict[str, Tool]:
    def dossier_build(project: Path) -> Argv:
        return [python, str(repo / "build.py"), "build"]

    def dossier_serve(project: Path, port: int) -> Argv:
        return [python, str(repo / "build.py"), "serve", "--port", str(port)]

    def hugo_build(project: Path) -> Argv:
        return [hugo, "--quiet", "--cacheDir", str(project / ".hugo-cache")]

    def hugo_serve(project: Path, port: int) -> Argv:
        return [
            hugo, "server", "--bind", "127.0.0.1", "--port", str(port),
            "--baseURL", f"http://127.0.0.1:{port}/", "--cacheDir", str(project / ".hugo-cache"),
        ]  # fmt: skip

    def mkdocs_serve(project: Path, port: int) -> Argv:
        return [peer_bin(venv, "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"]

    return {
        "dossier": Tool(
            name="dossier",
            layout="dossier",
            content_dir="content/briefings",
            keep=("site.yaml", "content"),
            build=dossier_build,
            serve=dossier_serve,
            # The lead's URL scheme decides; the first one that serves the briefing wins.
            page_paths=lambda slug: [
                f"briefings/{slug}/",
                f"briefings/{slug}.html",
                f"{slug}/",
                f"{slug}.html",
            ],  # fmt: skip
            rebuilt=re.compile(r"rebuilt in (?P<value>\d+(?:\.\d+)?) ?(?P<unit>ms|s)\b"),
            cache=".dossier-cache",
        ),
        "hugo": Tool(
            name="hugo",
            layout="hugo",
            content_dir="content/posts",
            keep=("hugo.toml", "layouts", "content"),
            build=hugo_build,
            serve=hugo_serve,
            page_paths=lambda slug: [f"posts/{slug}/"],
            rebuilt=re.compile(r"Total in (?P<value>\d+(?:\.\d+)?) ?(?P<unit>ms|s)\b"),
        ),
        "pelican": Tool(
            name="pelican",
            layout="pelican",
            content_dir="content",
            keep=("pelicanconf.py", "content"),
            build=lambda project: [
                peer_bin(venv, "pelican"),
                "content",
                "-s",
                "pelicanconf.py",
                "-o",
                "output",
                "-q",
            ],  # fmt: skip
        ),
        "mkdocs": Tool(
            name="mkdocs",
            layout="mkdocs",
            content_dir="docs",
            keep=("mkdocs.yml", "docs"),
            build=lambda project: [peer_bin(venv, "mkdocs"), "build", "-q"],
            serve=mkdocs_serve,
            page_paths=lambda slug: [f"{slug}/"],
            rebuilt=re.compile(r"Documentation built in (?P<value>\d+(?:\.\d+)?) (?P<unit>s)"),
        ),
    }


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(PYTHONUNBUFFERED="1", NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="0")
    return env


def ensure_peer_venv(venv: Path, log: Callable[[str], None]) -> str | None:
    """Create the peers' own venv and install them from PyPI; the error text if that fails."""
    if all((venv / "bin" / b).exists() for b in ("pelican", "mkdocs")) and _has_material(venv):
        return None
    try:
        if not (venv / "bin" / "python").exists():
            log(f"creating {venv}")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        log("installing " + " ".join(PEER_PACKAGES) + " from PyPI")
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", *PEER_PACKAGES],
            check=True, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        return f"pip install failed: {detail.strip().splitlines()[-1] if detail.strip() else e}"
    return None


def _has_material(venv: Path) -> bool:
    return any((venv / "lib").glob("python*/site-packages/material/__init__.py"))


def version_of(argv: Argv) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return f"unknown ({e})"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def pip_version(venv: Path, package: str) -> str:
    try:
        out = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "show", package],
            capture_output=True, text=True, timeout=60,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    found = re.search(r"^Version: (.+)$", out, re.M)
    return found.group(1) if found else "unknown"


def dossier_version(repo: Path, python: str) -> str:
    rev = version_of(["git", "-C", str(repo), "log", "-1", "--format=%h %s"])
    return f"{rev} (python {sys.version.split()[0]}, {python})"


def collect_toolbox(
    wanted: list[str], repo: Path, venv: Path, python: str, log: Callable[[str], None]
) -> Toolbox:
    hugo = shutil.which("hugo") or "/usr/bin/hugo"
    tools = make_tools(repo, venv, python, hugo)
    skipped: dict[str, str] = {}
    versions: dict[str, str] = {}
    unknown = [w for w in wanted if w not in tools]
    for w in unknown:
        skipped[w] = "unknown tool"
    if "hugo" in wanted:
        if Path(hugo).exists():
            versions["hugo"] = version_of([hugo, "version"])
        else:
            skipped["hugo"] = "hugo not found (Debian: apt-get install hugo)"
    if {"pelican", "mkdocs"} & set(wanted):
        error = ensure_peer_venv(venv, log)
        for name in ("pelican", "mkdocs"):
            if name in wanted and error:
                skipped[name] = error
        if not error:
            versions["pelican"] = pip_version(venv, "pelican")
            versions["mkdocs"] = (
                f"{pip_version(venv, 'mkdocs')} with mkdocs-material "
                f"{pip_version(venv, 'mkdocs-material')}"
            )
    if "dossier" in wanted:
        if (repo / "build.py").exists():
            versions["dossier"] = dossier_version(repo, python)
        else:
            skipped["dossier"] = f"{repo / 'build.py'} does not exist yet"
    chosen = {w: tools[w] for w in wanted if w in tools and w not in skipped}
    return Toolbox(tools=chosen, skipped=skipped, versions=versions)


def prepare_project(
    tool: Tool, project: Path, n: int, corpus_script: Path, python: str = sys.executable
) -> None:
    """A fresh project folder: the tool's config from bench/peers/ plus N briefings."""
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(PEERS / tool.name, project)
    subprocess.run(
        [python, str(corpus_script), str(project), str(n), "--layout", tool.layout],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def clean_project(tool: Tool, project: Path) -> None:
    """Remove every output and cache: all that is not the tool's config or content."""
    for entry in project.iterdir():
        if entry.name in tool.keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def fresh_clone(tool: Tool, project: Path, clone: Path) -> None:
    """What a CI deploy starts from: the sources checked out anew (every file new, with a new
    mtime, as git writes them), the tool's cache restored as it was saved, and no output."""
    assert tool.cache is not None
    if clone.exists():
        shutil.rmtree(clone)
    clone.mkdir(parents=True)
    for name in tool.keep:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, clone / name, copy_function=shutil.copy)
        elif source.exists():
            shutil.copy(source, clone / name)
    shutil.copytree(project / tool.cache, clone / tool.cache)  # a restore keeps mtimes


def briefing_files(tool: Tool, project: Path) -> list[Path]:
    return sorted((project / tool.content_dir).glob("briefing-*.md"))
