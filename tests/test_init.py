"""`dossier init DIR`: a ready site of one's own, which builds and checks clean."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import run_cli

from dossier.entities import load_entities
from dossier.scaffold import write_site


def test_init_writes_a_ready_site(tmp_path):
    site = tmp_path / "kyiv-desk"
    done = run_cli("init", site)
    assert done.returncode == 0, done.stderr
    for rel in (
        "site.yaml",
        "content/briefings/example-briefing.md",
        "content/briefings/example-map.svg",
        "content/entities.yaml",
        ".gitignore",
        "README.md",
        "requirements.txt",
        ".github/workflows/deploy.yml",
        ".gitlab-ci.yml",
        ".vscode/settings.json",
        "schemas/briefing.schema.json",
        "schemas/site.schema.json",
        "schemas/entities.schema.json",
    ):
        assert (site / rel).is_file(), rel
    config = (site / "site.yaml").read_text()
    assert 'title: "Kyiv Desk"' in config and config.count("\n#") > 10  # explained
    assert "/.dossier-cache/" in (site / ".gitignore").read_text()


def test_the_new_site_checks_strict_and_builds(tmp_path):
    site = tmp_path / "desk"
    write_site(site)
    check = run_cli("check", "--strict", cwd=site)
    assert check.returncode == 0, check.stderr
    assert "0 warnings" in check.stderr
    built = run_cli("build", cwd=site)
    assert built.returncode == 0, built.stderr
    page = (site / "_site/briefings/example-briefing/index.html").read_text()
    assert "<figure" in page and "<figcaption" in page
    assert (site / "_site/briefings/example-briefing/example-map.svg").is_file()


def test_the_example_briefing_uses_every_kind_of_annotation(tmp_path):
    site = tmp_path / "desk"
    write_site(site)
    text = (site / "content/briefings/example-briefing.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    for key in ("sources", "events", "aid", "quotes", "updates"):
        assert front[key], key
    body = text.split("---\n", 2)[2]
    for form in ("{.aid ref=", "{.event ref=", "{.quote ref=", "{.nofact}", "[@", "[-@", "[see @"):
        assert form in body, form
    assert "\n@dod " in body  # an in-text citation
    assert "\\@" in body


def test_the_entities_file_is_valid(tmp_path):
    site = tmp_path / "desk"
    write_site(site)
    registry, problems = load_entities(site)
    assert problems == [] and registry.resolve("Austin").id == "lloyd-austin"


def test_the_deploy_workflows_restore_the_build_memory(tmp_path):
    site = tmp_path / "desk"
    write_site(site)
    github = yaml.safe_load((site / ".github/workflows/deploy.yml").read_text())
    steps = github["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert ".dossier-cache" in cache["with"]["path"]
    assert any("dossier build" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in steps)
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert ".dossier-cache/" in gitlab["pages"]["cache"]["paths"]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert any("--output public" in line for line in gitlab["pages"]["script"])


def test_editors_are_wired_to_the_schemas(tmp_path):
    site = tmp_path / "desk"
    write_site(site)
    settings = json.loads((site / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"]["./schemas/site.schema.json"] == ["site.yaml"]
    assert settings["yaml.schemas"]["./schemas/entities.schema.json"] == ["content/entities.yaml"]
    first = (site / "site.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=schemas/site.schema.json"


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path, existing):
    site = tmp_path / "desk"
    (site / existing).parent.mkdir(parents=True)
    (site / existing).write_text("mine")
    done = run_cli("init", site)
    assert done.returncode == 1
    assert "is not empty" in done.stderr
    assert sorted(p.name for p in site.iterdir()) == sorted({existing.split("/")[0]})
    assert (site / existing).read_text() == "mine"


def test_init_into_an_empty_folder_works(tmp_path):
    site = tmp_path / "empty"
    site.mkdir()
    assert run_cli("init", site, "--title", "Our Desk").returncode == 0
    assert 'title: "Our Desk"' in (site / "site.yaml").read_text()


def test_init_without_a_folder_starts_the_site_in_the_current_one(tmp_path):
    site = tmp_path / "here"
    site.mkdir()
    done = run_cli("init", cwd=site)
    assert done.returncode == 0, done.stderr
    assert (site / "site.yaml").is_file() and 'title: "Here"' in (site / "site.yaml").read_text()
    assert run_cli("init", cwd=site).returncode == 1  # not empty any more
