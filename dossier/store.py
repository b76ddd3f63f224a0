"""The last build's pages and search shards, kept beside its memory by digest.

A build keeps a page it need not render by linking the live site's file into the new
tree. A deploy in CI has no live site: it starts from a fresh clone with only
``.dossier-cache/`` restored. So every published file is also kept here, as a hard link
to the live file (no second copy on disk), named by its bytes' digest; the search shards
likewise, by name. A build that finds no live file takes the page from here, and one that
finds no live shard takes the shard from here, instead of rendering or indexing again.

Only what the last build published is kept: each build drops the digests and shards it no
longer has. The files are Dossier's own, beside the output, trusted as the memory is; a
page is taken only when its size is the one the memory recorded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

PAGES, SHARDS = "pages", "pagefind"


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages = folder / PAGES
        self.shards = folder / SHARDS

    def page(self, digest: str, size: int | None) -> tuple[str, os.stat_result] | None:
        """The kept file with these bytes and its stat, or None."""
        path = os.path.join(self.pages, digest)
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (path, st) if size is None or st.st_size == size else None

    def shard(self, name: str) -> Path | None:
        path = self.shards / name
        return path if path.is_dir() else None

    def keep(self, out: Path, pages: Mapping[str, str], shards: Iterable[str]) -> None:
        """After a build: every published page (path → digest) and search shard, linked
        from ``out``; whatever the build no longer has goes."""
        self.pages.mkdir(parents=True, exist_ok=True)
        have = set(os.listdir(self.pages))
        wanted: set[str] = set()
        for rel, digest in pages.items():
            wanted.add(digest)
            if digest in have:
                continue
            with contextlib.suppress(OSError):  # a page on another file system: rendered
                os.link(os.path.join(out, rel), os.path.join(self.pages, digest))
                have.add(digest)
        for name in have - wanted:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.pages, name))
        self.shards.mkdir(parents=True, exist_ok=True)
        kept = {p.name for p in self.shards.iterdir() if p.is_dir()}
        names = set(shards)
        for name in names - kept:
            source = out / "pagefind" / name
            if source.is_dir():
                link_tree(source, self.shards / name)
        for name in kept - names:
            shutil.rmtree(self.shards / name, ignore_errors=True)


def link_tree(source: Path, target: Path) -> bool:
    """``target`` as a copy of the folder ``source`` made of hard links (same file
    system); False, and no ``target``, when it cannot be made."""
    shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True
