"""The output folder: chosen safely, built beside it, swapped in whole.

A build writes into a staging folder next to the output, then exchanges the two
in one atomic ``renameat2(RENAME_EXCHANGE)``. A failed, killed or concurrent
build therefore never leaves a half-written site where the old one was.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from dossier.errors import DossierError, Problem
from dossier.memory import FileStat, PageMemory
from dossier.store import Store, link_tree

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
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(output_dir)):
        raise _refuse(
            key,
            f"{str(output_dir)!r} has a control character",
            "write the folder's name without it",
        )
    written = Path(os.path.normpath(project / output_dir))
    out = written.resolve()
    if out != written:
        # The lock, the cache and the spare tree live beside the output folder: through a
        # symlink they would land wherever it points, outside the project.
        link = next(p for p in (written, *written.parents) if p.is_symlink())
        raise _refuse(
            key,
            f"{output_dir!s} goes through the symlink {link} (to {link.resolve()})",
            "write the real folder as output_dir: Dossier keeps its lock, cache and spare "
            "tree beside it",
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


def check_relative(rel: str) -> None:
    """The string test behind ``safe_join``, for the hot path."""
    if (
        not rel
        or rel.startswith("/")
        or "\x00" in rel
        or "\\" in rel
        or rel == ".."
        or rel.startswith("../")
        or "/../" in rel
        or rel.endswith("/..")
    ):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")


def safe_join(root: Path, rel: str) -> Path:
    """A page path inside ``root``; anything else is a bug or an attack, never a write."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in rel or not pure.parts:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return root.joinpath(*pure.parts)


def clean_stale(out: Path) -> None:
    """Staging folders left by killed builds (we hold the lock, so none is live)."""
    for p in out.parent.glob(f".{out.name}.staging-*"):
        _make_writable(p)
        shutil.rmtree(p, ignore_errors=True)


def new_staging(out: Path) -> Path:
    staging = out.parent / f".{out.name}.staging-{os.getpid()}-{time.monotonic_ns()}"
    staging.mkdir(parents=True)
    return staging


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


