"""Timeline, home pagination, sources, publishers, quotes, tags and archive, read as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from conftest import write_project
from views_data import FILES, SITE_YAML, build


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("views")
    project = write_project(root / "project", {"site.yaml": SITE_YAML, **FILES})
    return build(project, root / "out")


def parse(out: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(out / rel)).getroot()


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def test_timeline_is_an_overview_with_a_page_per_year_and_month(out):
    """The details are in tests/test_views_split.py."""
    doc = parse(out, "timeline/index.html")
    assert [text(a) for a in doc.xpath("//section[@class='timeline-year']/h3/a")] == [
        "2024",
        "2025",
    ]
    november = parse(out, "timeline/2024/11/index.html")
    assert [li.get("id") for li in november.xpath("//ul[@class='events']/li")] == [
        "event-month-only",
        "event-announcement",
    ]
    assert text(november.get_element_by_id("event-month-only").xpath("time")[0]) == "November 2024"
    year = parse(out, "timeline/2025/index.html")
    assert text(year.get_element_by_id("event-year-only").xpath("time")[0]) == "2025"


def test_home_is_paginated_by_page_size_with_headline_totals(out):
    first = parse(out, "index.html")
    assert [text(a) for a in first.xpath("//ol[@class='briefing-list']//h3/a")] == [
        "Second briefing on grants"
    ]
    assert first.xpath("//a[@rel='next']/@href") == ["/briefings/page/2/"]
    assert first.get_element_by_id("total-pledged").get("value") == "179400000.00"
    assert first.get_element_by_id("total-delivered").get("value") == "25400000.00"
    second = parse(out, "page/2/index.html")
    assert [text(a) for a in second.xpath("//ol[@class='briefing-list']//h3/a")] == [
        "First briefing on mines"
    ]
    assert second.xpath("//a[@rel='prev']/@href") == ["/briefings/"]
    assert not second.xpath("//a[@rel='next']")
    assert not (out / "page" / "3").exists()


def test_sources_are_listed_once_per_url_on_their_publishers_page_with_citing_briefings(out):
    doc = parse(out, "sources/index.html")
    assert [text(a) for a in doc.xpath("//ul[contains(@class, 'split-index')]/li/a[1]")] == [
        "Government of Norway",
        "Wire",
    ]
    assert doc.xpath("//ul[contains(@class, 'split-index')]/li/a[1]/@href") == [
        "/briefings/sources/government-of-norway/",
        "/briefings/sources/wire/",
    ]
    wire = parse(out, "sources/wire/index.html").xpath("//ul[@class='sources']/li")
    assert len(wire) == 1
    assert "(media)" in text(wire[0])
    assert wire[0].xpath(".//span[@class='src']/a/@href") == [
        "/briefings/briefings/b/",
        "/briefings/briefings/a/",
    ]
    index = parse(out, "publishers/index.html")
    assert index.xpath("//tbody/tr/th/a/@href") == [
        "/briefings/sources/government-of-norway/",
        "/briefings/sources/wire/",
    ]


def test_quotes_say_who_said_what_when_and_where(out):
    doc = parse(out, "quotes/index.html")
    # people by family name: Austin before (Barth) Eide
    speakers = doc.xpath("//ul[contains(@class, 'split-index')]/li/a[1]")
    assert [text(a) for a in speakers] == ["Lloyd Austin", "Espen Barth Eide"]
    assert [a.get("href") for a in speakers] == [
        "/briefings/quotes/lloyd-austin/",
        "/briefings/quotes/espen-barth-eide/",
    ]
    austin = parse(out, "quotes/lloyd-austin/index.html").xpath("//main/figure")[0]
    assert text(austin.xpath("blockquote")[0]) == "Ukraine has a need for things."
    assert austin.xpath(".//time/@datetime") == ["2024-11-20"]
    assert austin.xpath(".//figcaption/a/@href")[-1] == "/briefings/briefings/a/#quote-austin"


def test_tags_index_tag_pages_and_archive_by_month(out):
    tags = parse(out, "tags/index.html")
    assert tags.xpath("//ul[@class='tag-cloud']/li/a/@href") == [
        "/briefings/tags/landmines/",
        "/briefings/tags/ukraine/",
    ]
    ukraine = parse(out, "tags/ukraine/index.html")  # page_size: 1
    assert len(ukraine.xpath("//ol[@class='briefing-list']/li")) == 1
    assert "2 briefings" in text(ukraine.xpath("//p[@class='lede']")[0])
    assert "/briefings/tags/ukraine/feed.xml" in ukraine.xpath("//main//a/@href")
    archive = parse(out, "archive/index.html")
    assert [text(a) for a in archive.xpath("//ul[@class='archive-months']/li/a")] == [
        "December 2024",
        "November 2024",
    ]


def test_every_page_has_the_nav_a_search_box_and_ordered_headings(out):
    pages = sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) >= 15
    for path in pages:
        doc = lxml.html.parse(str(path)).getroot()
        nav = doc.xpath("//header//nav[@aria-label='Site']//a/@href")
        assert "/briefings/timeline/" in nav and "/briefings/aid/" in nav, path
        form = doc.xpath("//form[@role='search']")
        assert form and form[0].get("action") == "/briefings/search/", path
        assert form[0].xpath(".//input[@name='q']/@id")[0] in form[0].xpath(".//label/@for")
        assert len(doc.xpath("//main")) == 1 and doc.xpath("//footer"), path
        levels = [
            int(h.tag[1])
            for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")
        ]
        assert levels and levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_timeline_json_is_in_timelinejs_format(out):
    doc = json.loads((out / "timeline.json").read_text("utf-8"))
    assert doc["title"]["text"]["headline"]
    slides = {e["unique_id"]: e for e in doc["events"]}
    assert set(slides) == {"announcement", "month-only", "year-only"}
    assert slides["announcement"]["start_date"] == {"year": 2024, "month": 11, "day": 20}
    assert slides["month-only"]["start_date"] == {"year": 2024, "month": 11}
    assert slides["year-only"]["start_date"] == {"year": 2025}
    assert slides["announcement"]["text"]["text"].count("<li>") == 2


def test_two_builds_are_byte_identical_outside_the_pagefind_bundle(make_project, tmp_path):
    """Pagefind 1.5 names its filter files by a hash that varies between runs, so its
    bundle is excluded; every page, feed and export of ours must not vary."""
    from conftest import tree_bytes

    project = make_project(FILES, SITE_YAML)
    ours = lambda tree: {k: v for k, v in tree.items() if not k.startswith("pagefind/")}  # noqa: E731
    first = ours(tree_bytes(build(project, tmp_path / "one")))
    second = ours(tree_bytes(build(project, tmp_path / "two")))
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_an_empty_site_still_builds_every_view(make_project, tmp_path):
    out = build(make_project({}, SITE_YAML), tmp_path / "out")
    for rel in ("index.html", "timeline/index.html", "aid/index.html", "sources/index.html"):
        assert (out / rel).is_file(), rel
    aid = parse(out, "aid/index.html")
    assert "No aid amounts" in text(aid.xpath("//main")[0])
    assert not (out / "page" / "2").exists()
    assert json.loads((out / "feed.json").read_text())["items"] == []
    assert (out / "pagefind" / "pagefind-ui.js").is_file()  # /search/ links stay whole
