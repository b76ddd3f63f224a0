"""The output folder: chosen safely, built beside it, swapped in whole.

A build writes into a staging folder next to the output, then exchanges the two
in one atomic ``renameat2(RENAME_EXCHANGE)``. A failed, killed or concurrent
build therefore never leaves a half-written site where the old one was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from dossier.errors import DossierError, Problem

MARKER = ".dossier-output"
SOURCE_DIRS = ("content", "templates", "static")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _refuse(key: str, message: str, hint: str) -> DossierError:
    return DossierError([Problem("site.yaml", None, key, message, hint)])


def resolve_output(project: Path, output_dir: str | Path, from_option: bool = False) -> Path:
    """The output folder, refused when writing there could destroy anything of the author's."""
    key = "--output" if from_option else "output_dir"
    project = project.resolve()
    out = (
        (project / output_dir).resolve()
        if not Path(output_dir).is_absolute()
        else Path(output_dir).resolve()
    )
    if out == project:
        raise _refuse(
            key,
            f"{output_dir!s} is the project folder itself",
            "use a folder of its own, e.g. _site",
        )
    for name in SOURCE_DIRS:
        src = (project / name).resolve()
        if out == src or src.is_relative_to(out) or out.is_relative_to(src):
            raise _refuse(
                key,
                f"{output_dir!s} overlaps the {name}/ folder",
                "the output must not contain or lie inside content/, templates/ or static/",
            )
    if project.is_relative_to(out):
        raise _refuse(
            key,
            f"{output_dir!s} contains the project folder",
            "use a folder of its own, e.g. _site",
        )
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise _refuse(
                key, f"{output_dir!s} exists and is not a folder", "remove it or choose another"
            )
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise _refuse(
                key,
                f"{out} is not empty and was not created by Dossier",
                f"empty it, or choose another output_dir (Dossier marks its folders with {MARKER})",
            )
    return out


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one waits for the first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {out.name} to finish…", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def safe_join(root: Path, rel: str) -> Path:
    """A page path inside ``root``; anything else is a bug or an attack, never a write."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in rel or not pure.parts:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return root.joinpath(*pure.parts)


def clean_stale(out: Path) -> None:
    """Staging folders left by killed builds (we hold the lock, so none is live)."""
    for p in out.parent.glob(f".{out.name}.staging-*"):
        shutil.rmtree(p, ignore_errors=True)


def new_staging(out: Path) -> Path:
    staging = out.parent / f".{out.name}.staging-{os.getpid()}-{time.monotonic_ns()}"
    staging.mkdir(parents=True)
    return staging


def write_files(staging: Path, files: Iterable[tuple[str, bytes]]) -> int:
    count = 0
    made: set[Path] = set()
    for rel, data in files:
        target = safe_join(staging, rel)
        parent = target.parent
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        target.write_bytes(data)
        count += 1
    return count


def copy_static(staging: Path, sources: Iterable[Path]) -> int:
    """Copy each static folder to /static/ (later folders win), skipping symlinks out."""
    count = 0
    for src in sources:
        if not src.is_dir():
            continue
        root = src.resolve()
        for dirpath, dirnames, filenames in os.walk(src):
            rel = Path(dirpath).relative_to(src)
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                if not path.resolve().is_relative_to(root):
                    continue
                dest = staging / "static" / rel / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
                count += 1
    return count


def swap_in(staging: Path, out: Path) -> None:
    """Make ``staging`` the output in one step, then delete the previous site."""
    (staging / MARKER).write_text(
        "This folder is built by Dossier; it is replaced on each build.\n"
    )
    for d in (staging, *(p for p in staging.rglob("*") if p.is_dir())):
        d.chmod(0o755)
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = out.parent / f".{out.name}.staging-old-{os.getpid()}"
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
