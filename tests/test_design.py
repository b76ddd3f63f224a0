"""The design (issue 14): a favicon under the base path, social tags with a share card per
briefing, a header that fits a phone, pages no wider than a phone, margin notes beside
their anchors, tags by their names, key facts in one screen."""

from __future__ import annotations

import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from conftest import cold_build, run_cli, site_files, write_project
from page_site import FEATURES_SLUG, SEED_SLUG, build_site
from PIL import Image

from dossier.build import BuildOptions
from dossier.build import build_site as build_in_process
from dossier.formatting import og_locale
from dossier.views import sharecards

BASE = "/dossier/"  # the shipped site.yaml's base path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("design"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def meta(doc: lxml.html.HtmlElement, key: str) -> str | None:
    found = doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return found[0] if found else None


def test_every_page_links_the_favicon_under_the_base_path_and_it_is_served_there(
    site: Path, serve_site
) -> None:
    base = serve_site(site, BASE)
    icons: set[str] = set()
    for page in html_pages(site):
        doc = lxml.html.fromstring(page.read_bytes())
        hrefs = doc.xpath("//link[@rel='icon' or @rel='apple-touch-icon']/@href")
        assert len(hrefs) == 3, page
        assert all(h.startswith(BASE + "static/img/") for h in hrefs), (page, hrefs)
        assert doc.xpath("//link[@rel='icon'][@type='image/svg+xml']"), page
        icons.update(hrefs)
    origin = base[: -len(BASE)]
    for href in sorted(icons):
        with urllib.request.urlopen(origin + href) as response:
            assert response.status == 200
            body = response.read()
        assert body.startswith(b"\x89PNG") or b"<svg" in body[:200], href


def test_og_locale_is_language_and_territory() -> None:
    assert og_locale("en") == "en_US"
    assert og_locale("en-GB") == "en_GB"
    assert og_locale("uk") == "uk_UA"
    assert og_locale("fr") == "fr_FR"


def test_every_page_has_og_locale_in_en_us_form_and_a_large_twitter_card(site: Path) -> None:
    for page in html_pages(site):
        doc = lxml.html.fromstring(page.read_bytes())
        language = "uk" if page.relative_to(site).parts[0] == "uk" else "en"
        assert meta(doc, "og:locale") == {"en": "en_US", "uk": "uk_UA"}[language], page
        assert meta(doc, "twitter:card") == "summary_large_image", page
        assert meta(doc, "og:image:alt"), page


def image_of(site: Path, url: str) -> Image.Image:
    path = urlsplit(url).path
    assert path.startswith(BASE), url
    return Image.open(BytesIO((site / path[len(BASE) :]).read_bytes()))


@pytest.mark.parametrize("slug", [SEED_SLUG, FEATURES_SLUG])
def test_a_briefing_shares_its_own_1200x630_png_card(site: Path, slug: str) -> None:
    doc = lxml.html.fromstring((site / "briefings" / slug / "index.html").read_bytes())
    url = meta(doc, "og:image")
    assert url and url.startswith("https://example.org/dossier/briefings/" + slug + "/"), url
    assert (meta(doc, "og:image:width"), meta(doc, "og:image:height")) == ("1200", "630")
    with image_of(site, url) as card:
        assert card.format == "PNG" and card.size == (1200, 630)
        assert len(card.convert("RGB").getcolors(65536) or []) > 8  # drawn text, not a blank


def test_the_home_page_shares_the_sites_card(site: Path) -> None:
    doc = lxml.html.fromstring((site / "index.html").read_bytes())
    assert meta(doc, "og:type") == "website"
    with image_of(site, meta(doc, "og:image")) as card:
        assert card.size == (1200, 630)


def test_two_briefings_get_two_different_cards(site: Path) -> None:
    a = (site / "briefings" / SEED_SLUG / "card.png").read_bytes()
    b = (site / "briefings" / FEATURES_SLUG / "card.png").read_bytes()
    assert a != b


def test_a_machine_with_no_fonts_still_draws_legible_cards_with_pillows_own_font(
    monkeypatch,
) -> None:
    monkeypatch.setattr(sharecards, "FONT_DIRS", ())
    sharecards._fonts.cache_clear()
    try:
        png = sharecards.draw(sharecards.ShareCard("Site", "Kyiv’s “new” plan – é", "1 May"))
    finally:
        sharecards._fonts.cache_clear()
    with Image.open(BytesIO(png)) as card:
        assert card.size == (1200, 630)
        assert len(card.convert("RGB").getcolors(65536) or []) > 8


# Share cards and the incremental build ----------------------------------------------------

SITE = """\
title: Card Desk
base_url: https://example.org/cards/
language: en
date_format: d MMMM y
"""


def briefing(n: int, title: str, body: str = "Body.") -> str:
    return f'---\ntitle: "{title}"\ndate: 2024-05-{n:02d}\nsummary: "S {n}."\n---\n{body}\n'


