"""Search: Pagefind's index is built with the site, and works from every page in Chromium."""

from __future__ import annotations

import pytest
from conftest import run_cli

pytestmark = pytest.mark.browser

SEED = "US lets Ukraine use American antipersonnel mines"


@pytest.fixture
def served(shipped_project, serve_site) -> str:
    result = run_cli("build", cwd=shipped_project)
    assert result.returncode == 0, result.stderr
    assert (shipped_project / "_site" / "pagefind" / "pagefind.js").is_file()
    return serve_site(shipped_project / "_site", "/dossier/")


def test_the_header_search_box_finds_the_seed_briefing(served, browser):
    page = browser.new_page()
    try:
        page.goto(served + "timeline/")
        page.fill("#site-search-q", "antipersonnel")
        page.click("form[role=search] button")
        page.wait_for_url("**/dossier/search/?q=antipersonnel")
        link = page.locator(".pagefind-ui__result-link").first
        link.wait_for(timeout=10_000)
        assert link.inner_text() == SEED
        assert link.get_attribute("href") == "/dossier/briefings/us-antipersonnel-mines-ukraine/"
    finally:
        page.close()


def test_tag_donor_and_year_are_pagefind_filters(served, browser):
    page = browser.new_page()
    try:
        page.goto(served + "search/")
        filters = page.evaluate(
            """async (bundle) => {
                const pf = await import(bundle + "pagefind.js");
                await pf.init();
                const found = await pf.search("mines", {filters: {donor: "United States"}});
                return {filters: await pf.filters(), hits: found.results.length};
            }""",
            "/dossier/pagefind/",
        )
        assert filters["filters"]["donor"] == {"United States": 1}
        assert filters["filters"]["year"] == {"2024": 1}
        assert filters["filters"]["tag"]["landmines"] == 1
        assert filters["hits"] == 1
    finally:
        page.close()
