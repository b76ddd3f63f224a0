"""Screenshots of the seed briefing for the README: wide, narrow, dark and print.

Run from the repository root:  python docs/screenshots/make.py
It builds the shipped site into a temporary folder, serves it on 127.0.0.1 under
/dossier/ (as a static host would), and drives Debian's Chromium with Playwright.
Not a test: the images are a record a reader can look at.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SLUG = "us-antipersonnel-mines-ukraine"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# name: (viewport width, height, colour scheme, media)
SHOTS = {
    "wide": (1400, 1100, "light", "screen"),
    "narrow": (390, 844, "light", "screen"),
    "narrow-card": (390, 844, "light", "screen"),
    "dark": (1400, 1100, "dark", "screen"),
    "print": (794, 1123, "light", "print"),  # the first A4 page at 96 dpi
}
# A screenshot ignores @page, so the print shot gets the page margins as padding.
PAGE_MARGINS = "body { padding: 16mm 14mm 18mm; }"


def build(out: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--output", str(out)], cwd=ROOT, check=True
    )


def serve(folder: Path, prefix: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            return super().translate_path("/" + path.removeprefix(prefix))

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def shoot(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for name, (width, height, scheme, media) in SHOTS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            page = context.new_page()
            page.emulate_media(media=media, color_scheme=scheme)
            page.goto(f"{base}briefings/{SLUG}/")
            if name == "narrow-card":
                # One card open, as a reader who tabbed to the aid amount sees it.
                page.focus("a.annotation-aid")
                page.evaluate("document.querySelector('#the-package').scrollIntoView()")
            if media == "print":
                page.add_style_tag(content=PAGE_MARGINS)
            target = HERE / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
            context.close()
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build(out)
        server, base = serve(out, "/dossier/")
        try:
            shoot(base)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
