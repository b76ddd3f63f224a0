"""The preview's folder, ``.dossier-preview/``: pages replaced in place, never half-seen.

Unlike a published build, the preview does not build a whole new tree per save: each
changed page is written beside its old self, and once every page of the build has
rendered, each is renamed over the old one (a request sees the old page or the new,
never a mix of one file). A failed build renames nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from dossier.content import tree_signatures
from dossier.memory import PageMemory
from dossier.output import MARKER, Written, safe_join

PENDING = ".dossier-new"


class PreviewFolder:
    """The engine's ``Output`` for the preview (see ``dossier.engine.Output``)."""

    def __init__(self, out: Path, trusted: bool) -> None:
        """``trusted``: the folder is as the last preview left it (its signature says so);
        otherwise it is emptied and marked."""
        self.out = out
        self.static: dict[str, tuple[int, int, int, int]] = {}
        if not trusted or not (out / MARKER).is_file():
            self.reset()

    def reset(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for child in self.out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        (self.out / MARKER).write_text(
            "This folder is Dossier's preview (python build.py serve); it is rewritten freely.\n"
        )
        self.static = {}

    def keep(self, rel: str, last: PageMemory) -> PageMemory | None:
        return last  # the preview's own folder: what it wrote last is still there

    def write(self, rel: str, data: bytes, last: PageMemory | None, sha: str) -> Written:
        if last is not None and last.digest == sha:
            return False, None
        target = safe_join(self.out, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        pending = target.with_name(target.name + PENDING)
        pending.write_bytes(data)
        os.chmod(pending, 0o644)
        return True, None

    def read(self, rel: str) -> bytes | None:
        """A page of this build: its new bytes if it was written, else the last ones."""
        try:
            target = safe_join(self.out, rel)
            pending = target.with_name(target.name + PENDING)
            return (pending if pending.exists() else target).read_bytes()
        except (OSError, ValueError):
            return None

    def commit(self, paths: set[str], written: list[str], gone: set[str]) -> list[str]:
        for rel in written:
            target = safe_join(self.out, rel)
            os.replace(target.with_name(target.name + PENDING), target)
        for rel in gone:
            target = safe_join(self.out, rel)
            target.unlink(missing_ok=True)
            parent = target.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        return sorted(gone)

    def discard(self, written: list[str]) -> None:
        for rel in written:
            target = safe_join(self.out, rel)
            target.with_name(target.name + PENDING).unlink(missing_ok=True)

    def copy_static(
        self, dirs: list[Path], extra: Mapping[str, Path] | None = None
    ) -> tuple[list[str], int]:
        """Copy changed static files to static/ (later folders win), and the ``extra``
        files (the media); drop deleted ones."""
        wanted: dict[str, Path] = {}
        sigs: dict[str, tuple[int, int, int, int]] = {}
        for rel, path in (extra or {}).items():
            try:
                st = path.stat()
            except OSError:
                continue
            wanted[rel] = path
            sigs[rel] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        for src in dirs:
            root = src.resolve()
            for path_str, sig in tree_signatures([src]).items():
                path = Path(path_str)
                if not path.resolve().is_relative_to(root):
                    continue
                rel = "static/" + path.relative_to(src).as_posix()
                wanted[rel] = path
                sigs[rel] = sig
        changed = []
        for rel, path in wanted.items():
            if self.static.get(rel) == sigs[rel]:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            target = safe_join(self.out, rel)
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
            write_atomic(target, data)
            changed.append(rel)
        for rel in set(self.static) - set(wanted):
            safe_join(self.out, rel).unlink(missing_ok=True)
            changed.append(rel)
        self.static = sigs
        return sorted(changed), len(wanted)


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers see old or new, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
