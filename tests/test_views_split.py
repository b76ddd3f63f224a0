"""The views that hold at any size: the timeline by year and month, the archive by month,
tag pages and their timelines in pages, read back as HTML with lxml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from conftest import write_project
from views_data import FILES, SITE_YAML, build

from dossier.build import BuildOptions, load_site
from dossier.formatting import format_partial
from dossier.views.timeline import PAGE_EVENTS

CROWDED_EVENTS = PAGE_EVENTS + 5  # one month more than a page holds


def crowded_briefing() -> str:
    """A briefing with more March 2024 events than one page holds, one known to the month."""
    events = ['  - id: c-month\n    date: 2024-03\n    label: "All of March"\n    sources: [r]']
    for i in range(1, CROWDED_EVENTS):
        events.append(
            f"  - id: c-{i:03d}\n    date: 2024-03-{1 + i % 28:02d}\n"
            f'    label: "Crowded event {i}"\n    sources: [r]'
        )
    return (
        "---\n"
        'title: "A crowded month"\n'
        "date: 2024-04-02\n"
        'summary: "Many events."\n'
        "tags: [crowded]\n"
        "sources:\n"
        '  - id: r\n    title: "Log"\n    publisher: "Wire"\n'
        '    url: "https://example.org/log"\n    kind: media\n'
        "events:\n" + "\n".join(events) + "\n---\nA crowded month [@r].\n"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("split")
    files = {**FILES, "content/briefings/crowded.md": crowded_briefing()}
    return write_project(root / "project", {"site.yaml": SITE_YAML, **files})


@pytest.fixture(scope="module")
def out(project: Path) -> Path:
    return build(project, project.parent / "out")


@pytest.fixture(scope="module")
def site(project: Path):
    site, problems = load_site(project, BuildOptions())
    assert site is not None, problems
    return site


def parse(out: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(out / rel)).getroot()


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def local(href: str, prefix: str = "/briefings/") -> str:
    """A root-relative link under the site's base path → the file it serves."""
    assert href.startswith(prefix), href
    path = href[len(prefix) :].split("#")[0]
    return path + "index.html" if path == "" or path.endswith("/") else path


def event_ids(doc: lxml.html.HtmlElement) -> list[str]:
    return [
        li.get("id").removeprefix("event-")
        for li in doc.xpath("//main//ul[@class='events']/li[@id]")
    ]


