"""A real `python build.py serve` in a subprocess, for the preview tests and the benchmark."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """Starts the server, collects its log lines, and always kills its process group."""

    def __init__(self, project: Path, *extra: str, python: str = sys.executable) -> None:
        self.project = project
        self.port = free_port()
        self.lines: list[tuple[float, str]] = []
        self.proc = subprocess.Popen(
            [python, str(ROOT / "build.py"), "--project", str(project), "serve"]
            + ["--port", str(self.port), *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("serve exited:\n" + self.log())
            try:
                self.request("GET", "/__dossier/status")
                return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("serve did not answer:\n" + self.log())

    def log(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """A raw request: the path is sent exactly as given (no normalising)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.putrequest(method, path, skip_host="Host" in (headers or {}))
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            conn.endheaders()
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def status(self) -> dict:
        return json.loads(self.request("GET", "/__dossier/status")[2])

    def wait_status(self, ok: bool, after: int, timeout: float = 10) -> dict:
        """Wait for a build newer than generation ``after`` with the given outcome."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.status()
            if s["generation"] > after and s["ok"] == ok:
                return s
            time.sleep(0.02)
        raise TimeoutError(f"no build with ok={ok} after {after}:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def websocket_handshake(port: int, headers: dict[str, str]) -> int:
    """The status code of a WebSocket upgrade to /livereload, sent over a raw socket."""
    lines = [
        "GET /livereload HTTP/1.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *(f"{k}: {v}" for k, v in headers.items()),
        "",
        "",
    ]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall("\r\n".join(lines).encode())
        first = s.recv(4096).split(b"\r\n", 1)[0]
    return int(first.split()[1])
