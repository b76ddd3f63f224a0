"""Unsafe content end to end: real builds, every output read back by a real parser.

Raw HTML is escaped unless site.yaml allows it, dangerous URL schemes fail the build
with file:line, and a title written to close a <script> stays text in every output:
the pages, their JSON-LD, the feeds, the data exports, the sitemap and the search index.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
import pytest
from conftest import BRIEFING, ROOT, SITE_YAML, run_cli, write_project
from lxml import etree
from lxml import html as lxml_html

from dossier.briefing import tag_slug
from dossier.markdown.safety import unsafe_scheme

X = "</script><script>alert(1)</script>"
TITLE = f"Evil {X}"
SUMMARY = f"Summary {X}<img src=x onerror=alert(2)>"
IMG = "<img src=x onerror=alert(2)>"
TAG = f"tag{X}{IMG}"
DONOR = f'=HYPERLINK("https://evil.example/","x") {X}{IMG}'
LABEL = f"Event {X}"
PLACE = f"Place {X}"
QUOTE = f"Quote {X}"
SOURCE_TITLE = f"Source {X}"

HOSTILE = f"""\
---
title: {json.dumps(TITLE)}
date: 2024-11-21
summary: {json.dumps(SUMMARY)}
tags: [{json.dumps(TAG)}]
sources:
  - id: report
    title: {json.dumps(SOURCE_TITLE)}
    publisher: "Wire {X}"
    url: "https://example.org/report"
    kind: media
events:
  - id: announcement
    date: 2024-11-20
    label: {json.dumps(LABEL)}
    place: {json.dumps(PLACE)}
    sources: [report]
aid:
  - id: pkg
    amount: 275000000
    currency: USD
    donor: {json.dumps(DONOR)}
    recipient: "+Ukraine"
    package: "-pkg"
    items: ["@item", "=1+1"]
    date: 2024-11-20
    kind: military
    status: pledged
    sources: [report]
quotes:
  - who: "Who {X}"
    role: "Role"
    text: {json.dumps(QUOTE)}
    source: report
---
Zanzibarite body {X} and <img src=x onerror=alert(3)> [@report].

## Heading {X}{IMG}

