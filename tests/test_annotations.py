"""Every annotation is checked; each bad input is reported as file:line: key: message (hint)."""

from decimal import Decimal

import pytest

from dossier.briefing import load_briefing
from dossier.config import SiteConfig
from dossier.dates import PartialDate
from dossier.markdown import BodyRenderer

CONFIG = SiteConfig(title="T", base_url="https://example.org/")
RENDERER = BodyRenderer()

HEAD = """\
---
title: "T"
date: 2024-11-21
summary: "S"
sources:
  - id: report
    title: "R"
    publisher: "P"
    url: "https://example.org/r"
    kind: media
"""


def load(front: str, body: str = "Body.\n"):
    data = (HEAD + front + "---\n" + body).encode()
    return load_briefing("content/briefings/b.md", data, CONFIG, RENDERER)


def errors(front: str) -> list[str]:
    briefing, problems = load(front)
    assert briefing is None, "expected the briefing to be refused"
    return [str(p) for p in problems]


AID = """\
aid:
  - id: pkg
    amount: {amount}
    currency: {currency}
    donor: "United States"
    recipient: "Ukraine"
    date: {date}
    kind: military
    status: pledged
    sources: [report]
"""


def aid(amount="275000000", currency="USD", date="2024-11-20"):
    return AID.format(amount=amount, currency=currency, date=date)


def test_a_valid_briefing_keeps_exact_values():
    front = (
        aid(amount='"275 million"')
        + """\
events:
  - {id: e1, date: 2024-11, label: "L", sources: [report]}
  - {id: e2, date: 2024, label: "L", sources: [report]}
quotes:
  - {who: "A", role: "B", text: "C", source: report}
"""
    )
    briefing, problems = load(front)
    assert problems == ()
    a = briefing.annotations.aid[0]
    assert a.amount == Decimal("275000000") and isinstance(a.amount, Decimal)
    assert a.currency == "USD"
    assert [e.date for e in briefing.annotations.events] == [
        PartialDate(2024, 11),
        PartialDate(2024),
    ]
    assert [e.date.precision for e in briefing.annotations.events] == ["month", "year"]
    assert briefing.annotations.quotes[0].id == "quote-1"
    assert briefing.slug == "b"


@pytest.mark.parametrize(
    "amount",
    ["2.5", "1_000", '"1.2 billion"', '"275,000,000"', '"500 thousand"', "1e6"],
)
def test_amount_forms_are_read_exactly(amount):
    briefing, problems = load(aid(amount=amount))
    assert problems == ()
    assert (
        briefing.annotations.aid[0].amount
        == {
            "2.5": Decimal("2.5"),
            "1_000": Decimal(1000),
            '"1.2 billion"': Decimal(1200000000),
            '"275,000,000"': Decimal(275000000),
            '"500 thousand"': Decimal(500000),
            "1e6": Decimal(1000000),
        }[amount]
    )


def test_a_date_that_does_not_exist():
    assert errors(aid(date="2024-02-30")) == [
        "content/briefings/b.md:17: aid[0].date: '2024-02-30' is not a real date "
        "(February 2024 has 29 days)"
    ]


def test_a_duplicate_yaml_key_names_both_lines():
    found = errors(aid() + "title: again\n")
    assert found == [
        "content/briefings/b.md:21: title: duplicate key (first defined on line 2) "
        "(keep one; YAML would silently use the last)"
    ]


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "must be a positive amount"),
        ("0", "must be a positive amount"),
        (".inf", "not a finite amount"),
        (".nan", "not a finite amount"),
        ('"lots"', "is not an amount"),
        ("true", "is not an amount"),
        ("012", "would be misread by YAML 1.1"),
        ("1:30", "would be misread by YAML 1.1"),
    ],
)
def test_an_amount_that_is_not_a_positive_finite_number(amount, message):
    found = errors(aid(amount=amount))
    assert len(found) == 1 and found[0].startswith("content/briefings/b.md:13: aid[0].amount:")
    assert message in found[0]


