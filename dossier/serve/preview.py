"""The preview's builds: the same engine as ``build``, with its memory kept in RAM.

A ``Preview`` starts from the memory the last preview session saved (a restart with
nothing changed renders and writes nothing), and after each save runs one step of
``dossier.engine.advance`` into ``.dossier-preview/``: only the briefings the watcher named
are looked at, only the pages whose inputs changed are rendered, and only pages whose bytes
changed are written.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from dossier import memory as memories
from dossier.build import BuildOptions, memory_folder, settings
from dossier.config import CONFIG_FILE, SiteConfig
from dossier.content import BRIEFINGS_DIR, is_briefing_file, rescan, scan, signature_of
from dossier.engine import Halted, advance, summary_of
from dossier.errors import DossierError, Problem
from dossier.freshness import (
    fingerprint_for,
    inputs_digest,
    output_signature,
    remember_last,
    unchanged,
    verified_inputs,
)
from dossier.memory import LastBuild, Memory
from dossier.output import resolve_output
from dossier.parallel import jobs_for
from dossier.serve.folder import PreviewFolder
from dossier.views.search import PendingIndex, start_index

PREVIEW_DIR = ".dossier-preview"
# Files beside briefings that a body may show or link to; saving one looks at every file.
MEDIA_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .svg .avif .pdf .csv .json .txt .mp3 .mp4 .webm".split()
)


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one preview build did, for the log line and the reload message (small: it
    crosses the pipe from the preview's worker process)."""

    rendered: int
    written: tuple[str, ...]
    removed: tuple[str, ...]
    static_written: tuple[str, ...]
    full: bool
    seconds: float
    warnings: tuple[Problem, ...]
    briefings: int
    base_path: str
    phases: tuple[tuple[str, float], ...] = ()
    rendered_paths: tuple[str, ...] = ()
    up_to_date: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.static_written)


def default_preview_dir(project: Path) -> Path:
    return project / PREVIEW_DIR


