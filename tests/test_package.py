"""Dossier as a package: a wheel built from this repository, installed into a fresh venv,
starts a site with `dossier init`, builds it and previews it, away from this checkout."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from serve_support import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("dossier_briefings-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its dependencies, and nothing of this checkout."""
    root = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=120)
    done = subprocess.run(
        [str(root / "bin/python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return root


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return env


def test_the_wheel_carries_the_theme_the_starter_site_and_the_preview_client(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "dossier/theme/templates/index.html",
        "dossier/theme/templates/partials/keyfacts.html",
        "dossier/theme/static/css/dossier.css",
        "dossier/theme/static/js/search.js",
        "dossier/theme/site/site.yaml",
        "dossier/theme/site/github/workflows/deploy.yml",
        "dossier/serve/client.js",
        "dossier/__main__.py",
    ):
        assert name in names, name
    assert not any(n.startswith(("tests/", "content/", "bench/")) for n in names)


def test_installed_dossier_starts_builds_and_previews_a_site(venv: Path, tmp_path: Path, browser):
    site = tmp_path / "desk"
    env = clean_env()
    bin_ = venv / "bin"
    run = lambda *a: subprocess.run(  # noqa: E731
        [*a], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    init = run(str(bin_ / "dossier"), "init", str(site))
    assert init.returncode == 0, init.stderr
    assert run(str(bin_ / "python"), "-m", "dossier", "--version").stdout.startswith("Dossier ")
    check = subprocess.run(
        [str(bin_ / "dossier"), "check", "--strict"], cwd=site, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    built = subprocess.run(
        [str(bin_ / "dossier"), "build"], cwd=site, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert (site / "_site/briefings/example-briefing/index.html").is_file()
    assert (site / "_site/static/css/dossier.css").is_file()
    port = free_port()
    proc = subprocess.Popen(
        [str(bin_ / "dossier"), "serve", "--port", str(port)],
        cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        page = browser.new_page()
        deadline = time.monotonic() + 60
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/briefings/example-briefing/")
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        page.wait_for_function("window.__dossierConnected === true", timeout=15_000)
        heading = page.inner_text("h1")
        assert "Example" in heading
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
        assert page.evaluate(
            "[...document.styleSheets].some(s => s.href && s.href.endsWith('dossier.css'))"
        )
        page.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_pipx_installs_the_wheel_and_its_command_works(wheel: Path, tmp_path: Path):
    if importlib.util.find_spec("pipx") is None:
        pytest.fail("pipx is missing: it is in the test extra (pip install -e .[test])")
    env = {
        **clean_env(),
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(wheel)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    dossier = tmp_path / "bin/dossier"
    version = subprocess.run([str(dossier), "--version"], env=env, capture_output=True, text=True)
    assert version.stdout.strip() == "Dossier 0.1.0"
    site = tmp_path / "desk"
    assert subprocess.run([str(dossier), "init", str(site)], env=env).returncode == 0
    built = subprocess.run(
        [str(dossier), "build", "--quiet"], cwd=site, env=env, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    assert (site / "_site/index.html").is_file()
