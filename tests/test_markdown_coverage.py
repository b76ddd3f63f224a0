"""Annotation coverage: money amounts and dates that no annotation span marks are warned about."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from dossier.markdown.coverage import find_uncovered

BENCH = Path("/work/shared/bench/make_corpus.py")


def words(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    return [
        (p.line, p.message.split('"')[1])
        for p in find_uncovered(text, path="content/briefings/c.md", first_line=first_line)
    ]


@pytest.mark.parametrize(
    "amount",
    [
        "$275 million",
        "USD 12,000,000",
        "€1.3bn",
        "£40m",
        "US$5.5 billion",
        "EUR 300",
        "5 million dollars",
        "12,000 euros",
        "2.5 million USD",
    ],
)
def test_each_money_form_is_found(amount: str) -> None:
    assert words(f"Donors gave {amount} last week.") == [(1, amount)]


@pytest.mark.parametrize(
    "date",
    [
        "20 November 2024",
        "November 20, 2024",
        "20 November",
        "Nov. 20, 2024",
        "March 2023",
        "2024-11-20",
    ],
)
def test_each_date_form_is_found(date: str) -> None:
    assert words(f"It happened on {date} in the capital.") == [(1, date)]


def test_a_warning_names_file_line_and_how_to_annotate() -> None:
    [p] = find_uncovered(
        "Intro.\n\nA $275 million grant.", path="content/briefings/c.md", first_line=9
    )
    assert (p.path, p.line, p.key, p.severity) == ("content/briefings/c.md", 11, "body", "warning")
    assert p.message == '"$275 million" is not annotated'
    assert p.hint == "mark it as [$275 million]{.aid ref=ID}"
    [d] = find_uncovered("On 20 November 2024.", path="c.md", first_line=1)
    assert d.hint == "mark it as [20 November 2024]{.event ref=ID}"


def test_annotated_amounts_and_dates_are_covered() -> None:
    text = (
        "The [$275 million]{.aid ref=pda} grant, [USD 12,000,000]{.aid ref=b}, "
        "[“$5m now”]{.quote ref=q} and [20 *November* 2024 [@src]]{.event ref=e}."
    )
    assert words(text) == []


def test_code_link_targets_and_plain_numbers_are_ignored() -> None:
    text = (
        "Run `total = $5 million` here.\n\n```\nUSD 9,000 on 20 November 2024\n```\n\n"
        "[report](https://example.org/2024-11-20/usd-5) in 2024 with 123000 rows.\n\n"
        "[r]: https://example.org/20-November-2024\n\n| Item | 120000 |\n"
    )
    assert words(text) == []


def test_only_the_uncovered_mentions_are_reported_with_their_lines() -> None:
    text = "[$5m]{.aid ref=a} then $6m.\n\nOn [1 May]{.event ref=e} and 2 May 2024."
    assert words(text, first_line=4) == [(4, "$6m"), (6, "2 May 2024")]


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark generator not available")
def test_the_benchmark_bodies_are_fully_covered() -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    for i in random.Random(3).sample(range(1, 5001), 20):
        _meta, body = corpus.make_briefing("briefings-v1", i)
        assert words(body) == []
