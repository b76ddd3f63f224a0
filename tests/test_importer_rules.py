"""The extraction rules, one form at a time, as the issue lists them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dossier.importer.dates import find_dates
from dossier.importer.money import find_amounts
from dossier.importer.quotes import find_quotes

THU = dt.date(2024, 11, 21)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("a $275 million package", "275000000", "USD"),
        ("a €1.3bn plan", "1300000000", "EUR"),
        ("£500m for Kyiv", "500000000", "GBP"),
        ("USD 2.5 billion in loans", "2500000000", "USD"),
        ("EUR 205 million", "205000000", "EUR"),
        ("€ 6,1 million for demining", "6100000", "EUR"),
        ("worth 4,4 billion euros", "4400000000", "EUR"),
        ("some $1-2 billion a year", "1000000000", "USD"),
        ("NOK 1,000 for each", "1000", "NOK"),
        ("C$60 million", "60000000", "CAD"),
    ],
)
def test_money_forms(text: str, amount: str, currency: str) -> None:
    [hit] = find_amounts(text)
    assert (hit.amount, hit.currency) == (Decimal(amount), currency)


def test_a_range_keeps_its_lower_bound_and_says_so() -> None:
    [hit] = find_amounts("between $1 billion and $2 billion")
    assert hit.amount == Decimal("1e9") and "range" in hit.note


def test_counts_without_a_currency_are_not_money() -> None:
    assert find_amounts("Russia fired 67 drones and 3 million shells in 2024") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("announced November 20, 2024, by", "2024-11-20"),
        ("on 20 Nov 2024 the", "2024-11-20"),
        ("dated 2024-11-20 in", "2024-11-20"),
        ("on 3 April the", "2024-04-03"),
        ("in March 2023 it", "2023-03"),
        ("Austin said on Thursday", "2024-11-21"),
        ("Austin said Tuesday", "2024-11-19"),
        ("he will travel on Friday", "2024-11-22"),
        ("signed last week", "2024-11-14"),
        ("signed today", "2024-11-21"),
        ("signed yesterday", "2024-11-20"),
        ("since 2014", "2014"),
        ("earlier this month", "2024-11"),
    ],
)
def test_date_forms(text: str, value: str) -> None:
    assert [h.value for h in find_dates(text, THU)] == [value]


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("signed yesterday and on Thursday", None) == []


def test_a_speakers_today_inside_a_quote_is_not_resolved() -> None:
    assert find_dates("“We stand with you today,” she said.", THU, [(0, 27)]) == []


def test_quote_speakers_roles_pronouns_and_reported_words() -> None:
    hits = find_quotes(
        [
            "U.S. Defense Secretary Lloyd Austin spoke in Laos. “We will help,” he said.",
            "Amnesty International termed the decision 'reckless'. Norway’s Foreign Minister "
            "Espen Barth Eide called it “very problematic,” adding that it was a setback.",
            "“I said, ‘not now,’ and meant it,” said Jane Roe, a spokesperson for Human Rights "
            "Watch.",
        ]
    )
    got = [(h.text, h.speaker.label, h.speaker.role, h.speaker.org) for h in hits]
    assert got == [
        ("We will help", "Lloyd Austin", "U.S. Defense Secretary", ""),
        ("reckless", "Amnesty International", "", "Amnesty International"),
        ("very problematic", "Espen Barth Eide", "Norway’s Foreign Minister", ""),
        ("I said, ‘not now,’ and meant it", "Jane Roe", "spokesperson for Human Rights Watch",
         "Human Rights Watch"),
    ]  # fmt: skip


def test_scare_quotes_without_a_speaker_are_skipped() -> None:
    assert find_quotes(["The so-called 'kamikaze' drones hit the 'grey zone' again."]) == []
