"""The output folder under failure: full disks, killed builds and concurrent builds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import BRIEFING, ROOT, run_cli, tree_bytes


def many(n: int, draft_every: int = 0) -> dict[str, str]:
    files = {}
    for i in range(n):
        text = BRIEFING.replace("A test briefing", f"Briefing {i}")
        if draft_every and i % draft_every == 0:
            text = text.replace("date: 2024-11-21", "date: 2024-11-21\ndraft: true")
        files[f"content/briefings/b{i:04d}.md"] = text
    return files


def test_a_full_disk_fails_cleanly_and_keeps_the_site(make_project, tmp_path):
    """A real 2 MB tmpfs as the output's filesystem; skipped only where mount is refused."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a tmpfs is not permitted here (the monkeypatched test covers it)")
    try:
        project = make_project(many(2))
        out = mnt / "site"
        assert run_cli("build", "--output", out, cwd=project).returncode == 0
        before = tree_bytes(out)
        project_big = make_project(many(400))
        result = run_cli("build", "--output", out, cwd=project_big)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr and "No space left" in result.stderr
        assert tree_bytes(out) == before
        assert not [p for p in mnt.iterdir() if ".staging" in p.name]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_build_killed_halfway_leaves_the_previous_site_complete(make_project):
    project = make_project(many(300))
    assert run_cli("build", cwd=project).returncode == 0
    out = project / "_site"
    before = tree_bytes(out)
    for f in (project / "content/briefings").iterdir():
        f.write_text(f.read_text().replace("Body text", "Changed text"))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    staged = []
    while time.monotonic() < deadline and proc.poll() is None:
        staged = [p for p in project.iterdir() if ".staging" in p.name]
        if staged and any(staged[0].rglob("index.html")):
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the build finished before it could be killed; make it bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert staged, "the build never reached its writing stage"
    assert tree_bytes(out) == before
    result = run_cli("build", cwd=project)
    assert result.returncode == 0
    assert not [p for p in project.iterdir() if ".staging" in p.name], "stale staging cleaned"
    assert "Changed text" in (out / "briefings/b0000/index.html").read_text()


def test_two_builds_at_once_never_mix_their_outputs(make_project, tmp_path):
    project = make_project(many(150, draft_every=2))
    ref_all = tmp_path / "ref-all"
    ref_pub = tmp_path / "ref-pub"
    assert run_cli("build", "--drafts", "--output", ref_all, cwd=project).returncode == 0
    assert run_cli("build", "--output", ref_pub, cwd=project).returncode == 0
    out = tmp_path / "shared"
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--output", str(out)]
    a = subprocess.Popen([*cmd, "--drafts"], cwd=project, stderr=subprocess.PIPE, text=True)
    b = subprocess.Popen(cmd, cwd=project, stderr=subprocess.PIPE, text=True)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0

    def site(root):  # Pagefind names its index files by a per-run hash; the pages must match
        return {k: v for k, v in tree_bytes(root).items() if not k.startswith("pagefind/")}

    assert site(out) in (site(ref_all), site(ref_pub))
    assert (out / "pagefind/pagefind.js").is_file()


def test_a_second_build_waits_for_the_first_to_release_the_output(make_project):
    from dossier.output import build_lock

    project = make_project(many(3))
    out = project / "_site"
    with build_lock(out):
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "build"],
            cwd=project,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert proc.poll() is None, "the second build must wait while the output is locked"
        assert not out.exists()
    assert proc.wait(timeout=60) == 0
    assert "waiting for another build" in proc.stderr.read()
    assert (out / "index.html").is_file()
