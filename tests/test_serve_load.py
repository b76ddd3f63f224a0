"""The preview server under a bounded burst of load while files change (issue 8).

200 HTTP requests from 8 threads and 20 open websockets, all on 127.0.0.1, while a
briefing is rewritten several times: the server keeps answering, and ends with the
right content.
"""

from __future__ import annotations

import concurrent.futures
import socket
import time

import pytest
from conftest import BRIEFING
from serve_support import ServeProcess

pytestmark = pytest.mark.browser  # a real server subprocess; no browser needed


def open_websocket(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(
        (
            f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
        ).encode()
    )
    assert s.recv(4096).startswith(b"HTTP/1.1 101")
    return s


def test_a_burst_of_requests_and_websockets_while_files_change(make_project):
    project = make_project(
        {
            f"content/briefings/b{i}.md": BRIEFING.replace("A test briefing", f"Briefing {i}")
            for i in range(5)
        }
    )
    server = ServeProcess(project)
    sockets: list[socket.socket] = []
    try:
        server.wait_ready()
        base = "/briefings/"
        sockets = [open_websocket(server.port) for _ in range(20)]
        target = project / "content/briefings/b0.md"
        paths = [base, base + "briefings/b1/", base + "timeline/", base + "static/css/dossier.css"]

        def get(i: int) -> int:
            return server.request(
                "GET", paths[i % len(paths)], {"Host": f"127.0.0.1:{server.port}"}
            )[0]

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(get, i) for i in range(200)]
            for n in range(5):  # the content changes under the load
                target.write_text(BRIEFING.replace("A test briefing", f"Version {n}"))
                time.sleep(0.15)
            statuses = [f.result(timeout=30) for f in futures]
        assert time.monotonic() - started < 60
        assert statuses.count(200) == 200, statuses
        generation = server.status()["generation"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            page = server.request(
                "GET", base + "briefings/b0/", {"Host": f"127.0.0.1:{server.port}"}
            )[2].decode()
            if "Version 4" in page:
                break
            time.sleep(0.05)
        assert "Version 4" in page, server.log()
        assert server.status()["ok"] and server.status()["generation"] >= generation
        assert server.proc.poll() is None, "the server must still be running"
    finally:
        for s in sockets:
            s.close()
        server.stop()


def test_asking_for_all_interfaces_warns_and_still_checks_the_host(make_project):
    project = make_project({"content/briefings/a.md": BRIEFING})
    server = ServeProcess(project, "--host", "0.0.0.0")
    try:
        server.wait_ready()
        assert "warning" in server.log().lower() and "0.0.0.0" in server.log()
        own = server.request("GET", "/briefings/", {"Host": f"127.0.0.1:{server.port}"})[0]
        foreign = server.request("GET", "/briefings/", {"Host": "evil.example"})[0]
        assert (own, foreign) == (200, 403)
    finally:
        server.stop()
