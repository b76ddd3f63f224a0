"""`python build.py serve`: the local preview, rebuilt on every save and reloaded in
every open tab, with build errors shown over the page.

The parts: ``preview`` (the engine's builds into .dossier-preview/, memory in RAM),
``worker`` (the process those builds run in), ``folder`` (the preview folder),
``watcher`` (inotify), ``server`` (livereload's handlers behind Host and Origin checks)
and ``Rebuilder`` here, which turns bursts of file events into one build at a time and
tells the tabs what happened.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fcntl
import os
import signal
import sys
import time
import webbrowser
from pathlib import Path

from tornado.ioloop import IOLoop

from dossier.errors import DossierError, Problem
from dossier.output import resolve_output
from dossier.serve.preview import PREVIEW_DIR, Rebuild, default_preview_dir
from dossier.serve.server import (
    SEARCH_PATH,
    STATUS_PATH,
    ServerState,
    broadcast,
    make_app,
    reload_message,
)
from dossier.serve.watcher import start_watcher
from dossier.serve.worker import PreviewWorker

DEBOUNCE_S = 0.06
SETTLED_S = 0.015  # after a file is closed, moved or removed: the editor is done with it
MAX_WAIT_S = 0.4


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Rebuilder:
    """One build at a time, started ``DEBOUNCE_S`` after the last event of a burst (only
    ``SETTLED_S`` when that event closed, moved or removed a file) but never more than
    ``MAX_WAIT_S`` after its first, so a `git checkout` of a hundred files is one rebuild
    and a file written continuously still gets built."""

    def __init__(self, worker: PreviewWorker, project: Path, state: ServerState) -> None:
        self.worker = worker
        self.project = project
        self.state = state
        self.loop = IOLoop.current()
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="dossier-build")
        self._timer: object | None = None
        self._first: float | None = None
        self._building = False
        self._dirty = False
        self._changed: set[Path] | None = set()

    def notify(self, path: Path, settled: bool = False) -> None:
        if path == self.project:
            self._changed = None  # the watcher lost track: look at everything
        elif self._changed is not None:
            self._changed.add(path)
        if self._building:
            self._dirty = True
            return
        self._schedule(SETTLED_S if settled else DEBOUNCE_S)

    def _schedule(self, delay: float = DEBOUNCE_S) -> None:
        now = self.loop.time()
        if self._first is None:
            self._first = now
        when = min(now + delay, self._first + MAX_WAIT_S)
        if self._timer is not None:
            self.loop.remove_timeout(self._timer)
        self._timer = self.loop.call_at(when, self._start)

    def _start(self) -> None:
        self._timer = None
        self._first = None
        self._building = True
        changed, self._changed = self._changed, set()
        future = self.pool.submit(self._build, changed)
        self.loop.add_future(future, self._done)

    def _build(self, changed: set[Path] | None = None) -> Rebuild | DossierError:
        return self.worker.build(changed)

    def _done(self, future: concurrent.futures.Future) -> None:
        self._building = False
        self.publish(future.result())
        if self._dirty:
            self._dirty = False
            self._schedule()

    def publish(self, outcome: Rebuild | DossierError) -> None:
        """Record the outcome, log it and tell every open tab."""
        state = self.state
        state.generation += 1
        if isinstance(outcome, DossierError):
            state.ok = False
            state.problems = [str(p) for p in outcome.problems if p.severity == "error"]
            log(outcome.report())
            log("build failed; still serving the last good site")
            broadcast(reload_message(STATUS_PATH))
            return
        was_ok, state.ok, state.problems = state.ok, True, []
        for w in outcome.warnings:
            log(str(w))
        log(
            f"rebuilt in {outcome.seconds * 1000:.0f} ms "
            f"({outcome.rendered} rendered, {len(outcome.written)} written, "
            f"{len(outcome.removed)} removed, {len(outcome.static_written)} static)"
        )
        if outcome.base_path != state.base_path:
            log(
                f"base_url's path is now {outcome.base_path}; "
                f"restart serve to preview there (still serving {state.base_path})"
            )
        for path in reload_paths(outcome, state.base_path, recovering=not was_ok):
            broadcast(reload_message(path))


def reload_paths(outcome: Rebuild, base_path: str, recovering: bool) -> list[str]:
    """CSS-only changes are sent one stylesheet at a time (livereload.js swaps them
    live); anything else reloads the page once."""
    if not recovering and not outcome.changed:
        return []
    only_css = not outcome.written and not outcome.removed and not recovering
    if only_css and all(p.endswith(".css") for p in outcome.static_written):
        return [base_path + p for p in outcome.static_written]
    pages = outcome.written or outcome.removed
    return [base_path + pages[0] if pages else "*"]


def hold_preview_lock(out: Path) -> int:
    """One preview per project, or two servers would fight over .dossier-preview/."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DossierError(
            [
                Problem(
                    PREVIEW_DIR,
                    None,
                    "",
                    "another `serve` is already previewing this project",
                    "stop it first, or open its address",
                )
            ]
        ) from None
    return fd


def cmd_serve(args: argparse.Namespace) -> int:
    project = args.project.resolve()
    if args.host in ("0.0.0.0", "::", ""):
        log(
            f"warning: --host {args.host or '(all)'} makes the preview, drafts included, "
            "reachable from other machines; the default 127.0.0.1 keeps it on this one"
        )
    out = resolve_output(project, default_preview_dir(project), True)
    lock = hold_preview_lock(out)
    try:
        config_base = _base_path(project)
    except DossierError as exc:
        log(exc.report())
        os.close(lock)
        return 1
    started = time.perf_counter()
    worker = PreviewWorker(project)  # first: no thread may exist when it forks
    loop = IOLoop.current()
    state = ServerState(out, config_base, args.port, args.host)
    rebuilder = Rebuilder(worker, project, state)
    first = rebuilder._build()
    rebuilder.publish(first)
    if isinstance(first, Rebuild):
        what = "up to date" if first.up_to_date else "built"
        log(
            f"{what}: {first.briefings} briefings (drafts included) in "
            f"{time.perf_counter() - started:.2f} s"
        )
    app = make_app(state)
    server = app.listen(args.port, address=args.host)
    watcher = start_watcher(project, rebuilder.notify)

    def searchable(conn: object) -> None:
        def ready(fd: int, events: int) -> None:
            try:
                while conn.poll():  # type: ignore[attr-defined]
                    conn.recv()  # type: ignore[attr-defined]
                    broadcast(reload_message(SEARCH_PATH))
            except (EOFError, OSError):
                loop.remove_handler(fd)

        loop.add_handler(conn.fileno(), ready, IOLoop.READ)  # type: ignore[attr-defined]

    worker.on_events(searchable)
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::', '') else args.host}:{args.port}{config_base}"
    log(f"serving {project.name} at {url} (Ctrl-C to stop)")
    if args.open:
        loop.call_later(0.5, webbrowser.open, url)
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.close()
        server.stop()
        rebuilder.pool.shutdown(wait=True, cancel_futures=True)
        worker.close()
        os.close(lock)
    log("preview stopped")
    return 0


def _base_path(project: Path) -> str:
    from dossier.config import load_config

    return load_config(project).base_path


def add_parser(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "serve",
        help="preview the site locally, rebuilt and reloaded on every save",
        description=(
            "Build the site with drafts and future-dated briefings, serve it under "
            "base_url's path, and rebuild and reload open tabs on every save."
        ),
    )
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine)"
    )
    s.add_argument("--open", action="store_true", help="open the preview in a web browser")
    s.set_defaults(func=cmd_serve)


__all__ = ["Rebuilder", "add_parser", "cmd_serve"]