def test_an_unknown_currency_code():
    assert errors(aid(currency="ZZZ")) == [
        "content/briefings/b.md:14: aid[0].currency: 'ZZZ' is not an ISO 4217 currency code "
        "(e.g. USD, EUR, GBP, UAH)"
    ]


def test_a_missing_required_field():
    found = errors("events:\n  - id: e1\n    date: 2024-11-20\n    sources: [report]\n")
    assert found == [
        "content/briefings/b.md:12: events[0].label: required field is missing "
        "(add 'label:' to this entry)"
    ]


def test_a_wrong_type():
    found = errors("events:\n  - [2024-11-20, label]\naid: {id: x}\n")
    assert found == [
        "content/briefings/b.md:12: events[0]: must be a mapping of fields, not a list "
        "(write 'name: value' lines)",
        "content/briefings/b.md:13: aid: must be a list, not a mapping (start each entry with '- ')",
    ]


def test_an_unknown_source_id_suggests_the_closest():
    found = errors("events:\n  - {id: e1, date: 2024, label: L, sources: [reprot]}\n")
    assert found == [
        "content/briefings/b.md:12: events[0].sources: unknown source id 'reprot' "
        "(did you mean 'report'?)"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVa\\tScript:alert(1)",
        "data:text/html,x",
        "ftp://e.org/x",
        "//e.org",
    ],
)
def test_a_url_that_is_not_http_or_https(url):
    front = f'  - {{id: s2, title: T, publisher: P, url: "{url}", kind: ngo}}\n'
    found = errors(front)
    assert len(found) == 1 and "sources[1].url:" in found[0] and "is not an http(s) URL" in found[0]


@pytest.mark.parametrize(
    "field, value", [("donor", "NO"), ("recipient", "yes"), ("package", "off")]
)
def test_yaml_11_booleans_in_text_fields_are_errors(field, value):
    front = aid().replace('donor: "United States"', 'donor: "United States"\n    package: "P"')
    front = front.replace(f'{field}: "United States"', f"{field}: {value}")
    front = front.replace(f'{field}: "Ukraine"', f"{field}: {value}")
    front = front.replace(f'{field}: "P"', f"{field}: {value}")
    found = errors(front)
    assert len(found) == 1
    assert f"aid[0].{field}: '{value}' was read as a boolean (YAML 1.1) (quote it" in found[0]


def test_octal_looking_ids_in_text_fields_are_errors_not_numbers():
    found = errors("events:\n  - {id: e1, date: 2024, label: 012, sources: [report]}\n")
    assert "events[0].label: '012' would be re-typed as a number by YAML 1.1" in found[0]


def test_unknown_enum_values_suggest_the_closest():
    found = errors(aid().replace("kind: military", "kind: millitary"))
    assert "(did you mean 'military'?)" in found[0]


def test_duplicate_ids_in_one_list_are_errors_but_kinds_have_their_own_ids():
    briefing, problems = load(
        "quotes:\n  - {id: report, who: A, role: B, text: C, source: report}\n"
    )
    assert problems == () and briefing.annotations.quotes[0].id == "report"
    found = errors(
        "events:\n  - {id: e, date: 2024, label: L, sources: [report]}\n"
        "  - {id: e, date: 2025, label: M, sources: [report]}\n"
    )
    assert found == [
        "content/briefings/b.md:13: events[1].id: duplicate id 'e' (also events[0]) "
        "(ids name one fact; rename one of them)"
    ]


@pytest.mark.parametrize("slug", ["../../etc/x", "/etc/x", "%2e%2e", "..\\\\x", "CON", "Has Caps"])
def test_unsafe_slugs_are_refused(slug):
    found = errors(f'slug: "{slug}"\n')
    assert len(found) == 1 and ": slug: " in found[0] and "is not a usable slug" in found[0]


def test_every_problem_in_a_file_is_reported_together():
    front = aid(amount="-1", currency="usd", date="2024-13") + "bogus: 1\n"
    found = errors(front)
    assert len(found) == 4
