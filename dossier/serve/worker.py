"""The preview builds in a process of its own.

The server has threads (tornado's loop, the build thread that waits for results), and a
process with threads must not fork: a lock another thread holds at that moment stays held
in the child forever. The build forks its Markdown and render workers, so it runs here,
in a single-threaded process the server starts before any thread exists. The server only
sends "build these changed paths" and receives a small summary; the memory of the last
build stays in this process's RAM, and is saved to disk while the author reads, so that
the next ``serve`` starts from it.

If this process dies (a crash, the out-of-memory killer), the server says so and starts
another, from the memory saved on disk.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Collection
from multiprocessing.connection import Connection
from pathlib import Path

from dossier.errors import DossierError, Problem
from dossier.serve.preview import Preview, Rebuild

IDLE_SAVE_S = 1.0  # after a build, save the memory once this long passes with no request
SEARCH_POLL_S = 0.02  # while Pagefind runs: how often to look whether it is done


class PreviewWorker:
    """The server's handle on the build process: ``build`` sends a request and waits."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self._on_event: Callable[[Connection], None] | None = None
        self._start()

    def on_events(self, register: Callable[[Connection], None]) -> None:
        """``register(conn)`` for the pipe the build process tells what it did on its own
        (the search index is ready); called again for a restarted process's pipe."""
        self._on_event = register
        register(self.events)

    def _start(self) -> None:
        # Forking is safe only while this process has one thread (always so at start-up);
        # a restart, from the server's build thread, spawns a fresh interpreter instead.
        method = "fork" if threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        self.conn, child = context.Pipe()
        self.events, child_events = context.Pipe(duplex=False)
        self.process = context.Process(
            target=serve_builds, args=(self.project, child, child_events), name="dossier-preview"
        )
        self.process.start()
        child.close()
        child_events.close()
        if self._on_event is not None:
            self._on_event(self.events)

    def build(self, changed: Collection[Path] | None = None) -> Rebuild | DossierError:
        try:
            self.conn.send(("build", None if changed is None else sorted(changed)))
            kind, value = self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self.process.exitcode
            self.process.join(timeout=1)
            self._start()
            return DossierError(
                [
                    Problem(
                        "(preview)",
                        None,
                        "",
                        f"the build process stopped (exit code {code}); a new one started",
                        "save again to rebuild",
                    )
                ]
            )
        return value if kind == "ok" else DossierError(value)

    def close(self) -> None:
        try:
            self.conn.send(("stop", None))
            self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()


def serve_builds(project: Path, conn: Connection, events: Connection | None = None) -> None:
    """The build process's loop: one request at a time, the search index after each
    build, the memory saved when idle."""
    _die_with_parent()
    # Ctrl-C and SIGTERM reach the whole process group: they are the server's to handle,
    # which then asks this process to save its memory and stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    preview = Preview(project)
    unsaved = False
    while True:
        if preview.index is not None and not conn.poll(SEARCH_POLL_S):
            if preview.poll_search():
                unsaved = True
                if events is not None:
                    try:
                        events.send(("search", None))
                    except (OSError, BrokenPipeError):
                        pass
                preview.start_search()  # a build that came while it ran
            continue
        if unsaved and not conn.poll(IDLE_SAVE_S):
            if preview.index is None:  # never while Pagefind writes into the folder
                _save(preview)
                unsaved = False
            continue
        try:
            kind, changed = conn.recv()
        except (EOFError, OSError):
            return
        if kind == "stop":
            if preview.index is not None:
                preview.poll_search(wait=True)
            if unsaved:
                _save(preview)
            conn.send(("ok", None))
            return
        try:
            result = preview.build(None if changed is None else [Path(p) for p in changed])
            reply: tuple[str, object] = ("ok", result)
        except DossierError as exc:
            reply = ("error", exc.problems)
        except Exception as exc:  # a bug must not take the preview down
            reply = ("error", (Problem("(build)", None, "", f"{type(exc).__name__}: {exc}"),))
        conn.send(reply)
        unsaved = True
        try:
            preview.start_search()
        except Exception as exc:  # noqa: BLE001 (search is not worth the preview)
            print(f"warning: search index not started ({exc})", file=sys.stderr, flush=True)
        if reply[0] == "ok" and isinstance(reply[1], Rebuild) and reply[1].up_to_date:
            try:
                preview.warm()  # the author reads; the first save will then be fast
                preview.start_search()  # the bundle module, checked against the shards
            except Exception:  # noqa: BLE001 (the next build reports it)
                pass


def _save(preview: Preview) -> None:
    try:
        preview.save()
    except Exception as exc:  # noqa: BLE001 (only a restart's speed is lost)
        print(f"warning: could not save the preview's memory ({exc})", file=sys.stderr, flush=True)


def _die_with_parent() -> None:
    """The kernel ends this process when the server ends (Linux), however it ends."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass
