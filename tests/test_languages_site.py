"""A site in several languages: the shipped site in English and Ukrainian, built as a desk
builds it, and read back by lxml, feedparser and a real browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
from conftest import cold_build, run_cli, site_files
from page_site import FEATURES_SLUG, build_site

SLUG = "us-antipersonnel-mines-ukraine"
EN, UK = f"briefings/{SLUG}/index.html", f"uk/briefings/{SLUG}/index.html"
BASE = "https://example.org/dossier/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("languages"))


def page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / rel).read_bytes())


def alternates(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in doc.xpath("//link[@hreflang]")}


def local_links(doc: lxml.html.HtmlElement) -> list[str]:
    """The page's own links (the switcher and hreflang name other languages on purpose)."""
    found = doc.xpath("//a[not(@hreflang)]/@href|//link[not(@hreflang)]/@href|//script/@src")
    return [h for h in found if h.startswith("/")]


def test_a_ukrainian_page_says_it_is_ukrainian_and_formats_money_and_dates_in_ukrainian(site):
    doc = page(site, UK)
    assert doc.get("lang") == "uk"
    text = doc.text_content()
    assert "США дозволили Україні" in text
    assert "листопада 2024" in text  # Babel's Ukrainian date, genitive month
    assert re.search(r"275\s+мільйонів", text), "Babel's Ukrainian compact money"
    assert doc.xpath('//meta[@property="og:locale"]/@content') == ["uk_UA"]
    english = page(site, EN)
    assert english.get("lang") == "en"
    assert "21 November 2024" in english.text_content()


def test_a_briefing_and_its_translation_link_each_other_with_hreflang(site):
    en, uk = alternates(page(site, EN)), alternates(page(site, UK))
    want = {
        "en": f"{BASE}briefings/{SLUG}/",
        "uk": f"{BASE}uk/briefings/{SLUG}/",
        "x-default": f"{BASE}briefings/{SLUG}/",
    }
    assert en == want
    assert uk == want
    # and the switcher of each goes to the other
    assert page(site, EN).xpath('//nav[@class="languages"]//a/@href') == [
        f"/dossier/uk/briefings/{SLUG}/"
    ]
    assert page(site, UK).xpath('//nav[@class="languages"]//a/@href') == [
        f"/dossier/briefings/{SLUG}/"
    ]


@pytest.mark.parametrize(
    "view",
    ["", "timeline/", "aid/", "sources/", "quotes/", "tags/", "archive/", "search/", "entities/"],
)
def test_every_view_exists_in_each_language_and_links_its_versions(site, view):
    uk = page(site, f"uk/{view}index.html")
    en = page(site, f"{view}index.html")
    assert uk.get("lang") == "uk" and en.get("lang") == "en"
    assert alternates(uk)["en"] == BASE + view
    assert alternates(en)["uk"] == BASE + "uk/" + view
    for href in local_links(uk):  # a Ukrainian page's links: its language's views, shared files
        path = href.removeprefix("/dossier/").split("#")[0].split("?")[0]
        target = site / path / "index.html" if path.endswith("/") or not path else site / path
        assert target.is_file(), href
        if path.startswith(("static/", "pagefind/", "briefings/")) or "." in path.split("/")[0]:
            continue  # one for the whole site (an English briefing stays English)
        assert path.startswith("uk/"), f"{view}: {href} leaves the Ukrainian site"


def test_each_language_has_its_own_home_and_feeds_listing_its_own_briefings(site):
    uk_home = page(site, "uk/index.html").text_content()
    en_home = page(site, "index.html").text_content()
    assert "США дозволили Україні" in uk_home
    assert "US lets Ukraine use American antipersonnel mines" not in uk_home
    assert "США дозволили" not in en_home
    uk_feed = feedparser.parse((site / "uk/feed.xml").read_bytes())
    en_feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not uk_feed.bozo and not en_feed.bozo
    assert uk_feed.feed.language == "uk" and en_feed.feed.language == "en"
    assert [e.link for e in uk_feed.entries] == [f"{BASE}uk/briefings/{SLUG}/"]
    assert all("/uk/" not in e.link for e in en_feed.entries) and en_feed.entries
    assert uk_feed.feed.links[0].href.startswith(BASE + "uk/")
    tag_feed = feedparser.parse((site / "uk/tags/landmines/feed.xml").read_bytes())
    assert [e.link for e in tag_feed.entries] == [f"{BASE}uk/briefings/{SLUG}/"]
    json_feed = json.loads((site / "uk/feed.json").read_text())
    assert json_feed["language"] == "uk" and json_feed["home_page_url"] == BASE + "uk/"