More zanzibarite text.
"""
TAG_FEED = f"tags/{tag_slug(TAG)}/feed.xml"

ALLOWED_SCRIPT_SRC = re.compile(r"^/briefings/(static/js|pagefind)/[\w.-]+\.js$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = write_project(
        tmp_path_factory.mktemp("unsafe"),
        {"site.yaml": SITE_YAML, "content/briefings/evil.md": HOSTILE},
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "_site"


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# Raw HTML and dangerous links in bodies ------------------------------------------------


def test_raw_html_is_escaped_by_default_and_passes_when_allowed(make_project):
    body = '<div class="box">Boxed</div>\n\nA <b>bold</b> word.'
    files = {"content/briefings/raw.md": BRIEFING.replace("Body text [@report].", body)}
    project = make_project(files)
    assert run_cli("build", cwd=project).returncode == 0
    article = lxml_html.parse(project / "_site/briefings/raw/index.html").find(".//article")
    assert article.find(".//div[@class='box']") is None and article.find(".//b") is None
    shown = article.text_content()  # smart quotes may curl the attribute's quotes
    assert "<div class=" in shown and "Boxed</div>" in shown and "<b>bold</b>" in shown

    project = make_project(files, site_yaml=SITE_YAML + "allow_raw_html: true\n")
    assert run_cli("build", cwd=project).returncode == 0
    article = lxml_html.parse(project / "_site/briefings/raw/index.html").find(".//article")
    assert article.find(".//div[@class='box']").text == "Boxed"
    assert article.find(".//b").text == "bold"


HOSTILE_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "java&#9;script:alert(1)",
    "<java\nscript:alert(1)>",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:text/html,x",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
]


@pytest.mark.parametrize("allow_raw_html", [False, True])
def test_hostile_links_in_a_body_fail_the_build_with_file_and_line(make_project, allow_raw_html):
    """One file, one hostile link per paragraph: every one is reported on its own line."""
    body = "\n\n".join(f"Link [here]({url})." for url in HOSTILE_HREFS)
    if allow_raw_html:
        body += '\n\n<a href="JaVa&#x53;cript:alert(1)">raw</a>'
    text = BRIEFING.replace("Body text [@report].", body)
    site_yaml = SITE_YAML + ("allow_raw_html: true\n" if allow_raw_html else "")
    project = make_project({"content/briefings/links.md": text}, site_yaml=site_yaml)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = text.splitlines()
    expected = [n for n, line in enumerate(lines, 1) if "](" in line or "<java" in line]
    if allow_raw_html:
        expected.append(len(lines))
    reported = [
        int(m)
        for m in re.findall(r"^content/briefings/links\.md:(\d+): body: ", result.stderr, re.M)
    ]
    assert reported == expected
    for scheme in ("javascript:", "data:", "vbscript:"):
        assert f"{scheme} URLs are not allowed in" in result.stderr
    assert not (project / "_site").exists()


def test_a_javascript_source_url_fails_the_build(make_project):
    text = BRIEFING.replace('"https://example.org/report"', '" JaVa\\tScript:alert(1)"')
    project = make_project({"content/briefings/src.md": text})
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "content/briefings/src.md:10: sources[0].url: 'JaVa\\tScript:alert(1)' is not an http(s) URL"
        in result.stderr
    )


# A title that tries to close a script, in every output ----------------------------------


def test_no_page_has_a_script_or_handler_the_templates_did_not_write(site):
    pages = html_pages(site)
    assert len(pages) > 10
    for page in pages:
        raw = page.read_text()
        assert "<script>alert" not in raw.lower() and "<img src=x" not in raw, page
        doc = lxml_html.fromstring(raw)
        for script in doc.iter("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.text)
            else:
                assert ALLOWED_SCRIPT_SRC.match(script.get("src", "")), (page, script.attrib)
                assert not (script.text or "").strip()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [a for a in el.attrib if a.lower().startswith("on")], (page, el.attrib)
            for attr in ("href", "src", "action", "formaction"):
                if el.get(attr) is not None:
                    assert unsafe_scheme(el.get(attr)) is None, (page, el.get(attr))


def test_hostile_text_shows_as_text_where_it_belongs(site):
    def text(rel: str) -> str:
        return lxml_html.parse(site / rel).getroot().text_content()

    page = lxml_html.parse(site / "briefings/evil/index.html").getroot()
    assert page.find(".//h1").text_content() == TITLE
    assert page.find(".//title").text.startswith(TITLE)
    assert "Zanzibarite body " + X + " and <img src=x onerror=alert(3)>" in page.text_content()
    assert QUOTE in "".join(
        text(p.relative_to(site).as_posix()) for p in site.glob("quotes/*/index.html")
    )
    assert DONOR in text("aid/index.html")
    assert TAG in text("tags/index.html")
    assert LABEL in text("timeline/index.html")


def test_json_ld_cannot_be_closed_and_round_trips_exactly(site):
    for page in html_pages(site):
        for script in lxml_html.parse(page).getroot().iter("script"):
            if script.get("type") == "application/ld+json":
                assert "</" not in script.text
    [script] = [
        s
        for s in lxml_html.parse(site / "briefings/evil/index.html").getroot().iter("script")
        if s.get("type") == "application/ld+json"
    ]
    data = json.loads(script.text)
    assert data["headline"] == TITLE
    assert data["description"] == SUMMARY
    assert data["keywords"] == [TAG]
    assert data["citation"][0]["name"] == SOURCE_TITLE
    names = {m["@type"]: m for m in data["mentions"]}
    assert names["Event"]["name"] == LABEL and names["Event"]["location"]["name"] == PLACE
    assert names["MonetaryGrant"]["funder"]["name"] == DONOR


@pytest.mark.parametrize("rel", ["feed.xml", TAG_FEED])
def test_atom_feeds_carry_the_title_as_text(site, rel):
    feed = feedparser.parse((site / rel).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    [entry] = feed.entries
    assert entry.title == TITLE
    assert entry.title_detail.type == "text/plain"
    assert entry.summary == SUMMARY
    assert [t.term for t in entry.tags] == [TAG]
    content = entry.content[0].value
    assert "<script" not in content.lower() and "<img" not in content
    assert X in html.unescape(re.sub(r"<[^>]+>", "", content))


def test_json_feed_round_trips_the_text(site):
    [item] = json.loads((site / "feed.json").read_text())["items"]
    assert (item["title"], item["summary"], item["tags"]) == (TITLE, SUMMARY, [TAG])
    assert "<script" not in item["content_html"].lower() and "<img" not in item["content_html"]


def test_aid_csv_neutralises_formulas_and_aid_json_keeps_exact_values(site):
    [row] = list(csv.DictReader(io.StringIO((site / "aid.csv").read_text())))
    assert row["donor"] == "'" + DONOR
    assert (row["recipient"], row["package"], row["items"]) == (
        "'+Ukraine",
        "'-pkg",
        "'@item; =1+1",
    )
    assert row["amount"] == "275000000" and row["id"] == "pkg"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    [record] = json.loads((site / "aid.json").read_text())["aid"]
    assert (record["donor"], record["recipient"], record["package"]) == (DONOR, "+Ukraine", "-pkg")
    assert record["items"] == ["@item", "=1+1"]


def test_calendar_and_timelinejs_keep_the_text_and_escape_the_html(site):
    calendar = icalendar.Calendar.from_ical((site / "timeline.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == LABEL and str(event["LOCATION"]) == PLACE
    [slide] = json.loads((site / "timeline.json").read_text())["events"]
    for fragment in (slide["text"]["headline"], slide["text"]["text"]):
        assert "<script" not in fragment.lower()  # TimelineJS renders these as HTML
    assert html.unescape(slide["text"]["headline"]) == LABEL
    assert PLACE in html.unescape(slide["text"]["text"]) and TITLE in html.unescape(
        slide["text"]["text"]
    )


def test_sitemap_lists_only_clean_urls(site):
    doc = etree.parse(str(site / "sitemap.xml"))
    locs = doc.findall(".//{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    assert locs
    for loc in locs:
        url = urlsplit(loc.text)
        assert url.scheme == "https" and url.netloc == "example.org", loc.text
        assert re.fullmatch(r"/[A-Za-z0-9/._~-]*", url.path), loc.text
    tag_page = "https://example.org/briefings/" + TAG_FEED.removesuffix("feed.xml")
    assert tag_page in [loc.text for loc in locs]


@pytest.mark.browser
def test_the_search_index_and_its_ui_show_hostile_text_as_text(site, browser, serve_site):
    """Titles, excerpts, sub-results and the tag and donor filter labels of Pagefind's UI."""
    base = serve_site(site, "/briefings/")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(base + "search/?q=zanzibarite")
        link = page.locator(".pagefind-ui__result-link").first
        link.wait_for(timeout=10_000)
        assert link.inner_text() == TITLE
        page.locator(".pagefind-ui__filter-label").first.wait_for(state="attached")
        ui = page.evaluate(
            """() => ({
                excerpts: [...document.querySelectorAll(".pagefind-ui__result-excerpt")]
                    .map((e) => e.innerHTML),
                titles: [...document.querySelectorAll(".pagefind-ui__result-link")]
                    .map((e) => e.textContent),
                labels: [...document.querySelectorAll(".pagefind-ui__filter-label")]
                    .map((e) => e.textContent),
                live: document.querySelectorAll(
                    "#search script, #search img, #search iframe, #search [onerror]").length,
            })"""
        )
        assert len(ui["excerpts"]) >= 2 and len(ui["titles"]) >= 2  # the sub-result too
        for excerpt in ui["excerpts"]:
            assert set(re.findall(r"</?\s*([a-zA-Z][\w-]*)", excerpt)) <= {"mark"}, excerpt
        assert f"Heading {X}{IMG}" in ui["titles"]
        assert any(label.startswith(TAG + " (") for label in ui["labels"]), ui["labels"]
        assert any(label.startswith(DONOR + " (") for label in ui["labels"]), ui["labels"]
        assert ui["live"] == 0
        [hit] = page.evaluate(
            """async () => {
                const pf = await import("/briefings/pagefind/pagefind.js");
                const found = await pf.search("zanzibarite");
                return Promise.all(found.results.map((r) => r.data()));
            }"""
        )
        assert hit["meta"]["title"] == TITLE  # plain text, for a UI to escape
        assert set(re.findall(r"</?\s*([a-zA-Z][\w-]*)", hit["excerpt"])) <= {"mark"}
        page.wait_for_timeout(300)  # an onerror would fire once the bad image fails to load
        assert dialogs == []
    finally:
        page.close()


