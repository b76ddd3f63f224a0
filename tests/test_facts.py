"""Facts across briefings and over time: one definition per id, references, updates,
honest stage totals, and entities."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest
from conftest import run_cli
from facts_data import ENTITIES, SITE_YAML, aid, briefing, event, line_of, update

from dossier.build import load_site
from dossier.errors import DossierError
from dossier.money import Money


def problems_of(project) -> list[str]:
    with pytest.raises(DossierError) as caught:
        load_site(project)
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def page(out, path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(out / path / "index.html")).getroot()


def text(el) -> str:
    return " ".join(el.text_content().split())


def build(project, tmp_path):
    out = tmp_path / "out"
    done = run_cli("build", "--output", out, cwd=project)
    assert done.returncode == 0, done.stderr
    return out


# 1. One definition per fact ---------------------------------------------------------------


def test_an_event_id_reused_for_another_fact_is_an_error_naming_both_files(make_project):
    a = briefing(events=event())
    b = briefing(events=event(label="Zelensky announces a new mobilisation law"))
    project = make_project({"content/briefings/a.md": a, "content/briefings/b.md": b}, SITE_YAML)
    assert problems_of(project) == [
        f"content/briefings/b.md:{line_of(b, 'id: announcement')}: events[0].label: events id "
        "'announcement' has label Zelensky announces a new mobilisation law here but Austin "
        f"announces the decision in content/briefings/a.md:{line_of(a, 'id: announcement')} "
        "(an id names one fact across briefings; make them agree or rename one)"
    ]


@pytest.mark.parametrize(
    ("field", "here", "there"),
    [
        ("status", "delivered", "pledged"),
        ("kind", "humanitarian", "military"),
        ("package", "Another package", "(none)"),
        ("instrument", "grant", "(none)"),
        ("items", "[Javelin missiles]", "[]"),
        ("recipient", "Moldova", "Ukraine"),
    ],
)
def test_two_definitions_of_an_aid_id_must_agree_on_every_field(make_project, field, here, there):
    changed = {
        "status": aid(status="delivered"),
        "kind": aid(kind="humanitarian"),
        "package": aid(extra='package: "Another package"'),
        "instrument": aid(extra="instrument: grant"),
        "items": aid(extra='items: ["Javelin missiles"]'),
        "recipient": aid(recipient="Moldova"),
    }[field]
    a, b = briefing(aid=aid()), briefing(aid=changed)
    project = make_project({"content/briefings/a.md": a, "content/briefings/b.md": b}, SITE_YAML)
    hint = (
        "an id names one fact across briefings; record a change as an update "
        f"(updates: - {{ref: pkg, date: …, {field}: …}}), or rename one"
        if field == "status"
        else "an id names one fact across briefings; make them agree or rename one"
    )
    assert problems_of(project) == [
        f"content/briefings/b.md:{line_of(b, 'id: pkg')}: aid[0].{field}: aid id 'pkg' has "
        f"{field} {here} here but {there} in content/briefings/a.md:{line_of(a, 'id: pkg')} ({hint})"
    ]


def test_identical_copies_and_names_of_one_entity_are_one_fact(make_project):
    files = {
        "content/briefings/a.md": briefing(aid=aid()),
        "content/briefings/b.md": briefing(aid=aid(donor="US")),
        "content/entities.yaml": ENTITIES,
    }
    site, warnings = load_site(make_project(files, SITE_YAML))
    [fact] = site.aid
    assert [b.path for b in fact.briefings] == ["content/briefings/b.md", "content/briefings/a.md"]
    assert fact.donor.name == "United States" and fact.donor.entity == "united-states"
    assert site.aid_totals.overall.stage("pledged").converted == Money(Decimal(275000000), "USD")


def test_items_agree_in_any_order(make_project):
    a = briefing(aid=aid(extra='items: ["Javelin missiles", "HIMARS"]'))
    b = briefing(aid=aid(extra='items: ["HIMARS", "Javelin missiles"]'))
    site, _ = load_site(
        make_project({"content/briefings/a.md": a, "content/briefings/b.md": b}, SITE_YAML)
    )
    assert len(site.aid) == 1 and len(site.aid[0].briefings) == 2


# 2. References without copying ------------------------------------------------------------


def test_a_span_refers_to_a_fact_defined_in_another_briefing(make_project, tmp_path):
    files = {
        "content/briefings/a.md": briefing("Defining briefing", aid=aid(), events=event()),
        "content/briefings/b.md": briefing(
            "Referring briefing",
            date="2024-11-25",
            body="The [package]{.aid ref=pkg} was [announced]{.event ref=announcement} [@src].",
        ),
    }
    out = build(make_project(files, SITE_YAML), tmp_path)
    b = page(out, "briefings/b")
    row = b.get_element_by_id("aid-pkg")
    assert "$275,000,000" in text(row) and "United States → Ukraine" in text(row)
    assert row.xpath(".//span[@class='from']/a/@href") == ["/f/briefings/a/#aid-pkg"]
    assert b.get_element_by_id("event-announcement").xpath(".//span[@class='from']/a/@href") == [
        "/f/briefings/a/#event-announcement"
    ]
    keyfacts = text(b.xpath("//aside[@class='keyfacts']")[0])
    assert "$275 million United States → Ukraine, pledged" in keyfacts
    card = b.xpath("//span[@data-card='aid:pkg']")[0]
    assert text(card) == (
        "$275 million · United States → Ukraine · 20 November 2024 · pledged · Source: Wire"
        " · from “Defining briefing”"
    )
    a = page(out, "briefings/a")
    also = a.get_element_by_id("aid-pkg").xpath(".//span[@class='also']/a")
    assert [(x.get("href"), x.text) for x in also] == [("/f/briefings/b/", "Referring briefing")]


def test_a_reference_to_no_fact_is_an_error_at_its_line(make_project):
    b = briefing(aid=aid(), body="Intro.\n\nThe [package]{.aid ref=pgk} and [x]{.event ref=nope}.")
    project = make_project({"content/briefings/b.md": b}, SITE_YAML)
    line = line_of(b, "ref=pgk")
    assert problems_of(project) == [
        f"content/briefings/b.md:{line}: body: unknown aid id 'pgk': no briefing defines it "
        "(did you mean 'pkg'?)",
        f"content/briefings/b.md:{line}: body: unknown event id 'nope': no briefing defines it "
        "(define it under 'events:' in this or another briefing)",
    ]


def test_a_reference_of_the_wrong_kind_is_an_error(make_project):
    b = briefing(events=event(), body="On [20 November]{.aid ref=announcement}.")
    project = make_project({"content/briefings/b.md": b}, SITE_YAML)
    assert problems_of(project) == [
        f"content/briefings/b.md:{line_of(b, 'ref=announcement')}: body: 'announcement' is an "
        "event, not an aid (mark it as [text]{.event ref=announcement})"
    ]


# 3. Updates -------------------------------------------------------------------------------


def test_updates_make_a_dated_history_shown_on_every_page_of_the_fact(make_project, tmp_path):
    files = {
        "content/briefings/a.md": briefing("Pledge", aid=aid()),
        "content/briefings/b.md": briefing(
            "Delivery",
            date="2025-01-11",
            updates=update(status="delivered", amount='"250 million"'),
        ),
    }
    out = build(make_project(files, SITE_YAML), tmp_path)
    for path in ("briefings/a", "briefings/b"):
        history = page(out, path).xpath("//*[@id='aid-pkg']//div[@class='history']")[0]
        assert text(history.xpath("p[@class='steps']")[0]) == (
            "Pledged 20 November 2024, $275 million; delivered 10 January 2025, $250 million."
        )
        assert (
            text(history.xpath("p[@class='src']")[0]) == "Recorded in: Delivery (10 January 2025)"
        )
    a = page(out, "briefings/a")
    assert "$250 million United States → Ukraine, delivered" in text(a.xpath("//aside")[0])


def test_a_correction_needs_a_note_and_is_shown_with_it(make_project, tmp_path):
    a = briefing("Pledge", aid=aid())
    b = briefing(
        "Correction", date="2024-12-01", updates=update(date="2024-11-30", amount='"250 million"')
    )
    project = make_project({"content/briefings/a.md": a, "content/briefings/b.md": b}, SITE_YAML)
    assert problems_of(project) == [
        f"content/briefings/b.md:{line_of(b, 'ref: pkg')}: updates[0].amount: changes the "
        f"pledged amount of 'pkg' from USD 275,000,000 (content/briefings/a.md:"
        f"{line_of(a, 'id: pkg')}) to USD 250,000,000 without a note "
        '(a correction says why: add note: "…")'
    ]
    noted = briefing(
        "Correction",
        date="2024-12-01",
        updates=update(
            date="2024-11-30", amount='"250 million"', note='"The Pentagon revised it."'
        ),
    )
    (project / "content/briefings/b.md").write_text(noted)
    out = build(project, tmp_path)
    history = page(out, "briefings/a").xpath("//div[@class='history']")[0]
    assert text(history.xpath("p[@class='steps']")[0]) == (
        "Pledged 20 November 2024, $275 million; pledged 30 November 2024, $250 million."
    )
    assert text(history.xpath("p[@class='correction']")[0]) == (
        "Correction, 30 November 2024: The Pentagon revised it."
    )


def test_two_updates_of_one_fact_on_one_date_must_agree(make_project):
    b = briefing(aid=aid(), updates=update(status="delivered"))
    c = briefing(updates=update(status="committed"))
    project = make_project({"content/briefings/b.md": b, "content/briefings/c.md": c}, SITE_YAML)
    assert problems_of(project) == [
        f"content/briefings/c.md:{line_of(c, 'ref: pkg')}: updates[0].status: update of 'pkg' on "
        f"2025-01-10 says committed USD 275,000,000 here but delivered USD 275,000,000 in "
        f"content/briefings/b.md:{line_of(b, 'ref: pkg')} (two updates of one fact on one "
        "date must agree; correct one of them)"
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            update(ref="pgk", status="delivered"),
            "updates[0].ref: unknown aid id 'pgk': no briefing defines it (did you mean 'pkg'?)",
        ),
        (
            update(ref="announcement", status="delivered"),
            "updates[0].ref: 'announcement' is an event; updates change aid facts "
            "(an event has no stage or amount to update)",
        ),
        (
            update(date="2024-01-01", status="delivered"),
            "updates[0].date: 2024-01-01 is before 'pkg' was defined (2024-11-20, "
            "content/briefings/b.md:{pkg}) (an update follows the definition; correct the "
            "definition itself if it was wrong)",
        ),
        (
            update(),
            "updates[0].status: an update changes a status or an amount "
            "(add status: delivered (or committed, pledged), or amount: …)",
        ),
    ],
)
def test_an_update_that_cannot_be_placed_is_an_error_at_its_line(make_project, entry, expected):
    b = briefing(aid=aid(), events=event(), updates=entry)
    project = make_project({"content/briefings/b.md": b}, SITE_YAML)
    where = f"content/briefings/b.md:{line_of(b, '- ref:')}: "
    assert problems_of(project) == [where + expected.format(pkg=line_of(b, "id: pkg"))]


# 4. Honest totals -------------------------------------------------------------------------


def test_the_worked_example_totals_exactly(make_project):
    """A: pledged $100M (2024-01-10), committed $100M (2024-02-01), delivered $60M
    (2024-03-01); B: committed $50M (2024-02-15). Pledged 150, committed 150, delivered 60."""
    a = briefing(
        date="2024-03-02",
        aid=aid("a", "100000000", date="2024-01-10"),
        updates=update("a", "2024-02-01", status="committed")
        + update("a", "2024-03-01", status="delivered", amount="60000000"),
    )
    b = briefing(date="2024-03-02", aid=aid("b", "50000000", date="2024-02-15", status="committed"))
    site, _ = load_site(
        make_project({"content/briefings/a.md": a, "content/briefings/b.md": b}, SITE_YAML)
    )
    stages = {s.stage: s.by_currency for s in site.aid_totals.overall.stages}
    usd = lambda n: (Money(Decimal(n), "USD"),)  # noqa: E731
    assert stages == {
        "pledged": usd("150000000"),
        "committed": usd("150000000"),
        "delivered": usd("60000000"),
    }


def test_a_fact_first_recorded_late_counts_earlier_with_the_first_amount_beyond(make_project):
    """C is first recorded as committed $80M, then delivered $30M: it was pledged at least
    the $80M first committed, not the $30M delivered last."""
    c = briefing(
        date="2024-05-01",
        aid=aid("c", "80000000", date="2024-02-20", status="committed"),
        updates=update("c", "2024-04-01", status="delivered", amount="30000000"),
    )
    site, _ = load_site(make_project({"content/briefings/c.md": c}, SITE_YAML))
    [fact] = site.aid
    amounts = {s: e.money.amount for s, e in fact.stages.items()}
    assert amounts == {
        "pledged": Decimal("80000000"),
        "committed": Decimal("80000000"),
        "delivered": Decimal("30000000"),
    }


def test_instrument_splits_the_totals_and_a_loan_is_an_instrument_not_a_kind(make_project):
    files = {
        "content/briefings/a.md": briefing(
            aid=aid(
                "facility",
                "33000000000",
                "EUR",
                "European Union",
                kind="financial",
                extra="instrument: loan",
            )
            + aid(
                "grant",
                "17000000000",
                "EUR",
                "European Union",
                kind="financial",
                extra="instrument: grant",
            )
        )
    }
    site, _ = load_site(make_project(files, SITE_YAML))
    rows = {
        r.label: r.stage("pledged").by_currency
        for r in site.aid_totals.breakdown("instrument").rows
    }
    assert rows == {
        "loan": (Money(Decimal("33000000000"), "EUR"),),
        "grant": (Money(Decimal("17000000000"), "EUR"),),
    }
    bad = briefing(aid=aid(kind="loan"))
    project = make_project({"content/briefings/a.md": bad}, SITE_YAML)
    assert problems_of(project) == [
        f"content/briefings/a.md:{line_of(bad, 'kind: loan')}: aid[0].kind: 'loan' is an "
        "instrument, not a kind of aid (write kind: financial (or military, humanitarian) "
        "and instrument: loan)"
    ]


DATED = SITE_YAML.replace(
    'exchange_rates: {EUR: "1.10"}',
    'exchange_rates:\n  EUR: [{from: 2024-01-01, rate: "1.09"}, {from: 2025-01-01, rate: "1.04"}]',
)


def test_a_conversion_uses_the_rate_in_force_on_the_amounts_date(make_project, tmp_path):
    files = {
        "content/briefings/a.md": briefing(
            date="2025-02-01",
            aid=aid("old", "100", "EUR", date="2024-06-01")
            + aid("new", "100", "EUR", date="2025-01-15"),
        )
    }
    project = make_project(files, DATED)
    site, _ = load_site(project)
    assert site.aid_totals.overall.stage("pledged").converted == Money(Decimal("213.00"), "USD")
    out = build(project, tmp_path)
    note = text(page(out, "aid").xpath("//p[contains(., 'Converted at the rates')]")[0])
    assert "1 EUR = 1.09 USD from 1 January 2024; 1 EUR = 1.04 USD from 1 January 2025" in note


def test_an_amount_dated_before_the_first_rate_is_an_error_at_it(make_project):
    a = briefing(aid=aid("early", "100", "EUR", date="2023-05"))
    project = make_project({"content/briefings/a.md": a}, DATED)
    assert problems_of(project) == [
        f"content/briefings/a.md:{line_of(a, 'id: early')}: date: 2023-05 is before the first "
        "EUR rate in site.yaml (from 2024-01-01) for aid 'early' (add an earlier rate: "
        'exchange_rates: {EUR: [{from: 2023-05-01, rate: "…"}, …]})'
    ]


# 5. Entities ------------------------------------------------------------------------------


QUOTES = """\
  - id: q1
    who: "austin"
    text: "Ukraine has a need."
    source: src
    date: 2024-11-20
  - id: q2
    who: "Pete Hegseth"
    text: "Later words."
    source: src
    date: 2025-02-01
