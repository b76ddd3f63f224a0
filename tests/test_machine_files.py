"""Control characters and every kind of line break, in every field and in the body, end to
end: each machine file is read back by its real reader and holds the text as
``clean_text`` gives it (one sanitiser for XML, iCalendar, CSV and JSON alike)."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import icalendar
import pytest
from conftest import BRIEFING, SITE_YAML, run_cli
from lxml import etree
from lxml import html as lxml_html

from dossier.machine import clean_text

# Written as YAML escapes, so front matter can hold them: NUL, SOH, ESC, DEL, C1, the
# non-characters, and each line break str.splitlines() knows.
NASTY = "\\0\\x01\\e\\x7f\\x80\\x9f\\uFFFE\\uFFFF"
BREAKS = "\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029\\r\\n"
INJECT = "\\rBEGIN:VEVENT\\rUID:forged\\rSUMMARY:forged\\rEND:VEVENT\\r"


def yaml_value(escaped: str) -> str:
    return json.loads(
        '"'
        + escaped.replace("\\0", "\\u0000").replace("\\e", "\\u001b").replace("\\x", "\\u00")
        + '"'
    )


TITLE = f"Title {NASTY} end"
SUMMARY = f"Summary {BREAKS} end"
LABEL = f"Label{INJECT}end"
PLACE = f"Place {NASTY}{BREAKS}"
DONOR = f"Donor {NASTY}{BREAKS}"
TAG = f"tag {NASTY}"
SITE_TITLE = f"Site {NASTY}"

TEXT = (
    BRIEFING.replace('title: "A test briefing"', f'title: "{TITLE}"')
    .replace('summary: "A summary."', f'summary: "{SUMMARY}"')
    .replace("tags: [ukraine]", f'tags: ["{TAG}"]')
    .replace('label: "Announcement"', f'label: "{LABEL}"\n    place: "{PLACE}"')
    .replace('donor: "United States"', f'donor: "{DONOR}"')
    .replace("Body text [@report].", "Body \x01 text \x0b and \x1b [@report] \u2028 end.")
)


def expected(escaped: str) -> str:
    """What a reader gets back: the cleaned value, as a whitespace-insensitive reader sees it."""
    return " ".join(clean_text(yaml_value(escaped)).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = tmp_path_factory.mktemp("machine")
    (project / "site.yaml").write_text(
        SITE_YAML.replace("title: Test Briefings", f'title: "{SITE_TITLE}"')
    )
    (project / "content/briefings").mkdir(parents=True)
    (project / "content/briefings/nasty.md").write_text(TEXT)
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "_site"


def test_the_yaml_really_holds_the_characters():
    assert "\x00" in yaml_value(NASTY) and "\u2028" in yaml_value(BREAKS)
    assert clean_text(yaml_value(LABEL)).count("\n") == 5


@pytest.mark.parametrize("rel", ["feed.xml", "tags/tag/feed.xml"])
def test_atom_feeds_are_well_formed_and_keep_the_text(site, rel):
    data = (site / rel).read_bytes()
    etree.fromstring(data)  # strict XML 1.0: raised "not well-formed" before
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    entry = feed.entries[0]
    assert words(entry.title) == expected(TITLE)
    assert words(entry.summary) == expected(SUMMARY)
    assert [words(t.term) for t in entry.tags] == [expected(TAG)]
    assert words(feed.feed.title).startswith(expected(SITE_TITLE))


def test_json_files_parse_and_keep_the_text(site):
    feed = json.loads((site / "feed.json").read_bytes())
    assert words(feed["items"][0]["title"]) == expected(TITLE)
    assert words(feed["title"]) == expected(SITE_TITLE)
    aid = json.loads((site / "aid.json").read_bytes())
    assert words(aid["aid"][0]["donor"]) == expected(DONOR)
    timeline = json.loads((site / "timeline.json").read_bytes())
    assert "forged" in timeline["events"][0]["text"]["headline"]
    page = lxml_html.fromstring((site / "briefings/nasty/index.html").read_bytes())
    (script,) = page.xpath("//script[@type='application/ld+json']")
    ld = json.loads(script.text)
    assert words(ld["headline"]) == expected(TITLE)
    for value in (feed, aid, timeline, ld):
        assert clean_text(json.dumps(value, ensure_ascii=False)) == json.dumps(
            value, ensure_ascii=False
        )


def test_aid_csv_has_one_row_and_the_clean_text(site):
    rows = list(csv.DictReader(io.StringIO((site / "aid.csv").read_text("utf-8"), newline="")))
    assert len(rows) == 1
    assert words(rows[0]["donor"]) == expected(DONOR)


def test_timeline_ics_has_no_forged_event_for_any_line_splitter(site):
    data = (site / "timeline.ics").read_bytes()
    text = data.decode("utf-8")
    lines = text.splitlines()  # breaks on CR, VT, FF, FS, GS, RS, NEL, LS, PS as well
    assert lines == text.split("\r\n")[:-1], "a line break other than CRLF"
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert not [line for line in lines if line.startswith(("UID:forged", "SUMMARY:forged"))]
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == clean_text(yaml_value(LABEL)).strip()
    assert str(event["LOCATION"]).split() == expected(PLACE).split()
    assert str(event["UID"]).startswith("announcement@")


def test_sitemap_is_well_formed(site):
    doc = etree.fromstring((site / "sitemap.xml").read_bytes())
    assert doc.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
