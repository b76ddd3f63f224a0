"""Measured extraction quality on the labelled set in tests/fixtures/import/.

Each ``<name>.<ext>`` article has a sibling ``<name>.expected.yaml`` with the
publication date and the expected dates, amounts and quote speakers.  The
held-out articles in ``holdout/`` were written after the rules; their figures
are printed separately and only checked against a loose floor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from dossier.importer import extract, read_article

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TARGETS = {"amounts": (0.95, 0.95), "dates": (0.9, 0.9), "speakers": (0.85, 0.85)}


@dataclass
class Tally:
    found: int = 0
    expected: int = 0
    correct: int = 0

    def add(self, found: int, expected: int, correct: int) -> None:
        self.found += found
        self.expected += expected
        self.correct += correct

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def articles(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".expected.yaml")
    )


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def score(path: Path, tallies: dict[str, Tally]) -> list[str]:
    """Add one article's counts to ``tallies``; return its misses for the report."""
    expected = yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text("utf-8"))
    published = expected["date"]
    assert isinstance(published, dt.date)
    result = extract(read_article(str(path)), published, currency=expected.get("currency", "USD"))
    misses: list[str] = []

    got_dates = {loc.hit.value for loc in result.dates}
    want_dates = set(expected["dates"])
    tallies["dates"].add(len(got_dates), len(want_dates), len(got_dates & want_dates))
    misses += [f"date extra {d}" for d in got_dates - want_dates]
    misses += [f"date missed {d}" for d in want_dates - got_dates]

    got_money = Counter((loc.hit.amount, loc.hit.currency) for loc in result.amounts)
    want_money = Counter((Decimal(a["value"]), a["currency"]) for a in expected["amounts"])
    hit = sum((got_money & want_money).values())
    tallies["amounts"].add(sum(got_money.values()), sum(want_money.values()), hit)
    misses += [f"amount extra {a}" for a in got_money - want_money]
    misses += [f"amount missed {a}" for a in want_money - got_money]

    correct = 0
    matched: set[int] = set()
    for quote in result.quotes:
        for i, want in enumerate(expected["quotes"]):
            if i not in matched and _norm(quote.text).startswith(_norm(want["starts"])):
                matched.add(i)
                if _norm(quote.speaker.label) == _norm(want["speaker"]):
                    correct += 1
                else:
                    misses.append(f"speaker {quote.speaker.label!r} for {want['starts']!r}")
                break
        else:
            misses.append(f"quote extra {quote.text[:40]!r} by {quote.speaker.label!r}")
    misses += [
        f"quote missed {w['starts']!r}"
        for i, w in enumerate(expected["quotes"])
        if i not in matched
    ]
    tallies["speakers"].add(len(result.quotes), len(expected["quotes"]), correct)
    return misses


def measure(folder: Path) -> tuple[dict[str, Tally], dict[str, list[str]]]:
    tallies = {field: Tally() for field in TARGETS}
    misses = {path.name: score(path, tallies) for path in articles(folder)}
    return tallies, misses


def report(title: str, tallies: dict[str, Tally], misses: dict[str, list[str]]) -> None:
    print(f"\n{title}")
    for field, t in tallies.items():
        print(
            f"  {field:9} precision {t.precision:.3f} recall {t.recall:.3f}"
            f"  (found {t.found}, expected {t.expected}, correct {t.correct})"
        )
    for name, items in misses.items():
        for item in items:
            print(f"  {name}: {item}")


def test_labelled_set_has_the_required_variety() -> None:
    names = [p.name for p in articles(FIXTURES)]
    assert "seed.txt" in names
    assert len(names) >= 9
    assert any(n.endswith(".html") for n in names)
    currencies = {
        a["currency"]
        for p in articles(FIXTURES)
        for a in yaml.safe_load(p.with_name(p.stem + ".expected.yaml").read_text("utf-8"))[
            "amounts"
        ]
    }
    assert {"EUR", "GBP", "USD"} <= currencies


def test_extraction_meets_the_precision_and_recall_targets() -> None:
    tallies, misses = measure(FIXTURES)
    report("labelled set", tallies, misses)
    for field, (precision, recall) in TARGETS.items():
        assert tallies[field].precision >= precision, (field, "precision", misses)
        assert tallies[field].recall >= recall, (field, "recall", misses)


@pytest.mark.skipif(not (FIXTURES / "holdout").is_dir(), reason="no held-out articles yet")
def test_held_out_articles_are_reported_separately() -> None:
    tallies, misses = measure(FIXTURES / "holdout")
    report("held-out set (written after the rules)", tallies, misses)
    assert all(t.expected for t in tallies.values())
    for t in tallies.values():
        assert t.precision >= 0.5 and t.recall >= 0.5
