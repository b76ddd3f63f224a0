"""Screenshots of built pages, wide and narrow, light and dark, for looking at the design.

    .venv/bin/python bench/screenshots.py SITE_DIR [--base /dossier/] [--out docs/screenshots]
        [--page home= --page briefing=briefings/us-antipersonnel-mines-ukraine/ ...]
        [--widths 1400,390] [--schemes light,dark] [--full]

SITE_DIR is a built site (``dossier build --output SITE_DIR``); it is served on 127.0.0.1
under ``--base`` (the site's base path), as a static host would. Each ``--page NAME=PATH``
(PATH relative to the base) gives ``OUT/NAME-WIDTH-SCHEME.png``; without ``--page`` the
default page types are taken. Shots are the first screen (1,400×900 or 390×844) unless
``--full``; PNGs are reduced to a palette so they stay small in git. Also prints, per
shot, the page's scroll width and the header's height, the two numbers the narrow design
is judged by.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_PAGES = {
    "home": "",
    "briefing": "briefings/us-antipersonnel-mines-ukraine/",
    "search": "search/?q=mines",
    "404": "404.html",
    "timeline": "timeline/",
    "aid": "aid/",
    "sources": "sources/",
    "quotes": "quotes/",
    "tags": "tags/",
    "archive": "archive/",
    "entity": "entities/united-states/",
}
HEIGHTS = {1400: 900, 390: 844}


def serve(folder: Path, prefix: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(folder / "__outside_prefix__")
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def shoot(
    site: Path,
    base: str,
    out: Path,
    pages: dict[str, str],
    widths: list[int],
    schemes: list[str],
    full: bool = False,
) -> list[Path]:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server, root = serve(site, base)
    made: list[Path] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            for name, path in pages.items():
                for width in widths:
                    for scheme in schemes:
                        context = browser.new_context(
                            viewport={"width": width, "height": HEIGHTS.get(width, 900)},
                            color_scheme=scheme,
                        )
                        page = context.new_page()
                        page.goto(root + path)
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(150)
                        target = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=full)
                        scroll = page.evaluate("document.documentElement.scrollWidth")
                        header = page.evaluate(
                            "(document.querySelector('.site-header')||{}).offsetHeight"
                        )
                        print(f"{target.name}: scrollWidth {scroll}, header {header}px")
                        context.close()
                        with Image.open(target) as im:
                            im.convert("RGB").quantize(64).save(target, optimize=True)
                        made.append(target)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--base", default="/dossier/")
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    ap.add_argument("--page", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--widths", default="1400,390")
    ap.add_argument("--schemes", default="light,dark")
    ap.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = ap.parse_args()
    pages = dict(p.split("=", 1) for p in args.page) if args.page else DEFAULT_PAGES
    shoot(
        args.site,
        args.base,
        args.out,
        pages,
        [int(w) for w in args.widths.split(",")],
        args.schemes.split(","),
        args.full,
    )


if __name__ == "__main__":
    main()
