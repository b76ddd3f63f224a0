"""Feeds, sitemap, robots.txt and iCalendar, read by the clients that consume them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import icalendar
import pytest
from conftest import write_project
from lxml import etree
from views_data import FILES, SITE_YAML, build

ATOM = "{http://www.w3.org/2005/Atom}"
XSD = Path(__file__).parent / "data" / "sitemap.xsd"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("feeds")
    project = write_project(root / "project", {"site.yaml": SITE_YAML, **FILES})
    return build(project, root / "out")


@pytest.mark.parametrize("rel", ["feed.xml", "tags/ukraine/feed.xml"])
def test_feedparser_reads_every_atom_feed_without_bozo(out, rel):
    parsed = feedparser.parse((out / rel).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [
        "Second briefing on grants",
        "First briefing on mines",
    ]
    assert parsed.entries[0].content[0].value.startswith("<p>Grants body text")


def test_atom_has_every_required_element(out):
    feed = etree.parse(str(out / "feed.xml")).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{name}"), name
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Test Briefings"
    assert feed.findtext(f"{ATOM}updated") == "2024-12-02T00:00:00Z"  # newest briefing, not now
    assert (
        feed.find(f"{ATOM}link[@rel='self']").get("href")
        == "https://example.org/briefings/feed.xml"
    )
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        ids.add(entry.findtext(f"{ATOM}id"))
        assert entry.findtext(f"{ATOM}title")
        dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated").replace("Z", "+00:00"))
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html" and "body text" in content.text
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == entry.findtext(
            f"{ATOM}id"
        )
    assert ids == {
        "https://example.org/briefings/briefings/a/",
        "https://example.org/briefings/briefings/b/",
    }


def test_a_tag_feed_has_only_that_tags_briefings(out):
    parsed = feedparser.parse((out / "tags/landmines/feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["First briefing on mines"]
    assert parsed.feed.id == "https://example.org/briefings/tags/landmines/feed.xml"


def test_json_feed_1_1(out):
    """feedparser 6.0 has no JSON Feed parser, so the spec's required fields are checked here."""
    doc = json.loads((out / "feed.json").read_text("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "Test Briefings"
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        dt.datetime.fromisoformat(item["date_modified"].replace("Z", "+00:00"))
    assert [i["title"] for i in doc["items"]] == [
        "Second briefing on grants",
        "First briefing on mines",
    ]
    assert doc["feed_url"] == "https://example.org/briefings/feed.json"
    assert doc["authors"] == [{"name": "Test Briefings"}]
    first = doc["items"][0]
    assert first["id"] == first["url"] == "https://example.org/briefings/briefings/b/"
    assert "body text" in first["content_html"]
    assert first["date_published"] == "2024-12-02T00:00:00Z"


def test_sitemap_is_valid_against_the_sitemaps_schema(out):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(out / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = doc.xpath("//s:loc/text()", namespaces=ns)
    assert "https://example.org/briefings/" in locs
    assert "https://example.org/briefings/briefings/a/" in locs
    assert "https://example.org/briefings/aid/" in locs
    assert not any(loc.endswith(("404.html", ".xml", ".json", "search/")) for loc in locs)
    lastmod = doc.xpath(
        "//s:url[s:loc='https://example.org/briefings/briefings/a/']/s:lastmod/text()",
        namespaces=ns,
    )
    assert lastmod == ["2024-11-21"]


def test_the_schema_rejects_a_broken_sitemap(out):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    bad = (
        (out / "sitemap.xml")
        .read_bytes()
        .replace(b"<lastmod>", b"<priority>1.5</priority><lastmod>", 1)
    )
    assert not schema.validate(etree.fromstring(bad).getroottree())


def test_robots_txt_points_to_the_sitemap(out):
    lines = (out / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://example.org/briefings/sitemap.xml" in lines
    assert lines[0] == "User-agent: *"


def test_icalendar_parses_the_timeline_as_all_day_events(out):
    cal = icalendar.Calendar.from_ical((out / "timeline.ics").read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "announcement@example.org",
        "month-only@example.org",
        "year-only@example.org",
    }
    day = events["announcement@example.org"]
    assert day.decoded("DTSTART") == dt.date(2024, 11, 20)
    assert day.decoded("DTEND") == dt.date(2024, 11, 21)
    assert str(day["SUMMARY"]) == "Announcement in Laos"
    assert str(day["DESCRIPTION"]).count("https://example.org/briefings/briefings/") == 2
    month = events["month-only@example.org"]
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
    )
    year = events["year-only@example.org"]
    assert (year.decoded("DTSTART"), year.decoded("DTEND")) == (
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
    )


def test_ics_lines_are_folded_at_75_octets(out):
    raw = (out / "timeline.ics").read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
