"""`dossier schema`: JSON Schemas made from the validators' own field reads, tested with
check-jsonschema on the shipped content and on front matter that must fail at its path."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BRIEFING, ROOT, THEME, run_cli

from dossier.jsonschema import HELP, build_schema, record_name, recorded
from dossier.scaffold import write_site


def checker() -> list[str]:
    if importlib.util.find_spec("check_jsonschema") is not None:
        return [sys.executable, "-m", "check_jsonschema"]
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is missing: it is in the test extra (pip install -e .[test])")
    return [found]


def check(schema: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*checker(), "--schemafile", str(schema), *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("schemas")
    assert run_cli("schema", folder).returncode == 0
    return folder


def front_matter(text: str, dest: Path) -> Path:
    dest.write_text(text.split("---\n", 2)[1])
    return dest


def test_the_schemas_are_draft_2020_12_and_describe_every_field(schemas: Path):
    for name in ("briefing", "site", "entities"):
        data = json.loads((schemas / f"{name}.schema.json").read_text())
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_the_validators_read_is_in_the_schema_with_help():
    """What keeps the schema and the validator together: the schema is made from the
    validator's reads, and a field it gains must get its line of help here."""
    for kind in ("briefing", "site", "entities"):
        for key, name, info in recorded(kind):
            record = record_name(kind, key)
            if name == "" and record in HELP:
                for field in info["allowed"]:  # type: ignore[union-attr]
                    assert field in HELP[record], f"{record}.{field} has no help"


def test_the_shipped_content_validates(schemas: Path, tmp_path: Path):
    briefings = [
        front_matter(p.read_text(), tmp_path / f"{p.stem}.yaml")
        for p in [
            *(ROOT / "content/briefings").glob("*.md"),
            *(THEME / "site/content/briefings").glob("*.md"),
        ]
    ]
    briefings.append(front_matter(BRIEFING, tmp_path / "fixture.yaml"))
    done = check(schemas / "briefing.schema.json", *briefings)
    assert done.returncode == 0, done.stdout + done.stderr
    sites = [ROOT / "site.yaml", THEME / "site/site.yaml"]
    done = check(schemas / "site.schema.json", *sites)
    assert done.returncode == 0, done.stdout + done.stderr
    done = check(schemas / "entities.schema.json", THEME / "site/content/entities.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


BAD = {
    "a lower-case currency": (("currency: USD", "currency: usd"), "$.aid[0].currency"),
    "a kind that does not exist": (("kind: media", "kind: blog"), "$.sources[0].kind"),
    "a misspelt key": (('summary: "A summary."', 'summry: "A summary."'), "$"),
    "a source url that is not http": (
        ('url: "https://example.org/report"', 'url: "javascript:alert(1)"'),
        "$.sources[0].url",
    ),
    "a date that is not a date": (
        ("date: 2024-11-20\n    label", "date: soon\n    label"),
        "$.events[0].date",
    ),  # fmt: skip
    "comma-separated tags": (("tags: [ukraine]", "tags: ukraine, military-aid"), "$.tags"),
    "an event without sources": (("    sources: [report]\naid:", "aid:"), "$.events[0]"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_front_matter_fails_at_its_path_in_the_schema_and_in_the_validator(
    case: str, schemas: Path, tmp_path: Path, make_project
):
    (old, new), path = BAD[case]
    assert old in BRIEFING
    text = BRIEFING.replace(old, new, 1)
    done = check(schemas / "briefing.schema.json", front_matter(text, tmp_path / "bad.yaml"))
    assert done.returncode == 1
    assert f"::{path}: " in done.stdout, done.stdout
    project = make_project({"content/briefings/a.md": text})
    assert run_cli("check", cwd=project).returncode == 1  # the validator agrees


def test_schema_prints_the_briefing_schema_and_never_overwrites(tmp_path: Path):
    out = run_cli("schema")
    assert out.returncode == 0 and json.loads(out.stdout) == build_schema("briefing")
    (tmp_path / "site.schema.json").write_text("{}")
    done = run_cli("schema", tmp_path)
    assert done.returncode == 1 and "not overwritten" in done.stderr
    assert (tmp_path / "site.schema.json").read_text() == "{}"


def test_init_writes_the_schemas_the_modelines_name(tmp_path: Path):
    site = tmp_path / "desk"
    write_site(site)
    for rel in ("site.yaml", "content/entities.yaml"):
        first = (site / rel).read_text().splitlines()[0]
        target = (site / rel).parent / first.split("$schema=")[1]
        assert target.is_file(), first
        assert check(target, site / rel).returncode == 0
    assert yaml.safe_load((site / "site.yaml").read_text())["media_dir"] == "content/media"
