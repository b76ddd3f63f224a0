"""Where a build writes: a read-only site is replaced and never blocks the next build; a
symlinked or control-character output_dir is refused before anything is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BRIEFING, ROOT, SITE_YAML, run_cli, tree_bytes

SETPRIV = shutil.which("setpriv")


def build_without_root_powers(project: Path) -> subprocess.CompletedProcess:
    """`build.py build` as root without CAP_DAC_OVERRIDE: file permissions apply, as they do
    for any author who is not root (tests run as root, which ignores them)."""
    return subprocess.run(
        [SETPRIV, "--bounding-set=-all", "--inh-caps=-all", sys.executable, str(ROOT / "build.py")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_only(tree: Path) -> None:
    for dirpath, _dirnames, filenames in os.walk(tree):
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o444)
        os.chmod(dirpath, 0o555)


@pytest.mark.skipif(SETPRIV is None, reason="needs util-linux setpriv to drop root's powers")
def test_a_build_over_a_read_only_site_does_not_block_the_builds_after_it(make_project):
    project = make_project({"content/briefings/good.md": BRIEFING})
    assert run_cli("build", cwd=project).returncode == 0
    read_only(project / "_site")
    page = project / "content/briefings/good.md"
    for n in range(3):  # each build changes the page, so each writes into the spare tree
        page.write_text(BRIEFING.replace("Body text", f"Body text {n}"))
        result = build_without_root_powers(project)
        assert result.returncode == 0, (n, result.stderr)  # before: build 2 on failed
        html = (project / "_site/briefings/good/index.html").read_text()
        assert f"Body text {n}" in html
    assert not list(project.glob("._site.staging-*"))


def test_a_symlinked_output_dir_is_refused_and_nothing_is_written_beside_its_target(
    make_project, tmp_path
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = make_project({"content/briefings/good.md": BRIEFING})
    (project / "_site").symlink_to(elsewhere / "site", target_is_directory=True)
    before = tree_bytes(project)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        f"site.yaml: output_dir: _site goes through the symlink {project / '_site'} "
        f"(to {elsewhere / 'site'}) (write the real folder as output_dir: Dossier keeps its "
        "lock, cache and spare tree beside it)"
    ) in result.stderr
    assert list(elsewhere.iterdir()) == []  # before: the lock, the cache and the site
    assert tree_bytes(project) == before


def test_a_symlinked_folder_on_the_way_to_the_output_is_refused(make_project, tmp_path):
    (tmp_path / "real").mkdir()
    project = make_project(
        {"content/briefings/good.md": BRIEFING}, SITE_YAML + "output_dir: build/site\n"
    )
    (project / "build").symlink_to(tmp_path / "real", target_is_directory=True)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert f"output_dir: build/site goes through the symlink {project / 'build'}" in result.stderr
    assert list((tmp_path / "real").iterdir()) == []


def test_a_nul_in_output_dir_is_refused_at_its_line_and_the_site_kept(make_project):
    project = make_project({"content/briefings/good.md": BRIEFING})
    assert run_cli("build", cwd=project).returncode == 0
    before = tree_bytes(project / "_site")
    (project / "site.yaml").write_text(SITE_YAML + 'output_dir: "a\\0b"\n')
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr  # before: ValueError in resolve()
    assert (
        "site.yaml:6: output_dir: 'a\\x00b' has a control character "
        "(write the folder's name without it, e.g. _site)"
    ) in result.stderr
    assert tree_bytes(project / "_site") == before


def test_resolve_output_refuses_a_control_character_from_the_option(tmp_path):
    from dossier.errors import DossierError
    from dossier.output import resolve_output

    with pytest.raises(DossierError) as exc:
        resolve_output(tmp_path, "out\x00put", from_option=True)
    assert str(exc.value.problems[0]) == (
        "site.yaml: --output: 'out\\x00put' has a control character "
        "(write the folder's name without it)"
    )
