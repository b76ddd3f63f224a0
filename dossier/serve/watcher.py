"""Noticing saves: inotify through ctypes on Linux, a stat poll elsewhere.

livereload's own watcher walks the tree every 800 ms (and its inotify path needs
pyinotify, broken on Python 3.12+); an author waits for that on every save. The
kernel tells us within a millisecond instead, and costs nothing while idle.
Only the watcher decides *that* something changed; the builder finds *what*.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from collections.abc import Callable
from pathlib import Path

from tornado.ioloop import IOLoop, PeriodicCallback

WATCHED_DIRS = ("content", "templates", "static")
WATCHED_FILES = ("site.yaml",)

IN_MODIFY = 0x2
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_FROM = 0x40
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_Q_OVERFLOW = 0x4000
IN_IGNORED = 0x8000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
SETTLED = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE
MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
)
_EVENT = struct.Struct("iIII")


def is_ignored(name: str) -> bool:
    """Editor droppings: vim's .swp/.swx and its 4913 probe, emacs' .#lock and #auto#,
    backups ending in ~, and hidden files."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".swpx", ".tmp"))
        or name == "4913"
    )


def is_relevant(project: Path, path: Path) -> bool:
    """A path inside content/, templates/, static/ or site.yaml, and no temp file."""
    try:
        parts = path.relative_to(project).parts
    except ValueError:
        return False
    if not parts or any(is_ignored(p) for p in parts):
        return False
    return parts[0] in WATCHED_DIRS or (len(parts) == 1 and parts[0] in WATCHED_FILES)


class InotifyWatcher:
    """Calls ``on_change(path)`` on the IOLoop for each relevant event."""

    def __init__(self, project: Path, on_change: Callable[..., None]) -> None:
        self.project = project
        self.on_change = on_change
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._rm = libc.inotify_rm_watch
        self._fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._dirs: dict[int, Path] = {}
        self.rewatch()
        IOLoop.current().add_handler(self._fd, self._readable, IOLoop.READ)

    def rewatch(self) -> None:
        """Watch the project folder and every folder under content/, templates/, static/.

        Run again whenever a folder appears, moves or disappears: a watch follows
        its inode, so the path it was added under may be stale."""
        for wd in list(self._dirs):
            self._rm(self._fd, wd)
        self._dirs.clear()
        self._watch(self.project)
        for name in WATCHED_DIRS:
            root = self.project / name
            for dirpath, dirnames, _ in os.walk(root):
                dirnames[:] = [d for d in dirnames if not is_ignored(d)]
                self._watch(Path(dirpath))

    def _watch(self, path: Path) -> None:
        wd = self._add(self._fd, os.fsencode(path), MASK)
        if wd >= 0:
            self._dirs[wd] = path

    def _readable(self, fd: int, events: int) -> None:
        try:
            data = os.read(self._fd, 64 * 1024)
        except BlockingIOError:
            return
        rewatch = False
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            raw = data[offset + _EVENT.size : offset + _EVENT.size + length]
            offset += _EVENT.size + length
            name = raw.rstrip(b"\0").decode("utf-8", "surrogateescape")
            if mask & IN_Q_OVERFLOW:
                rewatch = True
                self.on_change(self.project)
                continue
            base = self._dirs.get(wd)
            if base is None:
                continue
            path = base / name if name else base
            if mask & (IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF):
                rewatch = True
            if mask & IN_IGNORED:
                continue
            if is_relevant(self.project, path):
                # a file closed after writing, moved in or removed is complete: the build
                # may start sooner than after a bare write, which more writes may follow
                self.on_change(path, bool(mask & SETTLED) and not mask & IN_MODIFY)
        if rewatch:
            self.rewatch()

    def close(self) -> None:
        IOLoop.current().remove_handler(self._fd)
        os.close(self._fd)


class PollingWatcher:
    """Where inotify is missing: compare stat signatures of the watched trees."""

    def __init__(
        self, project: Path, on_change: Callable[..., None], interval_ms: int = 300
    ) -> None:
        self.project = project
        self.on_change = on_change
        self._last = self._snapshot()
        self._timer = PeriodicCallback(self._poll, interval_ms)
        self._timer.start()

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        snap: dict[str, tuple[int, int]] = {}
        roots = [self.project / d for d in WATCHED_DIRS]
        for root in roots:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not is_ignored(d)]
                for name in filenames:
                    if is_ignored(name):
                        continue
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except OSError:
                        continue
                    snap[os.path.join(dirpath, name)] = (st.st_mtime_ns, st.st_size)
        for name in WATCHED_FILES:
            try:
                st = os.stat(self.project / name)
                snap[str(self.project / name)] = (st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        return snap

    def _poll(self) -> None:
        snap = self._snapshot()
        if snap != self._last:
            changed = set(snap.items()) ^ set(self._last.items())
            self._last = snap
            for path, _ in changed:
                self.on_change(Path(path))

    def close(self) -> None:
        self._timer.stop()


def start_watcher(project: Path, on_change: Callable[..., None]) -> InotifyWatcher | PollingWatcher:
    try:
        return InotifyWatcher(project, on_change)
    except (OSError, AttributeError):
        return PollingWatcher(project, on_change)
