"""The project's input files: which briefing files there are, and how each is read.

One rule for every content path: it is a regular file inside the project, reached without
leaving it. A symlink is followed only while it stays inside; a FIFO, socket or device is
named and never opened (reading a FIFO would wait forever). Each file found carries its
stat signature, so a build or the preview can tell an unchanged file without reading it.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import dossier
from dossier.errors import Problem

BRIEFINGS_DIR = "content/briefings"
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")
# The default theme ships inside the package (docs/decisions.md): a wheel carries it, and a
# site overrides it file by file with its own templates/ and static/.
THEME = Path(dossier.__file__).resolve().parent / "theme"
# A file changed this shortly before it was looked at may change again within the same
# clock tick without its signature changing ("racy git"): it is read again next time.
# Linux stamps files from a clock that ticks every few milliseconds; a file system that
# keeps whole seconds only (its nanoseconds are all 0) needs a longer wait.
SETTLE_NS = 50_000_000
SETTLE_COARSE_NS = 2_000_000_000

Signature = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode


def settled(signature: Signature, seen_ns: int) -> bool:
    """Whether a file seen at ``seen_ns`` with this signature had stopped changing then,
    so that any later change shows in its signature."""
    mtime, ctime = signature[0], signature[1]
    window = SETTLE_COARSE_NS if mtime % 1_000_000_000 == 0 else SETTLE_NS
    return max(mtime, ctime) < seen_ns - window


@dataclass(frozen=True, slots=True)
class Found:
    """One briefing file: its path relative to the project, where it really is, and its
    signature when it was found, at ``seen_ns``."""

    rel: str
    path: str
    signature: Signature
    seen_ns: int

    @property
    def settled(self) -> bool:
        return settled(self.signature, self.seen_ns)


@dataclass(frozen=True)
class Scan:
    """Every briefing file under content/briefings, and every path that is not one but
    should have been (each problem is keyed by its path, so fixing it clears it)."""

    files: Mapping[str, Found]
    problems: Mapping[str, Problem]
    # other files beside the briefings (images a body shows): only their signatures, so
    # the up-to-date check sees one change
    others: Mapping[str, Signature] = field(default_factory=lambda: MappingProxyType({}))


def is_briefing_file(name: str) -> bool:
    return (
        name.endswith(".md")
        and not name.startswith((".", "#"))
        and not name.endswith(IGNORED_SUFFIXES)
    )


def signature_of(st: os.stat_result) -> Signature:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def scan(project: Path) -> Scan:
    """Every briefing file, sorted by path (after the files of a folder, its subfolders,
    as os.walk lists them). Works on directory entries and strings: it runs on every
    build over thousands of files."""
    files: dict[str, Found] = {}
    problems: dict[str, Problem] = {}
    others: dict[str, Signature] = {}
    real_project = os.path.realpath(project)
    root = os.path.join(project, BRIEFINGS_DIR)
    if not os.path.isdir(root):
        return Scan(files, problems)
    if not _inside(os.path.realpath(root), real_project):
        problems[BRIEFINGS_DIR] = Problem(
            BRIEFINGS_DIR,
            None,
            "",
            f"the folder leads out of the project (to {os.path.realpath(root)})",
            "make content/ and content/briefings real folders of the project",
        )
        return Scan(files, problems)

    def walk(folder: str, rel_folder: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        subfolders = []
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    subfolders.append((entry.path, rel))
                continue
            if entry.is_symlink() and _is_dir(entry):
                if not entry.name.startswith("."):
                    problems[rel] = Problem(
                        rel,
                        None,
                        "",
                        "symlinked folders are not followed",
                        "move the briefings into content/",
                    )
                continue
            if not is_briefing_file(entry.name):
                if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                    try:
                        others[rel] = signature_of(entry.stat(follow_symlinks=False))
                    except OSError:
                        pass
                continue
            if not entry.is_symlink():  # in a folder inside the project: no realpath needed
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    problems[rel] = Problem(rel, None, "", "cannot be read", "check the file")
                    continue
                if stat.S_ISREG(st.st_mode):
                    files[rel] = Found(rel, entry.path, signature_of(st), time.time_ns())
                    continue
            found = look(real_project, rel, entry.path)
            if isinstance(found, Problem):
                problems[rel] = found
            else:
                files[rel] = found
        for path, rel in subfolders:
            walk(path, rel)

    walk(root, BRIEFINGS_DIR)
    return Scan(files, problems, MappingProxyType(others))


def look(real_project: str, rel: str, path: str) -> Found | Problem:
    """One path that names a briefing file: found, or why it cannot be read."""
    try:
        target = os.path.realpath(path, strict=True)
        st = os.stat(target)
    except (OSError, RuntimeError):
        if os.path.islink(path):
            return Problem(rel, None, "", "broken or looping symlink", "remove it")
        return Problem(rel, None, "", "cannot be read", "check that the file exists")
    if not _inside(target, real_project):
        return Problem(
            rel,
            None,
            "",
            f"symlink points outside the project ({target})",
            "copy the file into content/ instead",
        )
    if not stat.S_ISREG(st.st_mode):
        return Problem(
            rel,
            None,
            "",
            "is not a regular file (a FIFO, socket or device is never read)",
            "replace it with a plain .md file",
        )
    return Found(rel, target, signature_of(st), time.time_ns())


def rescan(project: Path, previous: Scan, changed: Iterable[str]) -> Scan:
    """``previous`` with only the named briefing paths looked at again (the preview's
    watcher names what changed); a path that is gone leaves both lists."""
    files, problems = dict(previous.files), dict(previous.problems)
    real_project = os.path.realpath(project)
    new = False
    for rel in changed:
        problems.pop(rel, None)
        path = os.path.join(project, rel)
        found = look(real_project, rel, path) if os.path.lexists(path) else None
        if isinstance(found, Found):
            new |= rel not in files
            files[rel] = found  # in its old place, if it had one
        else:
            files.pop(rel, None)
            if found is not None:
                problems[rel] = found
    if new:
        files = dict(sorted(files.items(), key=lambda kv: _walk_order(kv[0])))
    return Scan(files, problems, previous.others)


def _walk_order(rel: str) -> tuple[str, ...]:
    """scan's order: a folder's files before its subfolders."""
    parts = rel.split("/")
    return (*("\x01" + p for p in parts[:-1]), "\x00" + parts[-1])


def read_regular(path: str) -> bytes:
    """A file's bytes, refusing anything that is not a regular file at the moment it is
    opened (no FIFO swapped in after the scan can block the build)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file", path)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _inside(real: str, real_project: str) -> bool:
    return real == real_project or real.startswith(real_project.rstrip("/") + "/")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop
        return False


def template_dirs(project: Path) -> list[Path]:
    """The project's templates/, then Dossier's own, so a project overrides file by file."""
    return _existing_once([project / "templates", THEME / "templates"])


def static_dirs(project: Path) -> list[Path]:
    """Dossier's static/, then the project's, which wins where both have a file."""
    return _existing_once([THEME / "static", project / "static"])


def _existing_once(dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def tree_signatures(roots: Iterable[Path]) -> dict[str, Signature]:
    """Stat signatures of every non-hidden file under ``roots``, by path."""
    sigs: dict[str, Signature] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and d != "__pycache__"
            )
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    sigs[path] = signature_of(os.stat(path))
                except OSError:
                    continue
    return sigs