class Preview:
    """Keeps the last good build's memory in RAM and brings the preview folder up to date."""

    def __init__(self, project: Path, out: Path | None = None, drafts: bool = True) -> None:
        self.project = project.resolve()
        self.out = resolve_output(self.project, out or default_preview_dir(self.project), True)
        self.drafts = drafts
        self.memory: Memory | None = None
        self.folder: PreviewFolder | None = None
        self._config: tuple[tuple[int, int, int, int], SiteConfig] | None = None
        self._last: LastBuild | None = None  # what the last build reported, for save()
        self.index: PendingIndex | None = None  # Pagefind, running after a build
        self.search_due = False  # a build changed the site since the index started

    def build(self, changed: Collection[Path] | None = None) -> Rebuild:
        """Bring the preview up to date; raises DossierError (nothing written) on any error.

        ``changed`` are the files the watcher saw change; when each is a briefing file
        (or under templates/ or static/, or site.yaml), only those briefings are looked
        at, instead of walking the whole content folder."""
        started = time.perf_counter()
        config = self._settings()
        fingerprint = fingerprint_for(self.project, self.drafts, None)
        memory = self.memory
        if memory is None or self.folder is None:  # this session's first build
            memory = memories.load(memory_folder(self.out), fingerprint)
            trusted = memory.last is not None and memory.last.output == output_signature(self.out)
            self.folder = PreviewFolder(self.out, trusted)
            if not trusted:
                memory = dataclasses.replace(memory, pages=memories.Memory().pages, last=None)
            found = scan(self.project)
            inputs = inputs_digest(self.project, fingerprint, config, found)
            if unchanged(memory.last, inputs, self.out):
                self.memory = dataclasses.replace(memory, scan=found)
                self._last = memory.last
                return self._summary(memory, config, started)
        else:
            hinted = None if changed is None else self._briefings_among(changed)
            if hinted is None or memory.scan is None:
                found = scan(self.project)
            else:
                found = rescan(self.project, memory.scan, hinted)
        incremental = memory.site is not None
        if incremental:  # a rebuild allocates little; a collection pause would dominate it
            gc.disable()
        try:
            outcome, memory = advance(
                self.project,
                config,
                fingerprint,
                memory,
                found,
                self.folder,
                drafts=self.drafts,
                jobs=jobs_for(None),
            )
        except Halted as exc:
            self.memory = exc.memory
            self._last = None  # nothing to record until a build succeeds
            raise
        finally:
            if incremental:
                gc.enable()
        # Tens of thousands of long-lived objects (briefings, pages, reads) would be
        # rescanned by every full garbage collection, a 100+ ms pause mid-rebuild.
        gc.freeze()
        self.memory = memory
        self._last = summary_of(outcome)
        self.search_due = True
        return Rebuild(
            rendered=len(outcome.rendered),
            written=outcome.written,
            removed=outcome.removed,
            static_written=outcome.static_written,
            full=outcome.full,
            seconds=time.perf_counter() - started,
            warnings=outcome.warnings,
            briefings=outcome.briefings,
            base_path=config.base_path,
            phases=outcome.phases,
            rendered_paths=outcome.rendered,
        )

    def _summary(self, memory: Memory, config: SiteConfig, started: float) -> Rebuild:
        last = memory.last
        assert last is not None
        return Rebuild(
            0, (), (), (), False, time.perf_counter() - started, last.warnings,
            last.briefings, config.base_path, up_to_date=True,
        )  # fmt: skip

    def start_search(self) -> bool:
        """Index the search documents in the background with Pagefind, reusing the shards
        the memory keeps (``dossier.views.search``); after the pages are written, so it
        never slows a rebuild. One index at a time: a build while one runs is indexed
        when it ends."""
        memory = self.memory
        if self.index is not None or not self.search_due or memory is None:
            return False
        if memory.site is None:
            return False
        self.search_due = False
        # the settings the site was built with: site.yaml may be half-saved right now
        config = memory.site.config
        self.index = start_index(
            self.out,
            memory.site.briefings,
            memory.search,
            memory_folder(self.out).parent / f"{self.out.name}.search-scratch",
            config.language,
            lambda rel: (self.out / rel).is_dir(),
            (config.title, config.description),
        )
        return True

    def poll_search(self, wait: bool = False) -> bool:
        """True when the running index has just finished: its shards joined, the bundle
        module written, its state kept in the memory."""
        index = self.index
        if index is None:
            return False
        if not wait and index.process is not None and index.process.poll() is None:
            return False
        self.index = None
        try:
            state = index.finish()
        except DossierError as exc:
            print(exc.report(), file=sys.stderr, flush=True)
            return False
        if self.memory is not None:
            self.memory = dataclasses.replace(self.memory, search=state)
        return True

    def warm(self) -> None:
        """After a restart that found nothing to do: load the site into RAM while the
        author reads, so the first save is as fast as the others."""
        memory = self.memory
        if memory is None or memory.site is not None or self.folder is None:
            return
        self.build(None)

    def save(self) -> None:
        """Write the memory for the next session, with the up-to-date record (after a
        build, while the author reads: it walks the whole preview folder)."""
        memory, last = self.memory, self._last
        if memory is None or last is None or self.folder is None or memory.scan is None:
            return
        fingerprint = fingerprint_for(self.project, self.drafts, None)
        try:
            config = self._settings()
        except DossierError:
            return  # site.yaml is broken or half-saved: the next build reports it
        inputs = verified_inputs(self.project, fingerprint, config, memory.scan, memory)
        recorded = remember_last(memory, last, inputs, self.out)
        self.memory = memories.save(memory_folder(self.out), recorded)

    def _settings(self) -> SiteConfig:
        """site.yaml, read again only when its signature changed."""
        try:
            sig = signature_of((self.project / CONFIG_FILE).stat())
        except OSError:
            sig = (0, 0, 0, 0)
        if self._config is None or self._config[0] != sig:
            self._config = (sig, settings(self.project, BuildOptions(drafts=self.drafts)))
        return self._config[1]

    def _briefings_among(self, changed: Collection[Path]) -> list[str] | None:
        """The briefing files among ``changed``, or None when a full scan is needed
        (a folder changed, a symlink, or a path we cannot classify)."""
        out = []
        briefings = self.project / BRIEFINGS_DIR
        for path in changed:
            if path.is_symlink() or path.is_dir():
                return None
            if path.parent == briefings or briefings in path.parents:
                if not is_briefing_file(path.name):
                    if not path.suffix and not path.exists():
                        return None  # perhaps a deleted folder
                    if path.suffix.lower() in MEDIA_SUFFIXES:
                        return None  # an image a body shows: look at every briefing
                    continue
                out.append(path.relative_to(self.project).as_posix())
            elif not path.is_relative_to(self.project) or path == self.project:
                return None
        return out


__all__ = ["PREVIEW_DIR", "Preview", "Rebuild"]
