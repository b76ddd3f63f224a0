"""Drafts an editor can trust (issue 17), feature by feature.

The article in fixtures/import/cases/pentagon_725m.txt is the issue's own case: 323
words, a dateline saying "December 9, 2024", then "Monday", "December 2", "April", a
running total of "$62 billion" and a "$725 million" package the site already records
as ``pda-2024-12``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import SITE_YAML, run_cli, write_project
from lxml import html as lxml_html

from dossier.importer import extract, read_article
from dossier.importer.extract import guess_package
from dossier.importer.labels import event_label
from dossier.importer.parties import find_parties
from dossier.importer.reading import parse_html
from dossier.importer.reference import reference_date

CASE = Path(__file__).parent / "fixtures" / "import" / "cases" / "pentagon_725m.txt"

PDA = """\
---
title: "The December drawdown"
date: 2024-12-09
summary: "The Pentagon's December package."
tags: [ukraine]
sources:
  - id: dod
    title: "DoD release"
    publisher: "US Department of Defense"
    url: "https://example.org/dod"
    kind: official
aid:
  - id: pda-2024-12
    amount: "725 million"
    currency: USD
    donor: united-states
    recipient: ukraine
    date: 2024-12-09
    package: "Presidential Drawdown Authority package"
    kind: military
    status: pledged
    sources: [dod]
---

The [$725 million]{.aid ref=pda-2024-12} package [@dod].
"""

ENTITIES = """\
- id: united-states
  name: United States
  kind: country
  aliases: [US, U.S., USA]
- id: ukraine
  name: Ukraine
  kind: country
- id: antony-blinken
  name: Antony Blinken
  kind: person
  aliases: [Blinken]
  roles:
    - {role: US Secretary of State, of: united-states, from: 2021-01-26, to: 2025-01-20}
