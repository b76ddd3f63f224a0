"""A briefing page in headless Chromium, served under a sub-path: citations jump and
come back, cards open on keyboard focus, notes sit in the margin on wide screens,
dark mode follows the system, and print hides the navigation but keeps sources' URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_site import FEATURES_SLUG, SEED_SLUG, build_site

pytestmark = pytest.mark.browser

IN_VIEWPORT = """el => { const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth; }"""
STYLE = "(el, prop) => getComputedStyle(el).getPropertyValue(prop)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser"))


@pytest.fixture
def open_page(site, serve_site, browser):
    """open_page(slug, width=..., scheme=...) → a Playwright page showing that briefing."""
    base = serve_site(site, "/dossier/")
    contexts = []

    def open_(slug: str, width: int = 1280, scheme: str = "light", requests: list | None = None):
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        if requests is not None:
            page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}briefings/{slug}/")
        return page

    yield open_
    for c in contexts:
        c.close()


def test_a_citation_jumps_to_its_reference_and_the_back_link_returns(open_page) -> None:
    page = open_page(SEED_SLUG, width=390)
    citation = page.locator("#cite-report-3")
    citation.click()
    assert page.url.endswith("#ref-report")
    assert page.locator("#ref-report").evaluate(IN_VIEWPORT)
    assert not citation.evaluate(IN_VIEWPORT)  # it really moved: the citation is off screen
    page.locator("#ref-report .backrefs a[href='#cite-report-3']").click()
    assert page.url.endswith("#cite-report-3")
    assert citation.evaluate(IN_VIEWPORT)
    assert not page.locator("#ref-report").evaluate(IN_VIEWPORT)


def test_an_annotation_card_opens_on_keyboard_focus_on_a_narrow_screen(open_page) -> None:
    page = open_page(SEED_SLUG, width=390)
    link = page.locator("a.annotation-aid")
    card = page.locator("#" + link.get_attribute("aria-describedby"))
    assert card.evaluate(STYLE, "visibility") == "hidden"
    assert not card.is_visible()
    for _ in range(80):  # Tab through the page, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('annotation-aid')"):
            break
    else:
        pytest.fail("Tab never reached the aid annotation")
    assert card.evaluate(STYLE, "visibility") == "visible"
    assert card.evaluate(STYLE, "opacity") == "1"
    assert "$275 million" in card.inner_text()
    box, link_box = card.bounding_box(), link.bounding_box()
    assert box["y"] >= link_box["y"] + link_box["height"] - 1  # opens under its line
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390  # and on the screen


def test_a_footnote_opens_on_keyboard_focus_on_a_narrow_screen(open_page) -> None:
    page = open_page(FEATURES_SLUG, width=390)
    note = page.locator(".sidenote")
    assert note.evaluate(STYLE, "visibility") == "hidden"
    page.locator("a.footnote-ref").focus()
    assert note.evaluate(STYLE, "visibility") == "visible"
    assert "announcement" in note.inner_text()


def test_wide_screens_put_cards_and_footnotes_in_the_right_margin(open_page) -> None:
    page = open_page(FEATURES_SLUG, width=1400)
    text_right = page.locator(".body > p").first.evaluate("p => p.getBoundingClientRect().right")
    notes = page.locator(".body .card")
    assert notes.count() == 5
    for i in range(notes.count()):
        note = notes.nth(i)
        assert note.is_visible()  # always shown, no hover needed
        box = note.bounding_box()
        assert box["x"] >= text_right + 8 and box["x"] + box["width"] <= 1400
    assert not page.locator(".body > .footnote").is_visible()  # the note is beside its text
    last = notes.nth(notes.count() - 1).bounding_box()
    assert last["y"] + last["height"] <= page.locator(".facts").bounding_box()["y"]


def test_text_lines_hold_about_65_characters(open_page) -> None:
    page = open_page(SEED_SLUG, width=1400)
    per_line = page.locator(".body > p").first.evaluate(
        """p => { const copy = p.cloneNode(true);
                 copy.querySelectorAll('.card').forEach(c => c.remove());
                 const chars = copy.textContent.replace(/\\s+/g, ' ').trim().length;
                 const lines = p.getBoundingClientRect().height
                               / parseFloat(getComputedStyle(p).lineHeight);
                 return chars / Math.round(lines); }"""
    )
    print(f"characters per line: {per_line:.1f}")
    assert 55 <= per_line <= 75, per_line


def test_dark_mode_follows_the_system_setting(open_page) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(SEED_SLUG, scheme=scheme)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours["light"] != colours["dark"]
    assert colours["dark"] == "rgb(22, 24, 27)"


def test_print_hides_navigation_and_shows_source_urls_and_margin_notes(open_page) -> None:
    page = open_page(FEATURES_SLUG, width=800)
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav[aria-label=Site]").is_visible()
    assert not page.locator(".site-footer").is_visible()
    for a in page.locator(".references a.url").all():
        assert a.is_visible() and a.inner_text() == a.get_attribute("href")
    link = page.locator(".body a[href='https://example.org/report']")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://example.org/report" in after
    text_right = page.locator(".body > p").first.evaluate("p => p.getBoundingClientRect().right")
    card = page.locator("a.annotation-aid + .card")
    assert card.is_visible() and card.bounding_box()["x"] >= text_right
    page.emulate_media(media="screen")
    assert page.locator(".site-header nav[aria-label=Site]").is_visible()


def test_a_briefing_page_asks_no_other_host_for_anything(open_page) -> None:
    requests: list[str] = []
    page = open_page(SEED_SLUG, requests=requests)
    page.wait_for_load_state("networkidle")
    assert requests and all(u.startswith("http://127.0.0.1:") for u in requests), requests
    assert page.evaluate("document.fonts.size") == 0  # no web fonts


def test_a_footnote_link_on_a_wide_screen_lands_on_the_note_and_its_back_link_returns(
    open_page,
) -> None:
    page = open_page(FEATURES_SLUG, width=1400)
    ref = page.locator("a.footnote-ref").first
    target = ref.get_attribute("href")
    assert not page.locator(".body > .footnote").is_visible()  # the margin shows the note
    ref.click()
    assert page.url.endswith(target)
    note = page.locator(f"[id='{target[1:]}']")
    assert note.is_visible() and note.evaluate(IN_VIEWPORT)  # not a jump to a hidden element
    note.locator("a.footnote-backref").click()
    assert ref.evaluate(IN_VIEWPORT)
