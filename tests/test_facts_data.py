"""The record for analysts: aid.json with history and stages, the CSV files, facts.sqlite
and datapackage.json, read back by their real readers (json, csv, sqlite3, frictionless)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from facts_data import ENTITIES, SITE_YAML, aid, briefing, update

from dossier.views.tables import TABLES

FILES = {
    "content/briefings/a.md": briefing(
        "Pledge",
        aid=aid(donor="US", extra="instrument: grant")
        + aid("eu-loan", "1000", "EUR", "Germany", date="2024-11-01", kind="financial"),
    ),
    "content/briefings/b.md": briefing(
        "Delivery",
        date="2025-01-11",
        updates=update(status="delivered", amount='"250 million"')
        + update("eu-loan", "2024-12-01", status="committed"),
    ),
    "content/entities.yaml": ENTITIES,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    project = root / "project"
    for rel, content in {"site.yaml": SITE_YAML, **FILES}.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(content)
    done = run_cli("build", "--output", root / "out", cwd=project)
    assert done.returncode == 0, done.stderr
    return root / "out"


def test_aid_json_carries_history_stages_instrument_entity_ids_and_stage_totals(out):
    doc = json.loads((out / "aid.json").read_text("utf-8"))
    pkg = next(a for a in doc["aid"] if a["id"] == "pkg")
    assert (pkg["donor"], pkg["donor_id"], pkg["recipient_id"]) == (
        "United States",
        "united-states",
        "ukraine",
    )
    assert pkg["instrument"] == "grant" and pkg["status"] == "delivered"
    assert pkg["history"] == [
        {
            "date": "2024-11-20",
            "status": "pledged",
            "amount": "275000000",
            "currency": "USD",
            "note": None,
            "briefing": "https://example.org/f/briefings/a/",
        },
        {
            "date": "2025-01-10",
            "status": "delivered",
            "amount": "250000000",
            "currency": "USD",
            "note": None,
            "briefing": "https://example.org/f/briefings/b/",
        },
    ]
    assert pkg["stages"] == {
        "pledged": {"amount": "275000000", "currency": "USD"},
        "committed": {"amount": "250000000", "currency": "USD"},
        "delivered": {"amount": "250000000", "currency": "USD"},
    }
    assert doc["totals"] == {
        "pledged": {"EUR": "1000", "USD": "275000000"},
        "committed": {"EUR": "1000", "USD": "250000000"},
        "delivered": {"USD": "250000000"},
    }
    eu = next(a for a in doc["aid"] if a["id"] == "eu-loan")
    assert eu["donor_id"] is None  # Germany is not in the registry


def test_facts_sqlite_read_back_equals_aid_json(out):
    doc = json.loads((out / "aid.json").read_text("utf-8"))
    db = sqlite3.connect(out / "facts.sqlite")
    db.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in db.execute("SELECT * FROM aid")}
    for a in doc["aid"]:
        row = rows.pop(a["id"])
        for key in ("amount", "currency", "donor", "recipient", "date", "status", "kind"):
            assert row[key] == a[key], key
        assert row["donor_id"] == (a["donor_id"] or "") and row["instrument"] == (
            a["instrument"] or ""
        )
        history = [
            dict(h)
            for h in db.execute(
                "SELECT date, status, amount, currency, note, briefing FROM aid_history "
                "WHERE aid_id = ? ORDER BY step",
                (a["id"],),
            )
        ]
        assert history == [{**h, "note": h["note"] or ""} for h in a["history"]]
        for stage, money in a["stages"].items():
            assert (row[f"{stage}_amount"], row[f"{stage}_currency"]) == (
                money["amount"],
                money["currency"],
            )
    assert rows == {}
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"briefings", "entities", "events", "aid", "aid_history", "sources", "quotes"}
    assert [r[0] for r in db.execute("SELECT typeof(amount) FROM aid")] == ["text", "text"]


def test_the_csv_files_hold_the_same_rows_with_formula_cells_neutralised(out):
    rows = list(csv.DictReader(io.StringIO((out / "aid.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == ["eu-loan", "pkg"]
    assert rows[1]["delivered_amount"] == "250000000" and rows[1]["donor_id"] == "united-states"
    history = list(csv.DictReader(io.StringIO((out / "aid_history.csv").read_text("utf-8"))))
    assert [(h["aid_id"], h["step"], h["status"]) for h in history] == [
        ("eu-loan", "1", "pledged"),
        ("eu-loan", "2", "committed"),
        ("pkg", "1", "pledged"),
        ("pkg", "2", "delivered"),
    ]


def frictionless_validate(folder: Path) -> tuple[dict, int]:
    """`frictionless validate --json datapackage.json` in ``folder``: its report and exit."""
    frictionless = Path(sys.executable).with_name("frictionless")
    done = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout), done.returncode


def test_datapackage_json_validates_with_frictionless(out):
    report, code = frictionless_validate(out)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    assert code == 0
    names = {t["name"] for t in report["tasks"]}
    assert names == {t.name.replace("_", "-") for t in TABLES}


def test_frictionless_catches_a_broken_csv(out, tmp_path):
    """The check above could fail: a wrong type in aid.csv is reported."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in out.glob("*.csv"):
        (copy / p.name).write_bytes(p.read_bytes())
    (copy / "datapackage.json").write_bytes((out / "datapackage.json").read_bytes())
    broken = (copy / "aid.csv").read_text().replace("275000000", "a lot", 1)
    (copy / "aid.csv").write_text(broken)
    report, code = frictionless_validate(copy)
    assert report["valid"] is False and code != 0


def test_docs_views_md_documents_every_column_of_every_table():
    doc = (ROOT / "docs/views.md").read_text()
    for t in TABLES:
        section = doc.split(f"#### `{t.name}`", 1)
        assert len(section) == 2, t.name
        body = section[1].split("####", 1)[0]
        documented = re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M)
        assert documented == [c.name for c in t.columns], t.name


def test_amounts_are_exact_decimal_strings_everywhere(out):
    db = sqlite3.connect(out / "facts.sqlite")
    [(amount,)] = db.execute("SELECT amount FROM aid_history WHERE aid_id = 'pkg' AND step = 2")
    assert Decimal(amount) == Decimal("250000000") and isinstance(amount, str)
