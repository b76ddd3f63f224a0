"""The aid tracker: exact totals per currency, a labelled converted total, charts with tables."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import lxml.html
import pytest
from views_data import FILES, SITE_YAML, build

from dossier.build import load_site
from dossier.errors import DossierError
from dossier.money import Money

SVG = "{http://www.w3.org/2000/svg}"


def stage(total, name):
    s = total.stage(name)
    return s.facts, s.by_currency, s.converted


def test_totals_count_a_shared_id_once_stage_by_stage_and_keep_currencies_apart(make_project):
    """pkg: pledged 100m USD (in two briefings); de-grant: committed 50m EUR; uk-loan:
    delivered 20m GBP. A fact counts at an earlier stage than it was first recorded at."""
    site, _ = load_site(make_project(FILES, SITE_YAML))
    overall = site.aid_totals.overall
    assert overall.facts == 3
    assert stage(overall, "pledged") == (
        3,
        (
            Money(Decimal("50000000"), "EUR"),
            Money(Decimal("20000000"), "GBP"),
            Money(Decimal("100000000"), "USD"),
        ),
        Money(Decimal("179400000"), "USD"),  # 100m USD + 50m EUR × 1.08 + 20m GBP × 1.27
    )
    assert stage(overall, "committed") == (
        2,
        (Money(Decimal("50000000"), "EUR"), Money(Decimal("20000000"), "GBP")),
        Money(Decimal("79400000"), "USD"),
    )
    assert stage(overall, "delivered") == (
        1,
        (Money(Decimal("20000000"), "GBP"),),
        Money(Decimal("25400000"), "USD"),
    )


def test_breakdowns_by_donor_recipient_year_kind_and_instrument(make_project):
    site, _ = load_site(make_project(FILES, SITE_YAML))
    totals = site.aid_totals
    assert [b.key for b in totals.breakdowns] == [
        "donor",
        "recipient",
        "year",
        "kind",
        "instrument",
    ]
    donors = {r.label: r.stage("pledged").converted.amount for r in totals.breakdown("donor").rows}
    assert donors == {
        "United States": Decimal("100000000"),
        "Germany": Decimal("54000000"),
        "United Kingdom": Decimal("25400000"),
    }
    years = {r.label: r.stage("pledged").by_currency for r in totals.breakdown("year").rows}
    assert years["2024"] == (Money(Decimal("50000000"), "EUR"), Money(Decimal("100000000"), "USD"))
    assert years["2025"] == (Money(Decimal("20000000"), "GBP"),)
    recipients = totals.breakdown("recipient").rows
    assert [(r.label, r.facts) for r in recipients] == [("Ukraine", 3)]
    assert [r.label for r in totals.breakdown("instrument").rows] == ["(not given)"]


def test_a_missing_rate_is_an_error_at_the_aid_entry(make_project):
    site_yaml = SITE_YAML.replace(
        'exchange_rates: {EUR: "1.08", GBP: "1.27"}', 'exchange_rates: {EUR: "1.08"}'
    )
    with pytest.raises(DossierError) as caught:
        load_site(make_project(FILES, site_yaml))
    [problem] = caught.value.problems
    assert problem.path == "content/briefings/b.md"
    assert problem.key == "exchange_rates"
    assert "GBP" in problem.message and "USD" in problem.message
    assert problem.line == FILES["content/briefings/b.md"].splitlines().index("  - id: uk-loan") + 1


def test_aid_page_shows_stage_totals_labelled_and_a_chart_with_a_table(make_project, tmp_path):
    out = build(make_project(FILES, SITE_YAML), tmp_path / "out")
    doc = lxml.html.parse(str(out / "aid" / "index.html")).getroot()
    rows = {
        tr.get("id"): [td.text_content().strip() for td in tr.xpath("td")]
        for tr in doc.xpath("//table[@id='table-stages']/tbody/tr")
    }
    assert rows == {
        "stage-pledged": ["3", "€50,000,000; £20,000,000; $100,000,000", "$179,400,000"],
        "stage-committed": ["2", "€50,000,000; £20,000,000", "$79,400,000"],
        "stage-delivered": ["1", "£20,000,000", "$25,400,000"],
    }
    assert "Converted to USD" in doc.get_element_by_id("table-stages").text_content()
    sections = doc.xpath("//section[contains(@class, 'breakdown')]")
    assert [s.get("aria-labelledby") for s in sections] == [
        "by-donor",
        "by-recipient",
        "by-year",
        "by-kind",
        "by-instrument",
    ]
    for section in sections:  # every breakdown has its table; the donors also a chart
        assert section.xpath(".//table/tbody/tr"), section.get("aria-labelledby")
    donors = sections[0]
    svg = donors.xpath(".//svg")[0]
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.xpath("title")[0].get("id") == title_id
    assert svg.xpath("desc")[0].get("id") == desc_id
    rows = donors.xpath(".//table/tbody/tr")
    assert len(rows) * 3 == len(svg.xpath(".//rect"))  # a bar per stage, never added
    labels = [r.xpath("th")[0].text_content() for r in rows]
    bar_labels = [g.xpath("text[@class='label']")[0].text_content() for g in svg.xpath("g")]
    assert bar_labels == labels
    pledged = donors.xpath(".//rect[@class='stage-pledged']")
    widths = [float(r.get("width").rstrip("%")) for r in pledged]
    assert widths[0] > widths[1] > widths[2]
    assert widths[1] / widths[0] == pytest.approx(0.54, abs=0.002)
    assert [Decimal(r.get("data-value")) for r in pledged] == [
        Decimal("100000000"),
        Decimal("54000000.00"),
        Decimal("25400000.00"),
    ]


def test_headings_on_the_aid_page_never_skip_a_level(make_project, tmp_path):
    out = build(make_project(FILES, SITE_YAML), tmp_path / "out")
    doc = lxml.html.parse(str(out / "aid" / "index.html")).getroot()
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert doc.xpath("//header//nav[@aria-label]") and doc.xpath("//main[@id='main']")


def test_aid_csv_has_one_row_per_fact_with_its_briefings(make_project, tmp_path):
    out = build(make_project(FILES, SITE_YAML), tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO((out / "aid.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == ["pkg", "de-grant", "uk-loan"]
    pkg = rows[0]
    assert (pkg["amount"], pkg["currency"], pkg["converted_amount"]) == (
        "100000000",
        "USD",
        "100000000",
    )
    assert pkg["briefings"].split("; ") == [
        "https://example.org/briefings/briefings/b/",
        "https://example.org/briefings/briefings/a/",
    ]
    assert rows[1]["date"] == "2024-12" and rows[1]["date_precision"] == "month"
    assert Decimal(rows[1]["converted_amount"]) == Decimal("54000000")


def test_aid_json_keeps_amounts_exact(make_project, tmp_path):
    out = build(make_project(FILES, SITE_YAML), tmp_path / "out")
    doc = json.loads((out / "aid.json").read_text("utf-8"))
    assert doc["reporting_currency"] == "USD"
    assert doc["exchange_rates"] == [
        {"currency": "EUR", "rate": "1.08", "from": None},
        {"currency": "GBP", "rate": "1.27", "from": None},
    ]
    assert sum(Decimal(a["converted_amount"]) for a in doc["aid"]) == Decimal("179400000")
    assert doc["totals"] == {
        "pledged": {"EUR": "50000000", "GBP": "20000000", "USD": "100000000"},
        "committed": {"EUR": "50000000", "GBP": "20000000"},
        "delivered": {"GBP": "20000000"},
    }
    assert [len(a["briefings"]) for a in doc["aid"]] == [2, 1, 1]
    assert doc["aid"][0]["sources"] == ["https://example.org/report"]