"""


def site(root: Path, with_pda: bool = True) -> Path:
    files = {"site.yaml": SITE_YAML, "content/entities.yaml": ENTITIES}
    if with_pda:
        files["content/briefings/pda.md"] = PDA
    return write_project(root, files)


def import_case(project: Path, *extra: str, article: Path = CASE) -> tuple[dict, str, str]:
    done = run_cli("--project", project, "import", article, "--slug", "case",
                   "--url", "https://example.org/case", "--publisher", "Example News", *extra)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (project / "content/briefings/case.md").read_text("utf-8")
    front = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert front
    return yaml.safe_load(front.group(1)), text, done.stderr


def published(text: str) -> str:
    """The draft as an editor leaves it once every value is checked: no review marks."""
    text = re.sub(r"\n\s*review: true[^\n]*", "", text)
    return text.replace("draft: true", "draft: false", 1)


# The reference date


def test_relative_dates_resolve_against_the_articles_dateline_not_today(tmp_path: Path) -> None:
    meta, text, _ = import_case(site(tmp_path))
    days = {str(e["date"]) for e in meta["events"]}
    assert {"2024-12-09", "2024-12-02", "2024-04"} <= days  # Monday, December 2, April
    assert not any(d.startswith(str(dt.date.today().year)) for d in days)
    assert meta["date"] == dt.date(2024, 12, 9)
    assert "# reference date: the article's dateline 'WASHINGTON, December 9, 2024 —'" in text
    article = meta["sources"][0]
    assert article["published"] == dt.date(2024, 12, 9)
    assert re.search(r"review: true\s+#.*published: the reference date is from the article's "
                     r"dateline", text)  # fmt: skip


def test_monday_and_the_dateline_day_are_one_event(tmp_path: Path) -> None:
    meta, text, _ = import_case(site(tmp_path))
    assert [e["id"] for e in meta["events"]].count("event-2024-12-09") == 1
    assert "[Monday]{.event ref=event-2024-12-09}" in text


@pytest.mark.parametrize(
    ("first", "day"),
    [
        ("WASHINGTON, Dec. 9, 2024 — The Pentagon said", dt.date(2024, 12, 9)),
        ("KYIV, 9 December 2024 (Reuters) - Ukraine said", dt.date(2024, 12, 9)),
        ("OSLO, 4 March 2025 — The government said", dt.date(2025, 3, 4)),
    ],
)
def test_datelines_in_the_usual_wire_forms_give_the_reference_date(
    first: str, day: dt.date, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{first} on Monday it would help.\n\nMore text on 1 May 2020.\n", "utf-8")
    ref = reference_date(read_article(str(path)))
    assert ref.date == day and "dateline" in ref.how


def test_html_published_time_or_json_ld_date_published_gives_the_reference_date() -> None:
    body = "<article><h1>T</h1><p>Officials said on Monday that aid would come.</p></article>"
    meta_tag = '<meta property="article:published_time" content="2024-12-09T08:00:00Z">'
    ld = '<script type="application/ld+json">{"@graph": [{"datePublished": "2024-12-10"}]}</script>'
    assert reference_date(parse_html(meta_tag + body)).date == dt.date(2024, 12, 9)
    found = reference_date(parse_html(ld + body))
    assert found.date == dt.date(2024, 12, 10) and "JSON-LD" in found.how


def test_without_a_dateline_the_latest_full_date_is_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The fund was set up on 3 March 2023. It paid out on 9 December 2024, on a "
                    "Monday, officials said.\n", "utf-8")  # fmt: skip
    ref = reference_date(read_article(str(path)))
    assert ref.date == dt.date(2024, 12, 9) and "latest full date" in ref.how


def test_with_no_full_date_anywhere_relative_dates_are_left_unresolved_and_listed(
    tmp_path: Path,
) -> None:
    project = site(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text("Aid arrives\n\nThe Pentagon on Monday announced $5 million for Ukraine. "
                       "An earlier package came on December 2 and in April.\n", "utf-8")  # fmt: skip
    meta, text, stderr = import_case(project, article=article)
    assert meta["events"] == []
    assert "relative dates left unresolved" in stderr
    for word in ("Monday", "December 2", "April"):
        assert re.search(rf"^#   '(?:on )?{word}': ", text, re.M), word
    assert "published: the article gives no full date" in text
    assert "no date in the article: set the publication date" in text


def test_the_summary_and_event_labels_carry_no_dateline_and_no_cut_words(tmp_path: Path) -> None:
    meta, _, _ = import_case(site(tmp_path))
    assert not meta["summary"].startswith("WASHINGTON")
    for event in meta["events"]:
        label = event["label"]
        assert "WASHINGTON" not in label and len(label) <= 90
        words = {w.strip(".,;:").lower() for w in event["evidence"].split()}
        assert {w.strip(".,;:").lower() for w in label.split()} <= words, label
    assert event_label("WASHINGTON — The Pentagon on Monday announced aid, officials said.") == (
        "The Pentagon on Monday announced aid"
    )


# Donors and recipients


@pytest.mark.parametrize(
    ("sentence", "amount", "donor", "recipient"),
    [
        ("Germany will send Ukraine four systems in a €1.3bn package.", "€1.3bn", "Germany",
         "Ukraine"),
        ("Japan will provide Ukraine with about $3 billion in loans.", "$3 billion", "Japan",
         "Ukraine"),
        ("The package is worth $5 million, officials said.", "$5 million", "", ""),
        ("It comes on top of the $2.5 billion that Washington approved in December.",
         "$2.5 billion", "United States", ""),
        ("Aid from Norway of NOK 100 million will go to Ukraine.", "NOK 100 million", "Norway",
         "Ukraine"),
        ("Between 2022 and 2024 Europe allocated €62 billion, against €64 billion from "
         "Washington.", "€62 billion", "Europe", ""),
        ("The G7's $50 billion loan is repaid from Russian assets.", "$50 billion", "G7", ""),
    ],
)  # fmt: skip
def test_donors_and_recipients_come_only_from_what_the_sentence_says(
    sentence: str, amount: str, donor: str, recipient: str
) -> None:
    start = sentence.index(amount)
    others = tuple(
        (m.start(), m.end())
        for m in re.finditer(r"[€$]\d+ billion", sentence)
        if m.start() != start
    )
    parties = find_parties(sentence, start, start + len(amount), None, None, others)
    assert (parties.donor, parties.recipient) == (donor, recipient)


def test_a_sentence_naming_no_donor_leaves_it_empty_and_marked_for_review(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("KYIV, 9 December 2024 (Reuters) - A $5 million grant was mentioned "
                       "in passing.\n", "utf-8")  # fmt: skip
    meta, text, _ = import_case(site(tmp_path), article=article)
    [aid] = meta["aid"]
    assert aid["donor"] == "" and aid["review"] is True
    assert "donor: the text names no donor" in text


# Running totals and conversions


def test_a_running_total_is_never_new_aid_and_never_in_the_totals(tmp_path: Path) -> None:
    project = site(tmp_path, with_pda=False)
    meta, text, _ = import_case(project)
    assert 62_000_000_000 not in [a["amount"] for a in meta["aid"]]
    assert "[$62 billion]{.nofact}" in text
    assert re.search(r"^#   \$62 billion \(United States -> Ukraine\): Since 2022", text, re.M)
    (project / "content/briefings/case.md").write_text(published(text), "utf-8")
    out = tmp_path / "out"
    done = run_cli("--project", project, "build", "--output", out, "--quiet")
    assert done.returncode == 0, done.stderr
    aid = json.loads((out / "aid.json").read_text("utf-8"))
    assert {a["amount"] for a in aid["aid"]} == {"725000000"}  # two packages of $725 million
    assert aid["totals"]["pledged"] == {"USD": "1450000000"}
    page = lxml_html.fromstring((out / "aid/index.html").read_bytes())
    assert "62,000,000,000" not in page.text_content() and "$62" not in page.text_content()


def test_a_conversion_beside_an_amount_is_a_note_on_it_not_a_second_fact(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("BERLIN, 9 December 2024 (dpa) - Germany will give $725 million "
                       "(€690 million) to Ukraine, and €500m ($540m) to Moldova.\n", "utf-8")  # fmt: skip
    meta, text, _ = import_case(site(tmp_path, with_pda=False), article=article)
    assert [(a["amount"], a["currency"]) for a in meta["aid"]] == [
        (725_000_000, "USD"), (500_000_000, "EUR")
    ]  # fmt: skip
    assert "also given as €690 million: the same money" in meta["aid"][0]["evidence"]
    assert "[€690 million]{.nofact}" in text and "[$540m]{.nofact}" in text


# The site's own facts and entities


def test_an_amount_the_site_already_records_becomes_a_reference_to_it(tmp_path: Path) -> None:
    project = site(tmp_path)
    meta, text, _ = import_case(project)
    assert "[$725 million]{.aid ref=pda-2024-12}" in text
    assert "$725 million is pda-2024-12 (content/briefings/pda.md)" in text
    # the other $725 million, announced on December 2, is another package: a new fact
    assert [(a["amount"], str(a["date"])) for a in meta["aid"]] == [(725_000_000, "2024-12-02")]
    (project / "content/briefings/case.md").write_text(published(text), "utf-8")
    out = tmp_path / "out"
    done = run_cli("--project", project, "build", "--output", out, "--quiet")
    assert done.returncode == 0, done.stderr
    ids = [a["id"] for a in json.loads((out / "aid.json").read_text("utf-8"))["aid"]]
    assert ids.count("pda-2024-12") == 1


def test_registry_names_become_entity_ids_and_known_people_get_their_role(tmp_path: Path) -> None:
    meta, _, _ = import_case(site(tmp_path, with_pda=False))
    [first, *_] = meta["aid"]
    assert (first["donor"], first["recipient"]) == ("united-states", "ukraine")
    blinken = [q for q in meta["quotes"] if q["who"] == "antony-blinken"]
    assert blinken and blinken[0]["role"] == "US Secretary of State"


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The $725 million Presidential Drawdown Authority package includes HIMARS.",
         "Presidential Drawdown Authority package"),
        ("NOK 1 billion will go to the Ukraine Energy Support Fund.", "Ukraine Energy Support Fund"),
        ("The mines are part of the $275 million package.", ""),
        ("It is a larger $275 million military aid package.", ""),
        ("Germany's package of €1.3bn was approved.", ""),
    ],
)  # fmt: skip
def test_a_package_is_written_only_under_a_real_name(sentence: str, name: str) -> None:
    assert guess_package(sentence, "") == name


# Nothing unreviewed is published


def test_a_published_briefing_still_marked_for_review_fails_naming_each_field_at_its_line(
    tmp_path: Path,
) -> None:
    project = site(tmp_path, with_pda=False)
    article = tmp_path / "a.txt"
    article.write_text("KYIV, 9 December 2024 (Reuters) - A $5 million grant was mentioned.\n")
    _, text, _ = import_case(project, article=article)
    path = project / "content/briefings/case.md"
    path.write_text(text.replace("draft: true", "draft: false", 1), "utf-8")
    out = tmp_path / "out"
    done = run_cli("--project", project, "build", "--output", out)
    assert done.returncode != 0 and not out.exists()
    lines = text.splitlines()
    for field in ("donor", "recipient"):
        line = next(n for n, t in enumerate(lines, 1) if t.startswith(f"    {field}: "))
        assert re.search(
            rf"content/briefings/case\.md:{line}: aid\[0\]\.{field}: 'aid-usd-5m': {field} still "
            r"to review \(the text names no",
            done.stderr,
        ), done.stderr
    assert "delete 'review: true'" in done.stderr and "or keep 'draft: true'" in done.stderr
    path.write_text(text, "utf-8")  # a draft: check lists the same fields as warnings
    check = run_cli("--project", project, "check")
    assert check.returncode == 0
    assert re.search(r"warning: aid\[0\]\.donor: 'aid-usd-5m': donor still to review", check.stderr)


def test_draft_pages_mark_unreviewed_values_and_never_show_an_empty_party(tmp_path: Path) -> None:
    project = site(tmp_path, with_pda=False)
    article = tmp_path / "a.txt"
    article.write_text("KYIV, 9 December 2024 (Reuters) - A $5 million grant was mentioned.\n")
    import_case(project, article=article)
    out = tmp_path / "out"
    done = run_cli("--project", project, "build", "--drafts", "--output", out, "--quiet")
    assert done.returncode == 0, done.stderr
    page = lxml_html.fromstring((out / "briefings/case/index.html").read_bytes())
    text = " ".join(page.text_content().split())
    assert "→ ," not in text and "→ →" not in text
    assert "donor to review → recipient to review" in text
    marked = page.xpath('//*[contains(concat(" ", @class, " "), " unreviewed ")]')
    assert marked and any(m.tag == "tbody" for m in marked)
    css = next(out.rglob("dossier*.css")).read_text("utf-8")
    assert ".unreviewed" in css


def test_the_extraction_never_reads_todays_date() -> None:
    """Without a reference date nothing relative is resolved, whatever the day."""
    article = read_article(str(CASE))
    result = extract(article, None)
    assert all(loc.hit.value[:4] in {"2024", "2022"} for loc in result.dates)
    assert {loc.hit.text for loc in result.unresolved} >= {"Monday", "December 2", "April"}
