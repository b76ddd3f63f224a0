"""Preview-server latency: save → rebuild done, and save → the browser shows it.

    python bench/serve_bench.py CORPUS [CORPUS ...] [--edits 7] [--hugo HUGO_DIR ...]

CORPUS is a project made by ../shared/bench/make_corpus.py (dossier layout) with a
site.yaml; HUGO_DIR the same briefings in the hugo layout with bench/peers/hugo's
hugo.toml and layouts copied in. Each edit rewrites one briefing's body with a new
marker sentence; "rebuilt" is when the server logs its rebuild line, "shown" is when
Chromium (driven by Playwright, Debian's /usr/bin/chromium) has the marker on screen
without being touched. Medians are printed as a Markdown table, raw runs as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from serve_support import ServeProcess, free_port  # noqa: E402

SLUG = "briefing-00500"
DOSSIER_LINE = re.compile(r"rebuilt in (\d+) ms")
HUGO_LINE = re.compile(r"Total in (\d+) ms")


class HugoServer(ServeProcess):
    """`hugo server` under the same log-collecting, process-group-killing harness."""

    def __init__(self, project: Path, hugo: str = "/usr/bin/hugo") -> None:
        self.project = project
        self.port = free_port()
        self.lines = []
        self.proc = subprocess.Popen(
            [hugo, "server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--baseURL", f"http://127.0.0.1:{self.port}/", "--source", str(project)]
            + ["--cacheDir", str(project / ".hugo-cache")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.proc.stderr = self.proc.stdout
        import threading

        threading.Thread(target=self._read, daemon=True).start()

    def wait_ready(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any("Web Server is available" in line for _, line in self.lines):
                return
            if self.proc.poll() is not None:
                raise RuntimeError("hugo exited:\n" + self.log())
            time.sleep(0.1)
        raise TimeoutError("hugo did not start:\n" + self.log())


def edit(path: Path, original: str, marker: str) -> None:
    head, sep, body = original.partition("\n---\n")
    path.write_text(f"{head}{sep}{marker}\n\n{body}")


def wait_line(server: ServeProcess, pattern: re.Pattern[str], since: float, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for at, line in list(server.lines):
            m = pattern.search(line)
            if at > since and m:
                return at, int(m.group(1))
        time.sleep(0.002)
    raise TimeoutError(f"no rebuild line after the save:\n{server.log()[-2000:]}")


def measure(
    server: ServeProcess, source: Path, url: str, pattern: re.Pattern[str], edits: int
) -> dict:
    from playwright.sync_api import sync_playwright

    original = source.read_text()
    runs: dict[str, list[float]] = {"rebuilt_s": [], "reported_ms": [], "shown_s": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
            )
            page = browser.new_page()
            page.goto(url)
            time.sleep(1.0)  # let livereload.js connect (hugo's has no ready flag)
            for k in range(edits):
                marker = f"Bench marker {k} {time.time_ns()}"
                t0 = time.perf_counter()
                edit(source, original, marker)
                at, ms = wait_line(server, pattern, t0)
                page.wait_for_function(
                    "t => document.body && document.body.innerText.includes(t)",
                    arg=marker,
                    timeout=30_000,
                    polling="raf",
                )
                shown = time.perf_counter()
                runs["rebuilt_s"].append(at - t0)
                runs["reported_ms"].append(ms)
                runs["shown_s"].append(shown - t0)
                time.sleep(0.4)
            browser.close()
    finally:
        source.write_text(original)
    return runs


def median_ms(xs: list[float], scale: float = 1000) -> str:
    return f"{statistics.median(xs) * scale:.0f}" if xs else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", type=Path)
    ap.add_argument("--hugo", nargs="*", type=Path, default=[])
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = []
    for corpus in args.corpora:
        n = len(list((corpus / "content/briefings").glob("*.md")))
        t0 = time.perf_counter()
        server = ServeProcess(corpus)
        try:
            server.wait_ready(timeout=1800)
            start = time.perf_counter() - t0
            url = f"http://127.0.0.1:{server.port}/dossier/briefings/{SLUG}/"
            source = corpus / f"content/briefings/{SLUG}.md"
            runs = measure(server, source, url, DOSSIER_LINE, args.edits)
        finally:
            server.stop()
        results.append({"tool": "dossier serve", "n": n, "startup_s": start, **runs})
        print(f"dossier N={n}: {runs}", file=sys.stderr, flush=True)
    for site in args.hugo:
        n = len(list((site / "content/posts").glob("*.md")))
        t0 = time.perf_counter()
        server = HugoServer(site)
        try:
            server.wait_ready()
            start = time.perf_counter() - t0
            url = f"http://127.0.0.1:{server.port}/posts/{SLUG}/"
            runs = measure(server, site / f"content/posts/{SLUG}.md", url, HUGO_LINE, args.edits)
        finally:
            server.stop()
        results.append({"tool": "hugo server", "n": n, "startup_s": start, **runs})
        print(f"hugo N={n}: {runs}", file=sys.stderr, flush=True)
    print(
        "| server | N | start (s) | save → rebuilt (ms) | rebuild as logged (ms) | save → shown (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['tool']} | {r['n']:,} | {r['startup_s']:.1f} | {median_ms(r['rebuilt_s'])} "
            f"| {median_ms(r['reported_ms'], 1)} | {median_ms(r['shown_s'])} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
