"""LinkChecker crawls the built site, served by Debian's nginx from a sub-path: 0 broken links."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_project
from views_data import FILES, SITE_YAML, build

NGINX = "/usr/sbin/nginx"
LINKCHECKER = Path(sys.executable).parent / "linkchecker"  # the venv's own, first
PREFIX = "/briefings/"

pytestmark = pytest.mark.slow

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {root}/tmp/body;
  proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi;
  uwsgi_temp_path {root}/tmp/uwsgi;
  scgi_temp_path {root}/tmp/scgi;
  server {{
    listen 127.0.0.1:{port};
    location = /briefings {{ return 301 /briefings/; }}
    location /briefings/ {{
      alias {root}/site/;
      index index.html;
      try_files $uri $uri/ =404;
    }}
  }}
}}
"""


def linkchecker() -> str:
    for candidate in (str(LINKCHECKER), shutil.which("linkchecker")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("linkchecker is not installed (pip install linkchecker)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The fixture site built into a world-readable folder (nginx workers run as www-data,
    LinkChecker as nobody) and served by a private nginx on 127.0.0.1 under /briefings/."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: apt-get install -y nginx")
    root = Path(tempfile.mkdtemp(prefix="dossier-links-", dir="/tmp"))
    try:
        root.chmod(0o755)
        project = write_project(root / "project", {"site.yaml": SITE_YAML, **FILES})
        build(project, root / "site")
        for p in (root / "site", *(root / "site").rglob("*")):
            p.chmod(0o755 if p.is_dir() else 0o644)
        (root / "tmp").mkdir()
        port = free_port()
        (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
        proc = subprocess.Popen(
            [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}{PREFIX}"
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(base, timeout=1) as r:
                        assert r.status == 200
                    break
                except OSError:
                    if proc.poll() is not None:
                        pytest.fail(f"nginx exited: {proc.stderr.read().decode()}")
                    time.sleep(0.05)
            else:
                pytest.fail("nginx did not answer within 5 s")
            yield base, root / "site"
        finally:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check(url: str) -> subprocess.CompletedProcess:
    """LinkChecker's verbose CSV: one row per URL checked, with its parent and result."""
    return subprocess.run(
        [
            linkchecker(),
            "--no-status",
            "--no-warnings",
            "--verbose",
            "--threads",
            "4",
            "-o",
            "csv",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_linkchecker_finds_no_broken_link_under_a_sub_path(nginx_site):
    base, _ = nginx_site
    result = check(base)
    rows = report_rows(result.stdout)
    broken = [r for r in rows if r["valid"] != "True"]
    assert broken == [], broken
    assert result.returncode == 0, result.stdout + result.stderr
    checked = {r["urlname"] for r in rows}
    # it really crawled the views under the sub-path, not just the home page
    for path in ("timeline/", "aid/", "tags/landmines/timeline/", "page/2/", "feed.xml", "aid.csv"):
        assert any(u.endswith("/briefings/" + path) or u.endswith(path) for u in checked), path
    assert len(rows) >= 30


def report_rows(report: str) -> list[dict[str, str]]:
    import csv

    lines = [line for line in report.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def test_linkchecker_would_report_a_broken_link(nginx_site):
    base, site = nginx_site
    (site / "broken.html").write_text('<!DOCTYPE html><title>x</title><a href="nowhere/">x</a>')
    (site / "broken.html").chmod(0o644)
    result = check(base + "broken.html")
    assert result.returncode == 1
    broken = [r for r in report_rows(result.stdout) if r["valid"] != "True"]
    assert [r["urlname"] for r in broken] == ["nowhere/"]
    assert "404" in broken[0]["result"]