def test_the_sitemap_lists_every_version_of_each_page(site):
    tree = lxml.etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        u.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", ns)
        }
        for u in tree.findall("s:url", ns)
    }
    en, uk = f"{BASE}briefings/{SLUG}/", f"{BASE}uk/briefings/{SLUG}/"
    assert entries[en] == entries[uk] == {"en": en, "uk": uk}
    assert entries[BASE + "uk/aid/"] == {"en": BASE + "aid/", "uk": BASE + "uk/aid/"}
    assert f"{BASE}uk/search/" not in entries and f"{BASE}uk/404.html" not in entries


def test_the_totals_are_the_same_with_and_without_the_translation(site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(site.parent / "project", project)
    (project / "content/briefings" / f"{SLUG}.uk.md").unlink()
    alone = tmp_path / "alone"
    result = run_cli("build", "--output", alone, cwd=project)
    assert result.returncode == 0, result.stderr
    for export in ("aid.json", "aid.csv", "events.csv", "quotes.csv"):
        assert (alone / export).read_bytes() == (site / export).read_bytes(), export

    def main_text(root: Path, rel: str) -> str:
        return " ".join(page(root, rel).xpath("//main")[0].text_content().split())

    for view in ("aid/index.html", "aid/donors/united-states/index.html", "index.html"):
        assert main_text(alone, view) == main_text(site, view), view
    # the Ukrainian aid page counts the same facts: the seed's and the features briefing's
    # $275 million pledged (Babel: "550 000 000 USD"), not the translation's a third time
    uk_aid = " ".join(page(site, "uk/aid/index.html").xpath("//main")[0].text_content().split())
    assert re.search(r"550\s000\s000\sUSD", uk_aid), uk_aid[:600]
    assert not re.search(r"825\s000\s000", uk_aid)


def test_the_ukrainian_record_shows_the_translated_words_of_each_fact(site):
    month = page(site, "uk/timeline/2024/11/index.html")
    text = month.text_content()
    assert "Ллойд Остін оголошує" in text  # the translation's label of the same event
    links = month.xpath("//a/@href")
    assert f"/dossier/uk/briefings/{SLUG}/#event-announcement" in links
    english = page(site, "timeline/2024/11/index.html").text_content()
    assert "Lloyd Austin announces" in english and "Остін" not in english


def test_a_language_with_no_translation_of_a_briefing_shows_the_original_in_its_record(site):
    """The features briefing (tests/page_site.py) has no Ukrainian version: the Ukrainian
    timeline still holds its events, linked to the English page."""
    hrefs = {
        h.split("#")[0]
        for p in (site / "uk/timeline").rglob("index.html")
        for h in page(site, p.relative_to(site).as_posix()).xpath("//a/@href")
    }
    assert f"/dossier/briefings/{FEATURES_SLUG}/" in hrefs
    assert f"/dossier/uk/briefings/{FEATURES_SLUG}/" not in hrefs
    assert f"/dossier/uk/briefings/{SLUG}/" in hrefs and f"/dossier/briefings/{SLUG}/" not in hrefs


def test_an_edit_to_a_translation_rebuilds_as_a_cold_build_would(site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(site.parent / "project", project)
    out = tmp_path / "out"
    assert run_cli("build", "--output", out, cwd=project).returncode == 0
    source = project / "content/briefings" / f"{SLUG}.uk.md"
    source.write_text(source.read_text().replace("## Пакет", "## Пакет допомоги"))
    result = run_cli("build", "--output", out, cwd=project)
    assert result.returncode == 0, result.stderr
    built = site_files(out)
    assert "Пакет допомоги" in built[UK].decode()
    assert built == cold_build(project, tmp_path / "cold")


def test_a_site_of_one_language_has_no_language_folders_or_alternates(shipped_project, tmp_path):
    settings = shipped_project / "site.yaml"
    settings.write_text(re.sub(r"(?m)^languages:.*\n", "", settings.read_text()))
    (shipped_project / "content/briefings" / f"{SLUG}.uk.md").unlink()
    out = tmp_path / "out"
    result = run_cli("build", "--output", out, cwd=shipped_project)
    assert result.returncode == 0, result.stderr
    assert not (out / "uk").exists()
    doc = page(out, EN)
    assert alternates(doc) == {} and not doc.xpath('//nav[@class="languages"]')
    assert b"xhtml:link" not in (out / "sitemap.xml").read_bytes()


@pytest.mark.browser
def test_search_on_a_ukrainian_page_finds_ukrainian_briefings_only(site, serve_site, browser):
    base = serve_site(site, "/dossier/")
    context = browser.new_context()
    try:
        tab = context.new_page()
        found = {}
        for rel, query in (("uk/search/", "міни"), ("search/", "mines")):
            tab.goto(f"{base}{rel}?q={query}")
            tab.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            links = tab.eval_on_selector_all(
                ".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"
            )
            found[rel] = sorted({h.split("#")[0] for h in links})  # pages, not their sections
        assert found["uk/search/"] == [f"/dossier/uk/briefings/{SLUG}/"], found
        assert found["search/"] and all("/uk/" not in h for h in found["search/"]), found
    finally:
        context.close()
