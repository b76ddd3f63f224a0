"""A briefing page, read back as HTML: key facts, numbered references with back-links,
tags, dates, footnotes as margin notes, and a page that stays light and self-contained."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from conftest import BRIEFING, run_cli
from page_site import FEATURES_SLUG, SEED_SLUG, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("markup"))


def page_of(site: Path, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / "briefings" / slug / "index.html").read_bytes())


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def test_references_are_numbered_in_order_of_first_citation(site: Path) -> None:
    doc = page_of(site, FEATURES_SLUG)
    # The body cites "second" first although the front matter lists "report" first.
    assert [li.get("id") for li in doc.xpath("//ol[@class='cited']/li")] == [
        "ref-second",
        "ref-report",
    ]
    assert [li.get("value") for li in doc.xpath("//ol[@class='cited']/li")] == ["1", "2"]
    assert texts(doc, "//div[@class='body']//a[@class='citation']")[:3] == [
        "[1]",
        "[2]",
        "[2, p. 2]",
    ]


def test_each_reference_links_back_to_every_citation_of_it(site: Path) -> None:
    doc = page_of(site, FEATURES_SLUG)
    for li in doc.xpath("//ol[@class='cited']/li"):
        key = li.get("id").removeprefix("ref-")
        cited_at = doc.xpath(f"//a[@class='citation'][@href='#ref-{key}'][@id]/@id")
        backs = [h.removeprefix("#") for h in li.xpath(".//span[@class='backrefs']/a/@href")]
        assert backs == cited_at and len(backs) >= 2, key
        assert all(doc.xpath(f'//*[@id="{b}"]') for b in backs)


def test_uncited_sources_follow_the_numbered_ones(site: Path) -> None:
    doc = page_of(site, FEATURES_SLUG)
    assert [li.get("id") for li in doc.xpath("//ul[@class='uncited']/li")] == ["ref-unused"]
    assert texts(doc, "//section[@class='references']/h3") == ["Also consulted"]
    refs = doc.xpath("//section[@class='references']")[0]
    assert "https://example.org/background" in refs.text_content()


def test_sources_show_their_full_url_as_link_text(site: Path) -> None:
    doc = page_of(site, SEED_SLUG)
    for a in doc.xpath("//section[@class='references']//a[@class='url']"):
        assert a.text_content() == a.get("href") and a.get("href").startswith("https://")


def test_key_facts_list_dates_amounts_and_sources(site: Path) -> None:
    doc = page_of(site, SEED_SLUG)
    panel = doc.xpath("//aside[@class='keyfacts']")[0]
    text = " ".join(panel.text_content().split())
    for expected in ("19 November 2024", "20 January 2025", "$275 million", "3 sources"):
        assert expected in text
    assert texts(panel, ".//dt") == ["Dates", "Amounts", "Sources", "Published"]
    for href in panel.xpath(".//a/@href"):
        if href.startswith("#"):  # a fact on this page
            assert doc.xpath(f'//*[@id="{href.removeprefix("#")}"]'), href
        else:  # a donor or recipient: its entity's page
            assert href.startswith("/dossier/entities/"), href
            assert (site / href.removeprefix("/dossier/") / "index.html").is_file(), href


def test_updated_date_is_shown_in_the_header_and_key_facts(site: Path) -> None:
    doc = page_of(site, FEATURES_SLUG)
    assert texts(doc, "//header//span[@class='updated']") == ["Updated 2 December 2024"]
    assert texts(doc, "//aside[@class='keyfacts']//div[@class='kf-updated']/dt") == ["Updated"]


def test_tags_show_their_names_and_link_to_their_tag_pages_under_the_base_path(
    site: Path,
) -> None:
    doc = page_of(site, FEATURES_SLUG)
    links = doc.xpath("//ul[@class='tags']//a")
    assert [(a.text_content(), a.get("href"), a.get("rel")) for a in links] == [
        ("Ukraine", "/dossier/tags/ukraine/", "tag"),  # the entity's name, not the slug
        ("Military aid", "/dossier/tags/military-aid/", "tag"),
    ]


def test_a_footnote_is_copied_beside_its_reference_as_a_margin_note(site: Path) -> None:
    doc = page_of(site, FEATURES_SLUG)
    ref = doc.xpath("//a[@class='footnote-ref']")[0]
    note = doc.xpath(f'//*[@id="{ref.get("aria-describedby")}"]')[0]
    assert note.get("class") == "card sidenote"
    assert note.getparent() is ref.getparent().getparent()  # span.annotated > sup > a
    text = " ".join(note.text_content().split())
    assert text.startswith("1 The date is the announcement") and "[2]" in text
    assert "↩" not in text  # the back-link stays in the list at the end
    assert doc.xpath("//div[@class='footnote']//li[@id='fn:why']")


def test_no_id_appears_twice_on_any_page(site: Path) -> None:
    for page in site.rglob("*.html"):
        ids = Counter(lxml.html.fromstring(page.read_bytes()).xpath("//@id"))
        assert [i for i, n in ids.items() if n > 1] == [], page


def test_pages_load_no_blocking_script_no_web_font_and_nothing_from_another_host(
    site: Path,
) -> None:
    css = (site / "static" / "css" / "dossier.css").read_text()
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    for page in site.rglob("*.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        for script in doc.xpath("//script"):
            if script.get("type") != "application/ld+json":  # data, never run
                # Code comes from this site and never blocks rendering.
                assert script.get("src") and script.get("defer") is not None, page
        loaded = doc.xpath(
            "//link[@rel='stylesheet']/@href | //img/@src | //iframe/@src | //script/@src"
        )
        assert all(src.startswith("/dossier/") for src in loaded), loaded


def test_seed_briefing_page_weighs_under_56_kb_of_html_and_css(site: Path) -> None:
    # 40 KB until issue 14's design, then the split views and charts (menu, home, search,
    # tables, pagination, charts: one cached stylesheet for every page, about 8 KB
    # gzipped); docs/design.md
    html = (site / "briefings" / SEED_SLUG / "index.html").stat().st_size
    css = (site / "static" / "css" / "dossier.css").stat().st_size
    assert html + css < 56_000, (html, css)


def test_every_page_has_a_meta_description_even_without_one_in_site_yaml(
    make_project, tmp_path
) -> None:
    """Search engines show it, and Lighthouse's SEO audit fails a page without one."""
    project = make_project({"content/briefings/a.md": BRIEFING})
    assert "description" not in (project / "site.yaml").read_text()
    site = tmp_path / "out"
    assert run_cli("build", "--output", site, cwd=project).returncode == 0
    missing = []
    for path in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        content = doc.xpath("string(//meta[@name='description']/@content)").strip()
        if not content:
            missing.append(path.relative_to(site).as_posix())
    assert missing == []
