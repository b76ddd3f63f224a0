"""A generated site of many briefings, made by the benchmark's corpus generator
(``../shared/bench/make_corpus.py``, the same files ``bench/`` builds), built once per
test session (the ``corpus_site`` fixture in conftest.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from dossier.build import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
CORPUS_BRIEFINGS = 1000
SITE_YAML = """\
title: Briefings at scale
base_url: https://example.org/dossier/
language: en
date_format: d MMMM y
reporting_currency: USD
exchange_rates:
  EUR: "1.08"
  GBP: "1.27"
"""


def corpus_script() -> Path | None:
    """shared/bench/make_corpus.py in the first ancestor of the checkout that has it, else
    the copy in tests/data/."""
    relative = Path("shared") / "bench" / "make_corpus.py"
    for folder in ROOT.parents:
        if (folder / relative).is_file():
            return folder / relative
    copy = ROOT / "tests" / "data" / "make_corpus.py"  # for a checkout with no shared/ beside it
    return copy if copy.is_file() else None


def build_corpus_site(root: Path, script: Path, n: int = CORPUS_BRIEFINGS) -> Path:
    """N generated briefings in a project under ``root``, built into ``root/site``."""
    project = root / "project"
    project.mkdir(parents=True)
    (project / "site.yaml").write_text(SITE_YAML)
    subprocess.run(
        [sys.executable, str(script), str(project), str(n)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    write_registry(project)  # so the site has entity pages, as a desk's would
    out = root / "site"
    build_site(project, BuildOptions(output=out, use_cache=False))
    return out


def write_registry(project: Path) -> int:
    """An entities.yaml naming every donor, recipient, publisher and speaker of the corpus, as a
    desk's registry would, so the site has entity pages (the corpus itself has none)."""
    kinds = {"donor": "organisation", "recipient": "organisation", "publisher": "organisation"}
    found: dict[str, str] = {}
    pattern = re.compile(r'^\s+-? ?(donor|recipient|publisher|who): "([^"]+)"', re.M)
    for path in sorted((project / "content").rglob("*.md")):
        for field, name in pattern.findall(path.read_text()):
            found.setdefault(name, kinds.get(field, "person"))
    entries, used = [], set()
    for name, kind in sorted(found.items()):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        while slug in used:
            slug += "-x"
        used.add(slug)
        entries.append({"id": slug, "name": name, "kind": kind})
    (project / "content" / "entities.yaml").write_text(yaml.safe_dump(entries, sort_keys=False))
    return len(entries)
