"""Whole-process timing, peak memory and preview-server latency, with nothing but the stdlib.

Every figure comes from a fresh process so that no tool profits from a warm interpreter:
wall time is `time.perf_counter` around the child, peak memory is the `ru_maxrss` that
`os.wait4` returns for that child alone (the number GNU `time -v` prints), and the sum over
the process tree is sampled from /proc, because a tool that forks workers spreads its memory
over several processes and the largest one alone would flatter it. The tree's figure is the
sum of each process's PSS (proportional set size, /proc/PID/smaps_rollup): a page shared by
forked workers counts once in total, as it uses memory once; summing RSS would count a
parent's copy-on-write pages once per worker.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    """One whole-process run of a command."""

    seconds: float
    cpu_seconds: float  # user + system of the whole tree: less sensitive to a busy machine
    returncode: int
    peak_rss_mb: float
    peak_tree_rss_mb: float
    output_tail: str


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
                kids += [int(x) for x in text.split()]
    return kids


def _pss_bytes(pid: int) -> int:
    """The process's proportional set size; its RSS where smaps_rollup is missing."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


def tree_rss_bytes(root: int) -> int:
    """Memory of a process and all its descendants, now (the sum of their PSS)."""
    total, todo, seen = 0, [root], set()
    while todo and len(seen) < 10_000:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += _pss_bytes(pid)
        todo += _children(pid)
    return total


class TreeSampler:
    """Samples the resident memory of a process tree in a thread until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop.wait(self.interval)


def run_process(
    argv: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 1800.0
) -> Run:
    """Run argv once to completion and measure it; a timeout kills its whole process group."""
    log = cwd.parent / f".{cwd.name}-run.log"
    with open(log, "w+b") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = start + timeout
        with TreeSampler(proc.pid) as sampler:
            status, usage = _wait4_bounded(proc, deadline)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
        out.seek(0)
        tail = out.read()[-3000:].decode("utf-8", "replace")
    return Run(
        seconds=seconds,
        cpu_seconds=(usage.ru_utime + usage.ru_stime) if usage else 0.0,
        returncode=proc.returncode,
        peak_rss_mb=(usage.ru_maxrss / 1024) if usage else 0.0,
        peak_tree_rss_mb=sampler.peak / 2**20,
        output_tail=tail,
    )


def _wait4_bounded(
    proc: subprocess.Popen[bytes], deadline: float
) -> tuple[int | None, os.struct_rusage | None]:
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            return status, usage
        if time.perf_counter() > deadline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            return None, usage
        time.sleep(0.002)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after a grace period."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        end = time.monotonic() + grace
        while time.monotonic() < end:
            if proc.poll() is not None and not _group_alive(proc.pid):
                return
            time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 2.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 (127.0.0.1 only)
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


@dataclass
class LogWatcher:
    """Reads a server's merged output line by line, stamping each line on arrival."""

    proc: subprocess.Popen[bytes]
    lines: list[tuple[float, str]] = field(default_factory=list)

    def start(self) -> LogWatcher:
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))

    def first_match_after(self, since: float, pattern: re.Pattern[str]) -> tuple[float, str] | None:
        for stamp, line in list(self.lines):
            if stamp >= since and pattern.search(line):
                return stamp, line
        return None

    def tail(self, n: int = 30) -> str:
        return "\n".join(line for _, line in self.lines[-n:])


@dataclass(frozen=True)
class ServerEdit:
    """One save of a watched file and what the server made of it."""

    save_to_served_s: float | None
    save_to_rebuilt_s: float | None
    reported_rebuild_ms: float | None


@contextlib.contextmanager
def running_server(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Iterator[LogWatcher]:
    """A server in its own process group, always stopped on the way out."""
    proc = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield LogWatcher(proc).start()
    finally:
        stop_group(proc)
        if proc.stdout:
            proc.stdout.close()


def wait_for_page(
    base: str, candidates: Sequence[str], expect: str, watcher: LogWatcher, timeout: float
) -> str | None:
    """The first candidate URL that serves `expect`, once the server is up; None on timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if watcher.proc.poll() is not None:
            return None
        for path in candidates:
            status, body = fetch(base + path)
            if status == 200 and expect in body:
                return base + path
        time.sleep(0.1)
    return None


def measure_edit(
    url: str,
    edit: Callable[[], str],
    watcher: LogWatcher,
    rebuilt: re.Pattern[str] | None,
    timeout: float = 60.0,
    poll: float = 0.010,
) -> ServerEdit:
    """Save a file (`edit` returns the marker it wrote), then poll the page until it shows it."""
    marker = edit()
    saved = time.perf_counter()
    served: float | None = None
    while time.perf_counter() - saved < timeout:
        status, body = fetch(url, timeout=min(5.0, timeout))
        if status == 200 and marker in body:
            served = time.perf_counter()
            break
        time.sleep(poll)
    rebuilt_at = reported = None
    if rebuilt is not None:
        end = time.perf_counter() + (2.0 if served else 0.0)
        hit = watcher.first_match_after(saved, rebuilt)
        while hit is None and time.perf_counter() < end:
            time.sleep(0.01)
            hit = watcher.first_match_after(saved, rebuilt)
        if hit is not None:
            rebuilt_at = hit[0]
            match = rebuilt.search(hit[1])
            reported = _as_ms(match) if match else None
    return ServerEdit(
        save_to_served_s=(served - saved) if served else None,
        save_to_rebuilt_s=(rebuilt_at - saved) if rebuilt_at else None,
        reported_rebuild_ms=reported,
    )


def _as_ms(match: re.Match[str]) -> float | None:
    """A log line's duration in ms; the pattern names the unit group `unit` when not ms."""
    try:
        value = float(match.group("value"))
    except (IndexError, ValueError):
        return None
    unit = match.groupdict().get("unit") or "ms"
    return value * 1000 if unit.startswith("s") else value
