"""The one bound on numbers and the one range of years (docs/decisions.md), everywhere a
number or a date is read: refused at its field with a hint, never a hang or a traceback."""

from __future__ import annotations

import time

import pytest
from conftest import BRIEFING, SITE_YAML
from test_annotations import aid, errors
from test_hostile_input import assert_refused, built  # noqa: F401 (a fixture)

from dossier.formatting import format_money
from dossier.money import MAX_AMOUNT, Money

TOO_BIG = "is more than 1,000 trillion (10^15) (Dossier accepts numbers up to 1,000 trillion (10^15); check for a typo)"
ZEROS = "0" * 38
BAD_YEAR = "is outside the years Dossier accepts (years run from 1000 to 2999; check for a typo)"


@pytest.mark.parametrize(
    "amount, shown",
    [
        ('"1e999999"', "'1e999999'"),
        ("1e999999", "'1e999999'"),
        ("1.0e+999999", "'1.0e+999999'"),
        ('"1e999990 trillion"', "'1e999990 trillion'"),  # Decimal overflowed while scaling
        ('"2000 trillion"', "'2000 trillion'"),
        ("1000000000000001", "'1000000000000001'"),
        ("1" + "0" * 38, "'1" + "0" * 38 + "'"),  # Babel's compact form raised
        ("1" + "0" * 100_000, "'10000000000000000000…00000000'"),
    ],
)
def test_an_amount_past_the_bound_is_refused_at_its_field(amount, shown):
    started = time.perf_counter()
    assert errors(aid(amount=amount)) == [
        f"content/briefings/b.md:13: aid[0].amount: {shown} {TOO_BIG}"
    ]
    assert time.perf_counter() - started < 1


def test_the_bound_itself_is_accepted_and_formatted():
    from test_annotations import load

    briefing, problems = load(aid(amount="1000000000000000"))
    assert briefing is not None, problems
    assert briefing.annotations.aid[0].amount == MAX_AMOUNT


@pytest.mark.parametrize(
    "date", ["9999-12-31", '"0000"', "0000", '"0999-12"', "3000-01-01", '"3000"', "0999-12-31"]
)
def test_a_year_outside_the_range_is_refused_at_its_field(date):
    shown = date.strip('"')
    assert errors(aid(date=date)) == [
        f"content/briefings/b.md:17: aid[0].date: '{shown}' {BAD_YEAR}"
    ]


def test_the_briefing_dates_share_the_range():
    from test_annotations import CONFIG, RENDERER, load

    from dossier.briefing import load_briefing

    assert errors("updated: 9999-12-31\n") == [
        f"content/briefings/b.md:11: updated: '9999-12-31' {BAD_YEAR}"
    ]
    data = BRIEFING.replace("date: 2024-11-21", "date: 0001-01-01").encode()
    _, problems = load_briefing("content/briefings/b.md", data, CONFIG, RENDERER)
    assert [str(p) for p in problems] == [
        f"content/briefings/b.md:3: date: '0001-01-01' {BAD_YEAR}"
    ]
    assert load("sources:\n") is not None


def test_the_years_at_both_ends_are_accepted():
    from test_annotations import load

    for date in ("1000", "2999-12-31"):
        briefing, problems = load(aid(date=date))
        assert briefing is not None, problems


def test_totals_past_babels_precision_still_format():
    # One amount is bounded; a sum or a conversion of many is not (before: InvalidOperation).
    big = Money(MAX_AMOUNT * MAX_AMOUNT * 12345, "USD")
    assert format_money(big, "en").startswith("$12,345,000,000,000,000,000,000,000,000")


def test_an_exchange_rate_past_the_bound_is_refused_in_site_yaml(make_project):
    from conftest import run_cli

    project = make_project(
        {"content/briefings/good.md": BRIEFING},
        SITE_YAML + "exchange_rates:\n  EUR: 1e999999\n",
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert f"site.yaml:7: exchange_rates.EUR: '1e999999' {TOO_BIG}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "amount: 275000000",
            'amount: "1e999999"',
            f"content/briefings/good.md:19: aid[0].amount: '1e999999' {TOO_BIG}",
        ),
        (
            "amount: 275000000",
            "amount: 100000000000000000000000000000000000000",
            f"content/briefings/good.md:19: aid[0].amount: '1{ZEROS}' {TOO_BIG}",
        ),
        (
            "    date: 2024-11-20\n    label",
            "    date: 9999-12-31\n    label",
            f"content/briefings/good.md:14: events[0].date: '9999-12-31' {BAD_YEAR}",
        ),
        (
            "    date: 2024-11-20\n    label",
            '    date: "0000"\n    label',
            f"content/briefings/good.md:14: events[0].date: '0000' {BAD_YEAR}",
        ),
    ],
)
def test_a_build_refuses_them_fast_and_keeps_the_site(built, old, new, expected):  # noqa: F811
    assert old in BRIEFING
    project, out, src = built({"content/briefings/good.md": BRIEFING.replace(old, new)})
    started = time.perf_counter()
    stderr = assert_refused(project, out, src, expected)
    assert time.perf_counter() - started < 10
    assert "1 error found" in stderr
