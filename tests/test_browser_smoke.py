"""The shipped site opens in a real browser under its base path."""

import pytest
from conftest import run_cli

pytestmark = pytest.mark.browser


def test_seed_briefing_opens_in_chromium_under_base_path(shipped_project, serve_site, browser):
    out = shipped_project / "_site"
    assert run_cli("build", cwd=shipped_project).returncode == 0
    base = serve_site(out, "/dossier/")
    page = browser.new_page()
    page.goto(base)
    page.click("text=US lets Ukraine use American antipersonnel mines")
    page.wait_for_load_state("load")  # a click waits for the navigation, not the stylesheet
    assert page.url.endswith("/dossier/briefings/us-antipersonnel-mines-ukraine/")
    assert page.locator("h1").inner_text() == "US lets Ukraine use American antipersonnel mines"
    color = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert color != "rgba(0, 0, 0, 0)", "the stylesheet under the base path did not load"
    page.close()
