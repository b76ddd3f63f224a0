"""The preview's search: Pagefind runs after each build, in the background, and a word
saved after the server started is found within about a second; the error overlay is
opaque."""

from __future__ import annotations

import time

import pytest
from conftest import BRIEFING, SITE_YAML, write_project
from playwright.sync_api import Error as PlaywrightError
from serve_support import ServeProcess

pytestmark = pytest.mark.browser


def test_a_word_saved_after_start_is_found_by_the_preview_search(tmp_path, browser):
    project = write_project(
        tmp_path / "p", {"site.yaml": SITE_YAML, "content/briefings/a.md": BRIEFING}
    )
    server = ServeProcess(project)
    try:
        server.wait_ready()
        status, _, _ = server.request("GET", "/briefings/pagefind/pagefind.js")
        deadline = time.monotonic() + 30
        while status != 200 and time.monotonic() < deadline:  # the first index
            time.sleep(0.1)
            status, _, _ = server.request("GET", "/briefings/pagefind/pagefind.js")
        assert status == 200, server.log()
        page = browser.new_page()
        # The archive (a body edit leaves it as it is): the search page reloads itself
        # when the index changes.
        page.goto(f"http://127.0.0.1:{server.port}/briefings/archive/")
        search = """async (word) => {
            const pf = await import('/briefings/pagefind/pagefind.js?' + Date.now());
            const found = await pf.search(word);
            return found.results.length;
        }"""
        assert page.evaluate(search, "zebrafinch") == 0
        generation = server.status()["generation"]
        path = project / "content/briefings/a.md"
        path.write_text(BRIEFING.replace("Body text", "Body text about a zebrafinch"))
        saved = time.monotonic()
        server.wait_status(True, generation)
        found = 0
        while time.monotonic() - saved < 10:
            try:
                page.reload()  # a fresh module map, as every visit to /search/ has
                found = page.evaluate(search, "zebrafinch")
            except PlaywrightError:  # the page reloaded itself after the save
                page.wait_for_load_state()
                continue
            if found:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - saved
        assert found == 1, server.log()
        assert elapsed < 3, f"found after {elapsed:.2f} s"
        print(f"save to searchable: {elapsed:.2f} s")
        page.close()
        # the search page itself reloads when the index changes, keeping its query
        search_page = browser.new_page()
        search_page.goto(f"http://127.0.0.1:{server.port}/briefings/search/?q=zebrafinch")
        search_page.wait_for_function("window.__dossierConnected === true", timeout=10_000)
        search_page.evaluate("window.__before = true")
        path.write_text(BRIEFING.replace("Body text", "Body text about an okapi"))
        search_page.wait_for_function("window.__before === undefined", timeout=10_000)
        assert "q=zebrafinch" in search_page.url
        search_page.close()
    finally:
        server.stop()


def test_the_error_overlay_is_opaque(tmp_path, browser):
    project = write_project(
        tmp_path / "p", {"site.yaml": SITE_YAML, "content/briefings/a.md": BRIEFING}
    )
    server = ServeProcess(project)
    try:
        server.wait_ready()
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/briefings/briefings/a/")
        page.wait_for_function("window.__dossierConnected === true", timeout=10_000)
        generation = server.status()["generation"]
        (project / "content/briefings/a.md").write_text(BRIEFING.replace("kind: media", "kind: x"))
        server.wait_status(False, generation)
        page.wait_for_selector("#dossier-overlay", timeout=10_000)
        color = page.evaluate(
            "getComputedStyle(document.getElementById('dossier-overlay')).backgroundColor"
        )
        assert color.startswith("rgb(") and not color.startswith("rgba("), color
        page.close()
    finally:
        server.stop()