def head_links(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """The <link rel="prev|next"> of a page (absolute URLs), as paths from the host."""
    out = {}
    for rel in ("prev", "next"):
        hrefs = doc.xpath(f"//head/link[@rel='{rel}']/@href")
        assert all(h.startswith("https://example.org/briefings/") for h in hrefs), hrefs
        out[rel] = [h.removeprefix("https://example.org") for h in hrefs]
    return out


# The timeline


def test_the_timeline_overview_links_every_year_and_month_with_its_count(out, site):
    doc = parse(out, "timeline/index.html")
    years = doc.xpath("//section[@class='timeline-year']/h3/a")
    assert [text(a) for a in years] == ["2024", "2025"]
    assert [a.get("href") for a in years] == [
        "/briefings/timeline/2024/",
        "/briefings/timeline/2025/",
    ]
    months = {li.get("id"): li for li in doc.xpath("//ul[@class='timeline-months']/li")}
    assert list(months) == ["m-2024-03", "m-2024-11", "m-2025"]
    assert months["m-2024-03"].xpath("a/@href") == ["/briefings/timeline/2024/03/"]
    assert text(months["m-2024-03"]) == f"March 2024 ({CROWDED_EVENTS})"
    assert text(months["m-2024-11"]) == "November 2024 (2)"
    assert months["m-2025"].xpath("a/@href") == ["/briefings/timeline/2025/#undated"]
    assert text(months["m-2025"]) == "Month not known (1)"
    assert f"{len(site.events)} events" in text(doc.xpath("//p[@class='lede']")[0])
    for a in doc.xpath("//main//a[starts-with(@href, '/briefings/timeline/')]"):
        assert (out / local(a.get("href"))).is_file(), a.get("href")


def test_each_month_page_holds_exactly_that_months_events_in_date_order(out, site):
    november = parse(out, "timeline/2024/11/index.html")
    assert text(november.xpath("//h1")[0]) == "Timeline: November 2024"
    assert event_ids(november) == ["month-only", "announcement"]
    assert [text(t) for t in november.xpath("//ul[@class='events']/li/time")] == [
        "November 2024",
        "20 November 2024",
    ]
    assert november.xpath("//li[@id='event-month-only']/time/@datetime") == ["2024-11"]
    expected = [e.id for e in site.events if (e.event.date.year, e.event.date.month) == (2024, 11)]
    assert event_ids(november) == expected


def test_a_year_page_lists_its_months_and_the_events_known_only_to_the_year(out):
    y2024 = parse(out, "timeline/2024/index.html")
    assert y2024.xpath("//ul[@class='timeline-months']/li/a/@href") == [
        "/briefings/timeline/2024/03/",
        "/briefings/timeline/2024/11/",
    ]
    assert event_ids(y2024) == []
    y2025 = parse(out, "timeline/2025/index.html")
    assert event_ids(y2025) == ["year-only"]
    assert text(y2025.get_element_by_id("event-year-only").xpath("time")[0]) == "2025"
    assert y2025.get_element_by_id("undated").tag == "h2"


def test_the_timeline_pages_read_as_one_series_oldest_first_with_every_event_once(out, site):
    """Following rel="next" from the first year's page visits every year and month page;
    together they list every event of the site exactly once, in the site's order."""
    rel, seen, pages = "timeline/2024/index.html", [], []
    while rel:
        doc = parse(out, rel)
        pages.append(rel)
        seen += event_ids(doc)
        links = head_links(doc)
        nav = doc.xpath("//nav[@class='pagination']/a[@rel='next']/@href")
        assert nav == links["next"], rel
        rel = local(links["next"][0]) if links["next"] else None
    assert pages == [
        "timeline/2024/index.html",
        "timeline/2024/03/index.html",
        "timeline/2024/03/page/2/index.html",
        "timeline/2024/11/index.html",
        "timeline/2025/index.html",
    ]
    assert seen == [e.id for e in site.events]
    assert len(seen) == len(set(seen))
    on_disk = sorted(p.relative_to(out).as_posix() for p in (out / "timeline").rglob("*.html"))
    assert on_disk == sorted(["timeline/index.html", *pages])


def test_a_month_with_more_events_than_a_page_holds_goes_on_in_page_2(out):
    first = parse(out, "timeline/2024/03/index.html")
    second = parse(out, "timeline/2024/03/page/2/index.html")
    assert len(event_ids(first)) == PAGE_EVENTS
    assert len(event_ids(second)) == CROWDED_EVENTS - PAGE_EVENTS
    assert event_ids(first)[0] == "c-month"  # known to the month: before its days
    assert head_links(first) == {
        "prev": ["/briefings/timeline/2024/"],
        "next": ["/briefings/timeline/2024/03/page/2/"],
    }
    assert head_links(second) == {
        "prev": ["/briefings/timeline/2024/03/"],
        "next": ["/briefings/timeline/2024/11/"],
    }
    assert "page 2 of 2" in text(second.xpath("//h1")[0])
    assert "Page 2 of 2" in text(second.xpath("//nav[@class='pagination']")[0])


def test_month_and_year_pages_say_where_they_are_in_a_breadcrumb(out):
    crumbs = parse(out, "timeline/2024/11/index.html").xpath("//nav[@aria-label='Breadcrumb']//a")
    assert [text(a) for a in crumbs] == ["Timeline", "2024", "November 2024"]
    assert crumbs[-1].get("aria-current") == "page"
    year = parse(out, "timeline/2025/index.html").xpath("//nav[@aria-label='Breadcrumb']//a")
    assert [(text(a), a.get("aria-current")) for a in year] == [
        ("Timeline", None),
        ("2025", "page"),
    ]


def test_an_event_label_follows_its_date_with_no_stray_colon(out, site):
    labels = {e.id: e.event.label for e in site.events}
    pages = [p for p in (out / "timeline").rglob("*.html")] + [
        out / "tags/landmines/timeline/index.html"
    ]
    checked = 0
    for path in pages:
        doc = lxml.html.parse(str(path)).getroot()
        for li in doc.xpath("//main//ul[@class='events']/li"):
            time = li.xpath("time")[0]
            assert not (time.tail or "").strip(), (path, time.tail)  # only a space between
            label = li.xpath("span[@class='label']")[0]
            assert not text(label).startswith(":"), path
            if li.get("id"):
                assert text(label).startswith(labels[li.get("id").removeprefix("event-")])
            checked += 1
    assert checked > CROWDED_EVENTS


def test_timeline_events_are_one_unnumbered_list_per_page(out):
    """Numbers would restart with each month and change as events are added; the order
    is the dates'. So the events of a page are one <ul>, not an <ol> per month."""
    for rel in ("timeline/2024/11/index.html", "timeline/2024/03/index.html"):
        doc = parse(out, rel)
        assert len(doc.xpath("//main//ul[@class='events']")) == 1, rel
        assert doc.xpath("//main//ol[@class='events']") == [], rel


def test_each_event_links_to_every_briefing_that_annotates_it(out):
    doc = parse(out, "timeline/2024/11/index.html")
    links = doc.get_element_by_id("event-announcement").xpath(".//a/@href")
    assert links == [
        "/briefings/briefings/b/#event-announcement",
        "/briefings/briefings/a/#event-announcement",
    ]
    assert len(doc.xpath("//li[@id='event-announcement']")) == 1


def test_the_overview_shows_the_latest_events_linking_to_their_pages(out, site):
    doc = parse(out, "timeline/index.html")
    latest = doc.xpath("//section[h2='Latest events']//li")
    newest = list(reversed(site.events))[: len(latest)]
    assert 0 < len(latest) <= 10
    assert [text(li.xpath(".//a")[0]) for li in latest] == [e.event.label for e in newest]
    assert latest[0].xpath(".//a/@href") == ["/briefings/timeline/2025/#event-year-only"]
    for li in latest:
        href = li.xpath(".//a/@href")[0]
        target = parse(out, local(href))
        assert target.get_element_by_id(href.split("#")[1]) is not None, href


def test_a_tag_has_its_own_timeline_in_pages(out):
    landmines = parse(out, "tags/landmines/timeline/index.html")
    assert event_ids(landmines) == ["month-only", "announcement"]  # not b's year-only event
    crowded = parse(out, "tags/crowded/timeline/index.html")
    second = parse(out, "tags/crowded/timeline/page/2/index.html")
    assert len(event_ids(crowded)) == PAGE_EVENTS
    assert len(event_ids(crowded) + event_ids(second)) == CROWDED_EVENTS
    assert head_links(crowded)["next"] == ["/briefings/tags/crowded/timeline/page/2/"]
    assert head_links(second) == {"prev": ["/briefings/tags/crowded/timeline/"], "next": []}


def test_timeline_json_shows_dates_as_the_site_does(out, site):
    doc = json.loads((out / "timeline.json").read_text("utf-8"))
    slides = {e["unique_id"]: e for e in doc["events"]}
    assert slides["announcement"]["display_date"] == "20 November 2024"  # date_format d MMMM y
    assert slides["month-only"]["display_date"] == "November 2024"
    assert slides["year-only"]["display_date"] == "2025"
    config = site.config
    for e in site.events:
        shown = format_partial(e.event.date, config.language, config.date_format)
        assert slides[e.id]["display_date"] == shown
    page = parse(out, "timeline/2024/11/index.html")
    assert text(page.get_element_by_id("event-announcement").xpath("time")[0]) == "20 November 2024"


# The archive


def test_the_archive_overview_lists_years_and_months_with_counts(out):
    doc = parse(out, "archive/index.html")
    assert [text(h) for h in doc.xpath("//main/section/h2")] == ["2024 3 briefings"]
    months = doc.xpath("//ul[@class='archive-months']/li")
    assert [li.get("id") for li in months] == ["m-2024-12", "m-2024-11", "m-2024-04"]
    assert [text(li) for li in months] == [
        "December 2024 (1)",
        "November 2024 (1)",
        "April 2024 (1)",
    ]
    assert months[0].xpath("a/@href") == ["/briefings/archive/2024/12/"]


def test_each_archive_month_page_lists_that_months_briefings(out, site):
    december = parse(out, "archive/2024/12/index.html")
    assert text(december.xpath("//h1")[0]) == "Archive: December 2024"
    titles = [text(a) for a in december.xpath("//ol[@class='briefing-list']//h2/a")]
    assert titles == ["Second briefing on grants"]
    listed = []
    for rel in sorted((out / "archive").rglob("*/index.html")):
        doc = lxml.html.parse(str(rel)).getroot()
        listed += doc.xpath("//ol[@class='briefing-list']//h2/a/@href")
    assert sorted(listed) == sorted(f"/briefings/{b.url_path}" for b in site.briefings)
    # newest month first: its next page is the older month
    assert head_links(december) == {"prev": [], "next": ["/briefings/archive/2024/11/"]}


# Tags and home


def test_tag_pages_are_paginated_with_rel_prev_and_next(out):
    first = parse(out, "tags/ukraine/index.html")  # page_size: 1, two briefings
    second = parse(out, "tags/ukraine/page/2/index.html")
    assert [text(a) for a in first.xpath("//ol[@class='briefing-list']//h2/a")] == [
        "Second briefing on grants"
    ]
    assert [text(a) for a in second.xpath("//ol[@class='briefing-list']//h2/a")] == [
        "First briefing on mines"
    ]
    assert head_links(first) == {"prev": [], "next": ["/briefings/tags/ukraine/page/2/"]}
    assert head_links(second) == {"prev": ["/briefings/tags/ukraine/"], "next": []}
    assert first.xpath("//nav[@class='pagination']/a[@rel='next']/@href") == [
        "/briefings/tags/ukraine/page/2/"
    ]
    assert "2 briefings" in text(second.xpath("//p[@class='lede']")[0])
    assert second.xpath("//title")[0].text.startswith("Tag: Ukraine, page 2")
    assert not (out / "tags/ukraine/page/3").exists()


def test_home_pagination_has_rel_prev_and_next_in_the_head(out):
    assert head_links(parse(out, "index.html")) == {"prev": [], "next": ["/briefings/page/2/"]}
    second = parse(out, "page/2/index.html")
    assert head_links(second) == {"prev": ["/briefings/"], "next": ["/briefings/page/3/"]}
    assert second.xpath("//nav[@class='pagination']/a/@rel") == ["prev", "next"]


# Links and the sitemap


def test_the_old_urls_and_their_anchors_still_work(out):
    overview = parse(out, "timeline/index.html")
    for anchor in ("y-2024", "m-2024-11", "m-2025"):
        assert overview.get_element_by_id(anchor) is not None, anchor
    archive = parse(out, "archive/index.html")
    assert archive.get_element_by_id("m-2024-11") is not None
    for rel in ("tags/ukraine/index.html", "tags/landmines/timeline/index.html"):
        assert (out / rel).is_file(), rel


def test_the_sitemap_lists_the_new_pages(out):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(out / "sitemap.xml").getroot()
    locs = {
        loc.text.removeprefix("https://example.org/briefings/")
        for loc in root.findall(".//s:loc", ns)
    }
    for path in (
        "timeline/",
        "timeline/2024/",
        "timeline/2024/03/",
        "timeline/2024/03/page/2/",
        "timeline/2025/",
        "archive/2024/12/",
        "tags/ukraine/page/2/",
        "tags/crowded/timeline/page/2/",
    ):
        assert path in locs, path
    html = {
        p.relative_to(out).as_posix().removesuffix("index.html")
        for p in out.rglob("*.html")
        if p.relative_to(out).parts[0] != "pagefind"
    }
    assert html - locs == {"404.html", "search/"}


# At scale: 1,000 generated briefings (shared with tests/test_page_sizes.py)


@pytest.mark.slow
def test_at_1000_briefings_every_event_and_briefing_is_on_exactly_one_page(corpus_site):
    site, _ = load_site(corpus_site.parent / "project", BuildOptions())
    seen: list[str] = []
    for path in sorted((corpus_site / "timeline").glob("*/**/index.html")):
        seen += event_ids(lxml.html.parse(str(path)).getroot())
    assert sorted(seen) == sorted(e.id for e in site.events)
    listed: list[str] = []
    for path in sorted((corpus_site / "archive").glob("*/*/**/index.html")):
        doc = lxml.html.parse(str(path)).getroot()
        listed += doc.xpath("//ol[@class='briefing-list']//h2/a/@href")
    assert sorted(listed) == sorted(f"/dossier/{b.url_path}" for b in site.briefings)
    overview = parse(corpus_site, "timeline/index.html")
    years = {int(text(a)) for a in overview.xpath("//section[@class='timeline-year']/h3/a")}
    assert years == {e.event.date.year for e in site.events}
