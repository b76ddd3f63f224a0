"""Rendering: autoescaped templates of any name, strict variables, Babel formatting."""

import datetime as dt
from decimal import Decimal

import pytest
from conftest import BRIEFING, run_cli

from dossier.dates import PartialDate
from dossier.formatting import format_day, format_money, format_money_compact, format_partial
from dossier.money import Money


@pytest.mark.parametrize(
    "amount, currency, language, exact, compact",
    [
        ("275000000", "USD", "en", "$275,000,000", "$275 million"),
        ("1200000000", "EUR", "en", "€1,200,000,000", "€1.2 billion"),
        ("63990000000", "USD", "en", "$63,990,000,000", "$63.99 billion"),
        ("59860000000", "USD", "en", "$59,860,000,000", "$59.86 billion"),
        ("275000000", "USD", "de", "275.000.000\u00a0$", "275 Millionen\u00a0$"),
        ("12345678", "GBP", "en", "£12,345,678", "£12.35 million"),
        ("5000.5", "USD", "en", "$5,000.50", "$5,000.50"),
    ],
)
def test_money_is_exact_in_tables_and_compact_on_cards_and_charts(
    amount, currency, language, exact, compact
):
    """One style per place, whatever the amount: never "$1 billion" beside "$59,860,000,000"."""
    money = Money(Decimal(amount), currency)
    assert format_money(money, language) == exact
    assert format_money_compact(money, language) == compact


def test_dates_are_formatted_in_the_site_language_at_their_precision():
    day = dt.date(2024, 11, 20)
    assert format_day(day, "en", "d MMMM y") == "20 November 2024"
    assert format_day(day, "en-GB") == "20 November 2024"
    assert format_day(day, "uk") == "20 листопада 2024\u202fр."
    assert format_partial(PartialDate(2024, 11), "en") == "November 2024"
    assert format_partial(PartialDate(2024), "en") == "2024"


def test_titles_are_escaped_in_every_template(make_project):
    hostile = BRIEFING.replace(
        'title: "A test briefing"', 'title: "</title><script>alert(1)</script>"'
    )
    project = make_project({"content/briefings/a.md": hostile})
    assert run_cli("build", cwd=project).returncode == 0
    html = (project / "_site/briefings/a/index.html").read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_templates_named_j2_are_escaped_too(make_project):
    project = make_project(
        {
            "content/briefings/a.md": BRIEFING.replace("A test briefing", "<b>bold</b>"),
            "templates/index.html": "{% include 'list.html.j2' %}",
            "templates/list.html.j2": "{% for b in page.items %}{{ b.title }}{% endfor %}",
        }
    )
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "_site/index.html").read_text().strip() == "&lt;b&gt;bold&lt;/b&gt;"


def test_an_undefined_variable_names_the_template_and_line(make_project):
    project = make_project(
        {
            "content/briefings/a.md": BRIEFING,
            "templates/index.html": "<p>ok</p>\n<p>{{ page.ttle }}</p>\n",
        }
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "templates/index.html:2: template:" in result.stderr and "ttle" in result.stderr
    assert not (project / "_site").exists()


def test_a_template_syntax_error_names_the_template_and_line(make_project):
    project = make_project(
        {"content/briefings/a.md": BRIEFING, "templates/index.html": "a\nb\n{% for x in %}\n"}
    )
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "templates/index.html:3: template:" in result.stderr


def test_a_project_template_overrides_the_default_file_by_file(make_project):
    project = make_project(
        {"content/briefings/a.md": BRIEFING, "templates/404.html": "custom {{ config.title }}"}
    )
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "_site/404.html").read_text() == "custom Test Briefings"
    assert "<h1>A test briefing</h1>" in (project / "_site/briefings/a/index.html").read_text()