# Imported text is never trusted ---------------------------------------------------------


def test_a_hostile_imported_article_builds_to_a_page_with_no_script(make_project, tmp_path):
    article = tmp_path / "article.html"
    article.write_text(
        "<html><head><title>Aid &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"
        "<script>alert('head')</script></head><body><article>"
        "<h1>Aid </script><script>alert(1)</script> news</h1>"
        "<p>On 3 March 2024 the <b onmouseover=alert(1)>government</b> pledged $5 million "
        "<img src=x onerror=alert(1)> [link](javascript:alert(1)) &lt;script&gt;alert(2)&lt;/script&gt; "
        "[fake]{.aid ref=pkg} [@evil] `code` for Ukraine.</p>"
        '<p><a href="javascript:alert(1)">click</a> <iframe src="javascript:alert(1)"></iframe></p>'
        "</article></body></html>"
    )
    project = make_project({})
    imported = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "import", str(article), "--slug", "hostile",
         "--date", "2024-03-04", "--url", "https://example.org/a", "--publisher", "Wire"],
        cwd=project, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    result = run_cli("build", "--drafts", cwd=project)
    assert result.returncode == 0, result.stderr
    for page in html_pages(project / "_site"):
        raw = page.read_text().lower()
        assert "onerror" not in raw and "onmouseover" not in raw and "<iframe" not in raw, page
        doc = lxml_html.fromstring(page.read_text())
        for script in doc.iter("script"):
            assert script.get("type") == "application/ld+json" or script.get("src"), page
            assert "alert" not in (script.get("src") or "")
        assert not [
            a
            for el in doc.iter()
            if isinstance(el.tag, str)
            for a in el.attrib
            if a.startswith("on")
        ]
    body = lxml_html.parse(project / "_site/briefings/hostile/index.html").find(".//article")
    assert body.find(".//img") is None and body.find(".//b") is None
    assert not [a for a in body.iter("a") if unsafe_scheme(a.get("href", "")) is not None]