def test_share_cards_are_drawn_again_only_when_what_they_show_changes(
    tmp_path: Path, monkeypatch
) -> None:
    files = {f"content/briefings/b{n}.md": briefing(n, f"Briefing {n}") for n in range(1, 6)}
    project = write_project(tmp_path / "p", {"site.yaml": SITE, **files})
    drawn: list[str] = []
    real = sharecards.draw
    monkeypatch.setattr(sharecards, "draw", lambda card: drawn.append(card.title) or real(card))
    options = BuildOptions(output=project / "_site", jobs=1)

    build_in_process(project, options)
    assert sorted(drawn) == ["Briefing 1", "Briefing 2", "Briefing 3", "Briefing 4", "Briefing 5",
                             "Card Desk"]  # fmt: skip
    drawn.clear()
    (project / "content/briefings/b2.md").write_text(briefing(2, "Briefing 2", "A new body."))
    build_in_process(project, options)
    assert drawn == []  # a body edit changes no card
    (project / "content/briefings/b3.md").write_text(briefing(3, "A new title"))
    build_in_process(project, options)
    assert drawn == ["A new title"]
    assert site_files(project / "_site") == cold_build(project, tmp_path / "cold")


def test_a_rebuild_with_nothing_changed_keeps_every_card_file(tmp_path: Path) -> None:
    files = {f"content/briefings/b{n}.md": briefing(n, f"Briefing {n}") for n in range(1, 4)}
    project = write_project(tmp_path / "p", {"site.yaml": SITE, **files})
    assert run_cli("--project", project, "build", "--quiet").returncode == 0
    cards = sorted((project / "_site").rglob("card.png"))
    assert len(cards) == 4
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cards}
    assert run_cli("--project", project, "build", "--quiet").returncode == 0
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cards} == before


# In the browser -----------------------------------------------------------------------------

PAGES = {"home": "", "briefing": f"briefings/{SEED_SLUG}/", "search": "search/", "404": "404.html"}


