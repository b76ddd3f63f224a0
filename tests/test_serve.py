"""`python build.py serve`, end to end: a real server, real files, real Chromium."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BRIEFING, ROOT, SITE_YAML, write_project
from serve_support import ServeProcess, websocket_handshake

pytestmark = pytest.mark.browser

BASE = "/briefings/"  # the path of SITE_YAML's base_url
TOMORROW = dt.date.today() + dt.timedelta(days=2)


def briefing(title: str, body: str, extra: str = "", date: str = "2024-11-21") -> str:
    text = BRIEFING.replace('"A test briefing"', f'"{title}"').replace("Body text", body)
    text = text.replace("date: 2024-11-21", f"date: {date}")
    return text.replace("---\n", f"---\n{extra}", 1) if extra else text


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "project"
    root.mkdir()
    write_project(
        root,
        {
            "site.yaml": SITE_YAML,
            "content/briefings/edit-me.md": briefing("Edit me", "Version one"),
            "content/briefings/break-me.md": briefing("Break me", "Intact body"),
            "content/briefings/draft.md": briefing("Draft one", "Draft body", "draft: true\n"),
            "content/briefings/later.md": briefing("Later one", "Later body", date=str(TOMORROW)),
            "static/css/dossier.css": (ROOT / "dossier/theme/static/css/dossier.css").read_text(),
        },
    )
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[ServeProcess]:
    proc = ServeProcess(project)
    try:
        proc.wait_ready()
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def page(browser, server: ServeProcess):
    context = browser.new_context()
    pages = []

    def open_page(path: str):
        p = context.new_page()
        p.goto(f"http://127.0.0.1:{server.port}{path}")
        p.wait_for_function("window.__dossierConnected === true", timeout=10_000)
        pages.append(p)
        return p

    yield open_page
    context.close()


def text_shows(p, text: str, timeout: float = 5_000) -> None:
    p.wait_for_function(
        "t => document.body && document.body.innerText.includes(t)", arg=text, timeout=timeout
    )


def test_site_is_served_under_the_base_path_and_root_redirects_there(server: ServeProcess):
    status, headers, _ = server.request("GET", "/")
    assert status in (301, 302) and headers["Location"] == BASE
    status, _, body = server.request("GET", BASE)
    assert status == 200 and b"Edit me" in body and b"/__dossier/client.js" in body


def test_drafts_and_future_briefings_show_with_a_badge(page, project: Path):
    p = page(BASE)
    items = p.locator(".briefing-list li")
    draft = items.filter(has_text="Draft one")
    later = items.filter(has_text="Later one")
    assert draft.locator(".badge").inner_text() == "Draft"
    assert later.locator(".badge").inner_text() == "Scheduled"
    assert items.filter(has_text="Edit me").locator(".badge").count() == 0
    p2 = page(f"{BASE}briefings/later/")
    assert "Scheduled" in p2.locator(".meta .badge").inner_text()


def test_an_edit_on_disk_shows_in_the_open_tab(page, project: Path, server: ServeProcess):
    p = page(f"{BASE}briefings/edit-me/")
    text_shows(p, "Version one")
    path = project / "content/briefings/edit-me.md"
    path.write_text(briefing("Edit me", "Version two"))
    text_shows(p, "Version two")
    assert any("rebuilt in" in line for _, line in server.lines)


def test_two_edits_within_one_second_both_show(page, project: Path):
    p = page(f"{BASE}briefings/edit-me/")
    path = project / "content/briefings/edit-me.md"
    first = time.monotonic()
    path.write_text(briefing("Edit me", "Quick edit A"))
    text_shows(p, "Quick edit A")
    path.write_text(briefing("Edit me", "Quick edit B"))
    second = time.monotonic()
    text_shows(p, "Quick edit B")
    assert second - first < 1.0, "the edits were meant to land within one second"


def test_broken_front_matter_shows_an_overlay_in_every_tab_then_recovers(
    page, project: Path, server: ServeProcess
):
    tab = page(f"{BASE}briefings/break-me/")
    index = page(BASE)
    path = project / "content/briefings/break-me.md"
    good = path.read_text()
    before = server.status()["generation"]
    path.write_text(good.replace("date: 2024-11-21", "date: 2024-13-45"))
    for p in (tab, index):
        overlay = p.locator("#dossier-overlay")
        overlay.wait_for(timeout=5_000)
        assert "content/briefings/break-me.md:3: date:" in overlay.inner_text()
    server.wait_status(ok=False, after=before)
    status, _, body = server.request("GET", f"{BASE}briefings/break-me/")
    assert status == 200 and b"Intact body" in body, "the last good page keeps being served"

    tab.evaluate("window.__marker = 'before-fix'")
    path.write_text(good.replace("Intact body", "Fixed body"))
    text_shows(tab, "Fixed body")
    assert tab.locator("#dossier-overlay").count() == 0
    assert tab.evaluate("window.__marker") is None, "the fixed page was reloaded"
    index.locator("#dossier-overlay").wait_for(state="detached", timeout=5_000)


def test_a_css_edit_restyles_the_page_without_reloading_it(page, project: Path):
    p = page(f"{BASE}briefings/edit-me/")
    p.evaluate("window.__marker = 'still here'")
    css = project / "static/css/dossier.css"
    css.write_text(css.read_text() + "\nbody { background-color: rgb(1, 2, 3) !important; }\n")
    p.wait_for_function(
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=5_000
    )
    assert p.evaluate("window.__marker") == "still here"


def test_the_server_survives_bad_files_and_keeps_serving(project: Path, server: ServeProcess):
    briefings = project / "content/briefings"
    steps = [
        lambda: (briefings / "utf8.md").write_bytes(b'---\ntitle: "\xff"\n---\n'),
        lambda: (briefings / "utf8.md").unlink(),
        lambda: (
            (project / "templates").mkdir(exist_ok=True)
            or (project / "templates/index.html").write_text("{% if %}")
        ),
        lambda: (project / "templates/index.html").unlink(),
        lambda: (briefings / "sub").mkdir() or (briefings / "sub/x.md").write_text("nonsense"),
        lambda: (briefings / "sub").rename(briefings / "sub2"),
        lambda: shutil.rmtree(briefings / "sub2"),
        lambda: (project / "site.yaml").write_text("title: [unclosed\n"),
        lambda: (project / "site.yaml").write_text(SITE_YAML),
    ]
    expect_ok = [False, True, False, True, False, False, True, False, True]
    for step, ok in zip(steps, expect_ok, strict=True):
        before = server.status()["generation"]
        step()
        s = server.wait_status(ok=ok, after=before)
        assert server.proc.poll() is None
        status, _, body = server.request("GET", BASE)
        assert status == 200 and b"Edit me" in body
        if not ok:
            assert s["problems"], s
    assert "templates/index.html:1" in server.log()
    assert "not valid UTF-8" in server.log()


def rebuild_lines(server: ServeProcess) -> int:
    return sum("rebuilt in" in line or "build failed" in line for _, line in server.lines)


def test_a_burst_of_saves_is_one_rebuild(project: Path, server: ServeProcess):
    before_lines = rebuild_lines(server)
    before = server.status()["generation"]
    burst = project / "content/briefings"
    for i in range(100):  # like a `git checkout` touching a hundred files
        (burst / f"burst-{i:03}.md").write_text(briefing(f"Burst {i}", "Burst body"))
    server.wait_status(ok=True, after=before)
    time.sleep(0.5)
    assert rebuild_lines(server) - before_lines == 1, server.log()[-800:]
    status, _, body = server.request("GET", f"{BASE}briefings/burst-099/")
    assert status == 200 and b"Burst 99" in body
    before = server.status()["generation"]
    for i in range(100):
        (burst / f"burst-{i:03}.md").unlink()
    server.wait_status(ok=True, after=before)
    assert server.request("GET", f"{BASE}briefings/burst-099/")[0] == 404


def test_editor_temp_files_do_not_trigger_a_rebuild(project: Path, server: ServeProcess):
    before = server.status()["generation"]
    folder = project / "content/briefings"
    for name in (".edit-me.md.swp", "edit-me.md~", "4913", ".#edit-me.md", "#edit-me.md#"):
        (folder / name).write_text("not a briefing: {{{")
        (folder / name).unlink()
    (project / "_site").mkdir(exist_ok=True)
    (project / "_site/index.html").write_text("output")
    time.sleep(0.6)
    assert server.status()["generation"] == before


OWN = "127.0.0.1:{port}"


def test_foreign_origin_and_host_are_refused_own_accepted(server: ServeProcess):
    port = server.port
    own_host = OWN.format(port=port)
    ws = websocket_handshake
    assert ws(port, {"Host": own_host, "Origin": f"http://{own_host}"}) == 101
    assert ws(port, {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}) == 101
    assert ws(port, {"Host": own_host, "Origin": "http://evil.example"}) == 403
    assert ws(port, {"Host": own_host, "Origin": f"http://evil.example:{port}"}) == 403
    assert ws(port, {"Host": own_host, "Origin": "null"}) == 403
    assert (
        ws(port, {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}) == 403
    )

    for path in (BASE, "/livereload.js", "/__dossier/status", "/__dossier/client.js"):
        assert server.request("GET", path, {"Host": own_host})[0] == 200
        assert server.request("GET", path, {"Host": f"rebind.example:{port}"})[0] == 403
        assert server.request("GET", path, {"Host": "127.0.0.1:1"})[0] == 403
    evil = {"Host": own_host, "Origin": "http://evil.example"}
    assert server.request("GET", "/forcereload", evil)[0] == 403
    assert server.request("GET", "/__dossier/status", evil)[0] == 403
    assert server.request("GET", "/forcereload?path=x.css", {"Host": own_host})[0] == 200


def test_traversal_and_symlinks_out_of_the_preview_are_refused(
    server: ServeProcess, project: Path, tmp_path: Path
):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    preview = project / ".dossier-preview"
    (preview / "leak.txt").symlink_to(secret)
    (preview / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    attempts = [
        f"{BASE}../site.yaml",
        f"{BASE}../../etc/passwd",
        f"{BASE}%2e%2e/site.yaml",
        f"{BASE}%2e%2e%2fsite.yaml",
        f"{BASE}..%2f..%2fsite.yaml",
        f"{BASE}%252e%252e/site.yaml",
        f"{BASE}..%5c..%5csite.yaml",
        f"{BASE}%00",
        f"{BASE}/etc/passwd",
        "//etc/passwd",
        "/site.yaml",
        f"{BASE}leak.txt",
        f"{BASE}leakdir/secret.txt",
    ]
    for path in attempts:
        status, _, body = server.request("GET", path)
        assert status in (403, 404), (path, status)
        assert b"TOP-SECRET" not in body and b"root:" not in body and b"title:" not in body
