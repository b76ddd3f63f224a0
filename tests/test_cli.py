"""The command line: build, check, --help everywhere, exit codes 0, 1 and 2."""

import pytest
from conftest import BRIEFING, run_cli


def test_bare_build_py_builds(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "_site/briefings/a/index.html").is_file()


def test_build_output_option_and_project_option(make_project, tmp_path):
    project = make_project({"content/briefings/a.md": BRIEFING})
    result = run_cli("--project", project, "build", "--output", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/index.html").is_file()


def test_check_validates_and_writes_nothing(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    result = run_cli("check", cwd=project)
    assert result.returncode == 0 and "ok" in result.stderr
    assert not (project / "_site").exists()


def test_content_errors_exit_1_with_one_report(make_project):
    bad = BRIEFING.replace("currency: USD", "currency: usd").replace("kind: media", "kind: blog")
    project = make_project({"content/briefings/a.md": bad, "content/briefings/b.md": bad})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "4 errors found"
    assert lines[0].startswith("content/briefings/a.md:11: sources[0].kind: 'blog' is not one of")


@pytest.mark.parametrize("args", [["--bogus"], ["build", "--nope"], ["frobnicate"]])
def test_usage_errors_exit_2(make_project, args):
    project = make_project({"content/briefings/a.md": BRIEFING})
    assert run_cli(*args, cwd=project).returncode == 2


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_every_command_has_help(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_progress_bar_stays_quiet_when_not_a_terminal(make_project):
    project = make_project({f"content/briefings/b{i}.md": BRIEFING for i in range(60)})
    result = run_cli("build", cwd=project)
    assert result.returncode == 0
    assert "Reading briefings" not in result.stderr and "\x1b[" not in result.stderr


def test_check_warns_about_unannotated_amounts_and_dates_and_strict_fails(make_project):
    text = BRIEFING.replace(
        "Body text [@report].",
        "Body text [@report].\n\nA further $5 million\nwas promised on 3 March 2025.",
    )
    project = make_project({"content/briefings/a.md": text})
    result = run_cli("check", cwd=project)
    assert result.returncode == 0
    assert (
        'content/briefings/a.md:30: warning: body: "$5 million" is not annotated' in result.stderr
    )
    assert (
        'content/briefings/a.md:31: warning: body: "3 March 2025" is not annotated' in result.stderr
    )
    assert run_cli("check", "--strict", cwd=project).returncode == 1