class Staging:
    """The folder the next site is assembled in, beside the live one.

    Every build after the second reuses the spare tree: the site as it was two builds
    ago, kept after the last swap. Folders that already exist cost nothing, and files
    whose bytes did not change are hard links to the live site's, so a rebuild makes
    and frees almost nothing on disk; freeing blocks is what makes deleting a whole
    tree slow. A file is never written in place (that would change the live site
    through a shared link): new bytes go to a temporary name, then replace it.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.live = out if (out / MARKER).is_file() else None
        spare = spare_path(out)
        self.reused = (
            spare.is_dir()
            and not spare.is_symlink()
            and (spare / MARKER).is_file()
            and _make_writable(spare)
        )
        if not self.reused and (spare.exists() or spare.is_symlink()):
            # Out of the way first: a spare that cannot be deleted (a read-only tree) must
            # not block the swap; clean_stale tries again on later builds.
            aside = out.parent / f".{out.name}.staging-stale-{os.getpid()}-{time.monotonic_ns()}"
            os.rename(spare, aside)
            shutil.rmtree(aside, ignore_errors=True) if aside.is_dir() else aside.unlink()
        self.root = spare if self.reused else new_staging(out)
        self.wanted: set[str] = {MARKER}
        self._dirs: set[Path] = set()
        self._dirs_s: set[str] = set()
        self._root_s = str(self.root)
        self._live_s = str(self.live) if self.live is not None else ""

    def _target(self, rel: str) -> Path:
        target = safe_join(self.root, rel)
        if target.parent not in self._dirs:
            _make_dirs(target.parent)
            self._dirs.add(target.parent)
        return target

    def keep_live(self, rel: str) -> bool:
        """Use the live site's file unchanged; False when it has none.

        Called for every page of a rebuild, so it works on strings, not Path objects."""
        if self.live is None:
            return False
        check_relative(rel)
        old = os.path.join(self._live_s, rel)
        target = os.path.join(self._root_s, rel)
        parent = os.path.dirname(target)
        if parent not in self._dirs_s:
            _make_dirs(Path(parent))
            self._dirs_s.add(parent)
        try:
            a = os.stat(old)
            try:
                b = os.stat(target)
                if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
                    return True
            except FileNotFoundError:
                pass
            _replace_with_link(Path(old), Path(target))
            return True
        except OSError:
            return False

    def put(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        if _same_bytes(target, data):
            return
        if self.live is not None and _same_bytes(self.live / rel, data):
            try:
                _replace_with_link(self.live / rel, target)
                return
            except OSError:
                pass
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def put_link(self, rel: str, source: Path) -> None:
        """The file ``source`` (of the same file system) as ``rel``, linked, not copied."""
        _replace_with_link(source, self._target(rel))

    def put_tree(self, rel: str, source: Path) -> bool:
        """The folder ``source`` (of the same file system) as ``rel``, linked file by file."""
        return link_tree(source, self.root / rel)

    def keep_live_tree(self, rel: str) -> bool:
        """Use a whole folder of the live site unchanged (the search index)."""
        if self.live is None or not (self.live / rel).is_dir():
            return False
        live, root = str(self.live), str(self.root)

        def keep(sub: str) -> bool:
            # Inode numbers come with the directory entries: a file the staging folder
            # already shares with the live site (the usual case) costs no system call.
            try:
                with os.scandir(os.path.join(root, sub)) as it:
                    staged = {e.name: e.inode() for e in it}
            except OSError:
                staged = {}
            with os.scandir(os.path.join(live, sub)) as it:
                entries = list(it)
            for entry in entries:
                path = f"{sub}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if not keep(path):
                        return False
                    continue
                if staged.get(entry.name) != entry.inode() and not self.keep_live(path):
                    return False
                self.wanted.add(path)
            return True

        try:
            return keep(rel)
        except OSError:
            return False

    def claim_tree(self, rel: str) -> None:
        """Mark every file under ``rel`` as part of the new site (written by another tool)."""
        root = str(self.root)
        for dirpath, _, filenames in os.walk(os.path.join(root, rel)):
            prefix = dirpath[len(root) + 1 :]
            self.wanted.update(f"{prefix}/{name}" for name in filenames)

    def clear(self, rel: str) -> None:
        shutil.rmtree(self.root / rel, ignore_errors=True)

    def prune(self) -> None:
        """Remove what the new site does not have: old pages, leftovers of a killed build."""
        root = str(self.root)
        wanted = self.wanted
        for dirpath, _dirnames, filenames in os.walk(root, topdown=False):
            prefix = dirpath[len(root) + 1 :] + "/" if dirpath != root else ""
            for name in filenames:
                if prefix + name not in wanted:
                    os.unlink(os.path.join(dirpath, name))
            if dirpath != root and not os.listdir(dirpath):
                os.rmdir(dirpath)

    def swap(self) -> None:
        """Make the staged site live in one step; the old live site becomes the spare."""
        self.prune()
        marker = self.root / MARKER
        text = b"This folder is built by Dossier; it is replaced on each build.\n"
        if not _same_bytes(marker, text):  # never in place: it may be read-only, or shared
            tmp = marker.with_name(f".{MARKER}.{os.getpid()}.tmp")
            tmp.write_bytes(text)
            os.replace(tmp, marker)
        self.root.chmod(0o755)
        spare = spare_path(self.out)
        if not self.out.exists():
            os.rename(self.root, self.out)
            return
        if not _exchange(self.root, self.out):
            old = self.out.parent / f".{self.out.name}.staging-old-{os.getpid()}"
            os.rename(self.out, old)
            os.rename(self.root, self.out)
            self.root = old
        if self.root != spare:
            os.rename(self.root, spare)

    def abandon(self) -> None:
        """After a failure: a new staging folder goes; a reused spare stays for next time
        (it is never served, and the next build checks every file in it)."""
        if not self.reused:
            shutil.rmtree(self.root, ignore_errors=True)


def _make_writable(tree: Path) -> bool:
    """Give every folder of a spare tree back its owner's write bit; False when one cannot
    be. A build over a read-only site leaves that site as the spare, and every later build
    would fail writing into it."""
    try:
        for dirpath, _dirnames, _files in os.walk(tree):
            mode = os.stat(dirpath).st_mode
            if mode & 0o700 != 0o700:
                os.chmod(dirpath, mode | 0o700)
    except OSError:
        return False
    return True


def _make_dirs(path: Path) -> None:
    """mkdir -p with world-readable folders whatever the umask (static hosts such as nginx
    run as another user); existing folders are left as they are."""
    if path.is_dir():
        return
    _make_dirs(path.parent)
    try:
        path.mkdir()
    except FileExistsError:
        return
    path.chmod(0o755)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _replace_with_link(src: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.lnk")
    os.link(src, tmp)
    os.replace(tmp, target)


def copy_static(
    staging: Staging, sources: Iterable[Path], extra: Mapping[str, Path] | None = None
) -> int:
    """Copy each static folder to /static/ (later folders win), skipping symlinks out, and
    the ``extra`` files (output path → source: the media)."""
    files: dict[str, Path] = dict(extra or {})
    for src in sources:
        if not src.is_dir():
            continue
        root = src.resolve()
        for dirpath, dirnames, filenames in os.walk(src):
            rel = Path(dirpath).relative_to(src)
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = Path(dirpath) / name
                if name.startswith(".") or not path.resolve().is_relative_to(root):
                    continue
                files[("static" / rel / name).as_posix()] = path
    for rel, path in files.items():
        staging.put(rel, path.read_bytes())
        staging.wanted.add(rel)
    return len(files)


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


Written = tuple[bool, FileStat | None]


class StagedOutput:
    """The engine's ``Output`` for a published build: every page goes into the staging
    tree; one whose bytes are the last build's is hard-linked from the live site, unless
    the live file is not as that build left it (edited by hand), when it is written again.
    With no live file (a fresh clone with only the cache restored), the page is taken
    from the ``Store`` the last build kept beside its memory."""

    def __init__(self, staging: Staging, store: Store | None = None) -> None:
        self.staging = staging
        self.store = store

    def keep(self, rel: str, last: PageMemory) -> PageMemory | None:
        if self._keep_live(rel, last):
            return last
        size = last.stat[1] if last.stat else None
        stored = self.store.page(last.digest, size) if self.store else None
        if stored is None:
            return None
        path, st = stored
        try:
            self.staging.put_link(rel, Path(path))
        except OSError:
            return None
        return dataclasses.replace(last, stat=(st.st_ino, st.st_size, st.st_mtime_ns))

    def _keep_live(self, rel: str, last: PageMemory) -> bool:
        live = self.staging.live
        if live is None:
            return False
        if last.stat is not None:
            try:
                st = os.stat(os.path.join(live, rel))
            except OSError:
                return False
            if (st.st_ino, st.st_size, st.st_mtime_ns) != last.stat:
                return False
        return self.staging.keep_live(rel)

    def write(self, rel: str, data: bytes, last: PageMemory | None, sha: str) -> Written:
        if last is not None and last.digest == sha:
            kept = self.keep(rel, last)
            if kept is not None:
                return False, kept.stat
        self.staging.put(rel, data)
        st = os.stat(os.path.join(self.staging.root, rel))
        return True, (st.st_ino, st.st_size, st.st_mtime_ns)

    def copy_static(
        self, dirs: list[Path], extra: Mapping[str, Path] | None = None
    ) -> tuple[list[str], int]:
        return [], copy_static(self.staging, dirs, extra)

    def read(self, rel: str) -> bytes | None:
        try:
            return safe_join(self.staging.root, rel).read_bytes()
        except (OSError, ValueError):
            return None

    def commit(self, paths: set[str], written: list[str], gone: set[str]) -> list[str]:
        self.staging.wanted.update(paths)
        return sorted(gone)

    def discard(self, written: list[str]) -> None:
        """The staging tree is abandoned by the build as a whole."""
