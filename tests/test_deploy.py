"""docs/deploy.md's nginx block, run by Debian's nginx under a sub-path: both feeds get
their own types and read clean in feedparser over HTTP; the sitemap keeps nginx's type."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import feedparser
import pytest
from conftest import BRIEFING, ROOT, write_project
from serve_support import free_port

from dossier.build import BuildOptions, build_site

NGINX = "/usr/sbin/nginx"
pytestmark = pytest.mark.slow

WRAPPER = """\
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
{server}
}}
"""


def documented_server_block() -> str:
    text = (ROOT / "docs/deploy.md").read_text()
    return re.search(r"```nginx\n(.*?)```", text, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_documented_nginx_block_serves_the_feeds_with_their_types():
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: apt-get install -y nginx")
    root = Path(tempfile.mkdtemp(prefix="dossier-deploy-", dir="/tmp"))
    proc = None
    try:
        root.chmod(0o755)
        site_yaml = "title: T\nbase_url: https://example.org/briefings/\n"
        project = write_project(
            root / "project", {"site.yaml": site_yaml, "content/briefings/a.md": BRIEFING}
        )
        out = root / "site"
        build_site(project, BuildOptions(output=out))
        for p in (root / "project", *(root / "project").rglob("*"), out, *out.rglob("*")):
            p.chmod(0o755 if p.is_dir() else 0o644)
        (root / "tmp").mkdir()
        port = free_port()
        server = documented_server_block()
        server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
        server = server.replace("/srv/briefings/_site/", f"{out}/")
        (root / "nginx.conf").write_text(WRAPPER.format(root=root, server=server))
        proc = subprocess.Popen(
            [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}/briefings/"

        def get(path: str) -> tuple[int, str, bytes]:
            try:
                with urllib.request.urlopen(base + path, timeout=2) as r:
                    return r.status, r.headers["Content-Type"], r.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers["Content-Type"], exc.read()

        for _ in range(100):
            try:
                get("")
                break
            except OSError:
                time.sleep(0.05)
        assert get("feed.xml")[:2] == (200, "application/atom+xml; charset=utf-8")
        assert get("feed.json")[:2] == (200, "application/feed+json")
        assert get("sitemap.xml")[:2] == (200, "text/xml")
        assert get("briefings/a/")[:2] == (200, "text/html")
        status, _, body = get("no-such-page/")
        assert status == 404 and b"Page not found" in body
        parsed = feedparser.parse(base + "feed.xml")
        assert parsed.bozo == 0, parsed.bozo_exception
        assert [e.title for e in parsed.entries] == ["A test briefing"]
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGQUIT)
            proc.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