"""


def test_names_resolve_to_entities_and_quotes_take_the_role_in_force(make_project, tmp_path):
    files = {
        "content/briefings/a.md": briefing(date="2025-02-02", aid=aid(donor="usa"), quotes=QUOTES),
        "content/entities.yaml": ENTITIES,
    }
    project = make_project(files, SITE_YAML)
    site, warnings = load_site(project)
    assert warnings == []
    assert [(q.speaker.name, q.role) for q in site.quotes] == [
        ("Lloyd Austin", "US Secretary of Defense"),
        ("Pete Hegseth", "US Secretary of Defense"),
    ]
    out = build(project, tmp_path)
    doc = page(out, "briefings/a")
    links = {a.text: a.get("href") for a in doc.xpath("//a[@class='entity']")}
    assert links["United States"] == "/f/entities/united-states/"
    assert links["Lloyd Austin"] == "/f/entities/lloyd-austin/"
    assert "usa" not in text(doc.xpath("//section[@class='facts']")[0])


def test_a_name_the_registry_lacks_is_a_warning_naming_the_closest_and_an_error_when_strict(
    make_project,
):
    a = briefing(aid=aid(donor="Untied States"))
    project = make_project(
        {"content/briefings/a.md": a, "content/entities.yaml": ENTITIES}, SITE_YAML
    )
    _, warnings = load_site(project)
    assert [str(w) for w in warnings] == [
        f"content/briefings/a.md:{line_of(a, 'id: pkg')}: warning: aid[0].donor: 'Untied States' "
        "is not in content/entities.yaml (did you mean 'United States' (united-states)?)"
    ]
    assert run_cli("check", cwd=project).returncode == 0
    assert run_cli("check", "--strict", cwd=project).returncode == 1
    (project / "content/entities.yaml").unlink()
    assert load_site(project)[1] == []  # a site without a registry: names as written


def test_a_quote_without_a_role_and_no_role_in_the_registry_is_an_error(make_project):
    quote = '  - id: q\n    who: "Lloyd Austin"\n    text: "Words."\n    source: src\n    date: 2025-03-01\n'
    a = briefing(date="2025-03-02", quotes=quote)
    project = make_project(
        {"content/briefings/a.md": a, "content/entities.yaml": ENTITIES}, SITE_YAML
    )
    assert problems_of(project) == [
        f"content/briefings/a.md:{line_of(a, 'id: q')}: quotes[0].role: required field is "
        "missing (content/entities.yaml has no role for Lloyd Austin on 2025-03-01) (add "
        "'role:' to this entry, or a role with its dates in content/entities.yaml)"
    ]


def test_an_entity_page_lists_exactly_its_facts(make_project, tmp_path):
    files = {
        "content/briefings/a.md": briefing(
            "Pledges", aid=aid() + aid("other", donor="Germany", recipient="US"), quotes=QUOTES
        ),
        "content/briefings/b.md": briefing(
            "Unrelated", aid=aid("x", donor="Germany", recipient="Poland")
        ),
        "content/entities.yaml": ENTITIES,
    }
    out = build(make_project(files, SITE_YAML), tmp_path)
    us = page(out, "entities/united-states")
    given = us.xpath("//section[@aria-labelledby='aid-given']//ul/li/@id")
    received = us.xpath("//section[@aria-labelledby='aid-received']//ul/li/@id")
    assert (given, received) == (["aid-pkg"], ["aid-other"])
    assert [a.text for a in us.xpath("//section[@aria-labelledby='briefings-h']//h3/a")] == [
        "Pledges"
    ]
    austin = page(out, "entities/lloyd-austin")
    assert [text(q) for q in austin.xpath("//blockquote")] == ["Ukraine has a need."]
    index = page(out, "entities")
    assert len(index.xpath("//ul[@class='entities']/li")) == 5


def test_entities_yaml_problems_name_their_lines(make_project):
    bad = (
        ENTITIES
        + "- id: usa-again\n  name: USA\n  kind: country\n  roles:\n    - {role: X, of: nowhere, from: 2020-01-01}\n"
    )
    project = make_project(
        {"content/briefings/a.md": briefing(), "content/entities.yaml": bad}, SITE_YAML
    )
    line = line_of(bad, "id: usa-again")
    assert problems_of(project) == [
        f"content/entities.yaml:{line}: aliases: 'USA' already names 'United States' (line 1) "
        "(a name resolves to one entity; keep it on one of them)",
        f"content/entities.yaml:{line}: roles.of: unknown entity 'nowhere' (use another entity's id)",
    ]
