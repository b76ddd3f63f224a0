"""The interface's words: every message the theme marks is in the Ukrainian catalogue, and
Babel's own tools read the catalogue as complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
from babel.messages.pofile import read_po
from conftest import ROOT

PYBABEL = Path(sys.executable).with_name("pybabel")
UK_PO = ROOT / "dossier/theme/templates/locales/uk/LC_MESSAGES/messages.po"


def extract(tmp_path: Path) -> Path:
    """The extraction command of dossier/theme/babel.cfg's first line, into tmp_path."""
    command = (ROOT / "dossier/theme/babel.cfg").read_text().splitlines()[0].removeprefix("# ")
    args = command.split()[1:]
    args[args.index("-o") + 1] = str(tmp_path / "messages.pot")
    done = subprocess.run([str(PYBABEL), *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tmp_path / "messages.pot"


def test_every_message_the_theme_marks_has_a_ukrainian_translation_in_every_plural_form(tmp_path):
    with extract(tmp_path).open("rb") as f:
        template = read_po(f)
    with UK_PO.open("rb") as f:
        uk = read_po(f)
    assert uk.num_plurals == 3
    ids = [m.id for m in template if m.id]
    assert len(ids) >= 30, ids
    missing = []
    for msgid in ids:
        found = uk.get(msgid)
        strings = found.string if found else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if not found or "fuzzy" in found.flags or not all(forms):
            missing.append(msgid)
        elif isinstance(msgid, tuple):
            assert len(forms) == 3, msgid
    assert missing == []


def test_pybabel_compile_reports_the_ukrainian_catalogue_100_percent_translated(tmp_path):
    po = shutil.copy(UK_PO, tmp_path / "messages.po")
    done = subprocess.run(
        [str(PYBABEL), "compile", "--statistics", "-i", str(po), "-o", str(tmp_path / "m.mo")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"(\d+) of (\d+) messages \((\d+)%\) translated", done.stderr + done.stdout)
    assert found, done.stderr
    assert found[1] == found[2] and found[3] == "100", found[0]


def test_a_ukrainian_page_speaks_ukrainian_in_its_header_and_404(shipped_project, tmp_path):
    from conftest import run_cli

    out = tmp_path / "out"
    assert run_cli("build", "--output", out, cwd=shipped_project).returncode == 0
    uk = lxml.html.fromstring((out / "uk/404.html").read_bytes())
    en = lxml.html.fromstring((out / "404.html").read_bytes())
    assert uk.xpath("//nav[@aria-label]/@aria-label")[0] != en.xpath("//nav/@aria-label")[0]
    uk_text = " ".join(uk.text_content().split())
    for word in ("Хронологія", "Архів", "Сторінку не знайдено", "Перейти до змісту"):
        assert word in uk_text, word
    assert "Skip to content" not in uk_text and "Timeline" not in uk_text