@pytest.fixture
def open_page(site, serve_site, browser):
    base = serve_site(site, BASE)
    contexts = []

    def open_(path: str, width: int, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.goto(base + path)
        return page

    yield open_
    for c in contexts:
        c.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_is_wider_than_a_390_px_screen(open_page, name: str) -> None:
    for scheme in ("light", "dark"):
        page = open_page(PAGES[name], 390, scheme)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (name, scheme)


@pytest.mark.browser
def test_on_a_phone_the_header_is_one_row_with_the_navigation_in_a_closed_menu(open_page) -> None:
    page = open_page(PAGES["home"], 390)
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    assert not page.locator(".site-header nav[aria-label=Site]").is_visible()
    page.locator(".menu > summary").click()
    assert page.locator(".site-header nav a[href='/dossier/timeline/']").is_visible()
    assert page.locator(".site-search input").is_visible()


@pytest.mark.browser
def test_on_a_wide_screen_the_navigation_is_one_row_without_a_menu_button(open_page) -> None:
    page = open_page(PAGES["home"], 1400)
    assert not page.locator(".menu > summary").is_visible()
    links = page.locator(".site-header nav a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1 and links.count() >= 7
    assert page.locator(".site-header").bounding_box()["height"] <= 72


NOTES = """() => [...document.querySelectorAll('.body .card')].map(card => {
  const anchor = card.previousElementSibling || card.parentElement;
  const lh = parseFloat(getComputedStyle(card.closest('p, li') || card.parentElement).lineHeight);
  const r = card.getBoundingClientRect();
  return [r.top, r.bottom, anchor.getBoundingClientRect().top, lh]; })"""


@pytest.mark.browser
def test_margin_notes_sit_beside_their_anchors_on_a_wide_screen(open_page) -> None:
    notes = open_page(f"briefings/{SEED_SLUG}/", 1400).evaluate(NOTES)
    assert len(notes) >= 5
    for top, _, anchor, line in notes:
        assert abs(top - anchor) <= line + 2, (top, anchor, line)  # within a line, rounded


@pytest.mark.browser
def test_crowded_margin_notes_stack_tight_under_each_other(open_page) -> None:
    """Four notes anchored in two lines cannot all be beside them: each is then directly
    under the note before it, never further down."""
    notes = open_page(f"briefings/{FEATURES_SLUG}/", 1400).evaluate(NOTES)
    assert len(notes) == 5
    previous_bottom = None
    for top, bottom, anchor, line in notes:
        beside = abs(top - anchor) <= line + 2
        packed = previous_bottom is not None and 0 <= top - previous_bottom <= 12
        assert beside or packed, (top, anchor, previous_bottom)
        previous_bottom = bottom


@pytest.mark.browser
def test_key_facts_take_at_most_one_line_of_a_phone_screen_until_opened(open_page) -> None:
    page = open_page(f"briefings/{SEED_SLUG}/", 390)
    box = page.locator(".keyfacts").bounding_box()
    assert box["height"] <= 844 / 4
    assert "$275 million" in page.locator(".kf-line").inner_text()
    page.locator(".kf > summary").click()
    assert page.locator(".kf-amounts").is_visible()


@pytest.mark.browser
def test_key_facts_are_open_on_a_wide_screen(open_page) -> None:
    page = open_page(f"briefings/{SEED_SLUG}/", 1400)
    assert page.locator(".kf-dates").is_visible() and page.locator(".kf-amounts").is_visible()
    assert not page.locator(".kf-line").is_visible()


@pytest.mark.browser
def test_the_search_page_opens_on_an_intro_line_not_an_empty_box(open_page) -> None:
    page = open_page(PAGES["search"], 1400)
    page.wait_for_selector(".pagefind-ui__search-input")
    assert page.locator(".search-intro").is_visible()
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#search *')].filter(el => {
             const s = getComputedStyle(el), r = el.getBoundingClientRect();
             return parseFloat(s.borderTopWidth) > 0 && r.height > 80 && el.innerText.trim() === '';
           }).length"""
    )
    assert boxes == 0
    font = page.locator(".pagefind-ui__search-input").evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    assert font == page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).fontFamily"
    )


@pytest.mark.browser
def test_the_home_page_uses_the_width_of_a_wide_screen(open_page) -> None:
    page = open_page(PAGES["home"], 1400)
    latest = page.locator(".front-latest").bounding_box()
    side = page.locator(".front-side").bounding_box()
    assert side["x"] > latest["x"] + latest["width"]  # side by side
    assert side["x"] + side["width"] - latest["x"] >= 1100
    assert page.locator("#total-pledged").is_visible() and page.locator(".mini-timeline li").count()
    narrow = open_page(PAGES["home"], 390)
    latest = narrow.locator(".front-latest").bounding_box()
    side = narrow.locator(".front-side").bounding_box()
    assert side["y"] >= latest["y"] + latest["height"]  # one column


def test_tags_show_their_names_wherever_a_briefing_is_listed(site: Path) -> None:
    doc = lxml.html.fromstring((site / "index.html").read_bytes())
    names = doc.xpath("//ol[@class='briefing-list']//a[@class='tag']/text()")
    assert "United States" in names and "Military aid" in names  # an entity; a slug's words
    assert not [n for n in names if "-" in n]


TABLE_BRIEFING = """\
---
title: "A table"
date: 2024-05-01
summary: "Rows."
---
| Donor | Pledged | Committed | Delivered | Share | Since | Notes on the package |
|:------|--------:|----------:|----------:|------:|:------|:---------------------|
| United States of America | 61,000,000,000 | 50,000,000,000 | 40,000,000,000 | 41% | 2022 | a long note that widens the table |
| European Union | 50,000,000,000 | 30,000,000,000 | 20,000,000,000 | 33% | 2022 | another long note |
"""


@pytest.mark.browser
def test_a_wide_body_table_is_ruled_right_aligns_numbers_and_scrolls_in_its_box_on_a_phone(
    tmp_path: Path, serve_site, browser
) -> None:
    project = write_project(
        tmp_path / "p", {"site.yaml": SITE, "content/briefings/table.md": TABLE_BRIEFING}
    )
    assert run_cli("--project", project, "build", "--quiet").returncode == 0
    base = serve_site(project / "_site", "/cards/")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base + "briefings/table/")
        table = page.locator(".body table")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert table.evaluate("t => t.scrollWidth > t.clientWidth + 50")  # it scrolls, inside
        assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
        cell = page.locator(".body tbody td").nth(1)
        assert cell.evaluate("td => getComputedStyle(td).textAlign") == "right"
        head = page.locator(".body thead th").first
        assert float(head.evaluate("th => getComputedStyle(th).borderBottomWidth")[:-2]) >= 2
    finally:
        context.close()


def test_a_deploy_from_a_fresh_clone_with_only_the_cache_draws_no_card_again(
    tmp_path: Path, monkeypatch
) -> None:
    import shutil

    files = {f"content/briefings/b{n}.md": briefing(n, f"Briefing {n}") for n in range(1, 4)}
    project = write_project(tmp_path / "p", {"site.yaml": SITE, **files})
    build_in_process(project, BuildOptions(jobs=1))
    clone = tmp_path / "clone"  # sources checked out anew, the cache restored, no output
    shutil.copytree(project / "content", clone / "content", copy_function=shutil.copy)
    shutil.copy(project / "site.yaml", clone / "site.yaml")
    shutil.copytree(project / ".dossier-cache", clone / ".dossier-cache")
    drawn: list[str] = []
    real = sharecards.draw
    monkeypatch.setattr(sharecards, "draw", lambda card: drawn.append(card.title) or real(card))
    build_in_process(clone, BuildOptions(jobs=1))
    assert drawn == []
    assert len(list((clone / "_site").rglob("card.png"))) == 4
