"""Incremental, in-process rebuilds for the preview server.

A full build re-reads and re-renders every briefing; at 5,000 briefings that is
minutes. The preview keeps each briefing's loaded result keyed by its file's
stat signature and content hash, re-loads only files that changed, re-renders
only the pages whose inputs changed (the changed briefing's own page plus every
site-wide page: index, planner views, 404), and writes only files whose bytes
changed. A change to site.yaml or a template re-renders everything.

Nothing is written until every page has rendered, so a failed build leaves the
last good preview untouched; each file is replaced atomically, so a request
never reads half a page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2

from dossier.briefing import Briefing, load_briefing
from dossier.build import (
    BRIEFINGS_DIR,
    cache_folder,
    discover,
    is_briefing_file,
    published,
    renderer_for,
)
from dossier.cache import BuildCache, build_fingerprint
from dossier.config import CONFIG_FILE, SiteConfig, load_config
from dossier.errors import DossierError, Problem, Problems
from dossier.markdown import BodyRenderer
from dossier.output import MARKER, resolve_output, safe_join
from dossier.parallel import PARALLEL_FROM, jobs_for, load_all
from dossier.render import (
    Page,
    make_environment,
    plan_pages,
    render_pages,
    static_dirs,
    template_dirs,
)
from dossier.serve.deps import Comparison, Reads, Tracker
from dossier.site import Site, assemble
from dossier.views.plan import plan_content_pages

PREVIEW_DIR = ".dossier-preview"
Signature = tuple[int, int, int]
MEMOIZED_FILTERS = ("day", "partial_date", "money")


@dataclass(frozen=True, slots=True)
class Loaded:
    """One briefing file as last read: its signature, content hash and outcome."""

    signature: Signature
    digest: bytes
    briefing: Briefing | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one rebuild did, for the log line and the reload message."""

    rendered: int
    written: tuple[str, ...]
    removed: tuple[str, ...]
    static_written: tuple[str, ...]
    full: bool
    seconds: float
    warnings: tuple[Problem, ...]
    site: Site
    phases: tuple[tuple[str, float], ...] = ()
    rendered_paths: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.static_written)


class Clock:
    """Seconds spent in each phase of a rebuild, for the log and the benchmark."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self._last))
        self._last = now


def signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def tree_signatures(roots: Iterable[Path]) -> dict[str, Signature]:
    """Stat signatures of every non-hidden file under ``roots`` (for change detection)."""
    sigs: dict[str, Signature] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                sig = signature(Path(path))
                if sig is not None:
                    sigs[path] = sig
    return sigs


def default_preview_dir(project: Path) -> Path:
    return project / PREVIEW_DIR


class Builder:
    """Keeps the last good build in memory and brings the preview folder up to date."""

    def __init__(self, project: Path, out: Path | None = None, drafts: bool = True) -> None:
        self.project = project.resolve()
        self.out = resolve_output(self.project, out or default_preview_dir(self.project), True)
        self.drafts = drafts
        self._config: SiteConfig | None = None
        self._config_sig: Signature | None = None
        self._template_sigs: dict[str, Signature] | None = None
        self._static_sigs: dict[str, Signature] = {}
        self._env: jinja2.Environment | None = None
        self._renderer: BodyRenderer | None = None
        self._loaded: dict[str, Loaded] = {}
        self._pages: dict[str, Page] = {}
        self._digests: dict[str, bytes] = {}
        self._started = False
        self._need_full = True
        self._discovery_problems: tuple[Problem, ...] = ()
        self._tracker: Tracker | None = None
        self._reads: dict[str, Reads] = {}
        self._site: Site | None = None

    def build(self, changed: Collection[Path] | None = None) -> Rebuild:
        """Bring the preview up to date; raises DossierError (nothing written) on any error.

        ``changed`` are the files the watcher saw change; when each is a briefing file
        (or under templates/ or static/, or site.yaml), only those briefings are looked
        at, instead of walking and stat-ing the whole content folder."""
        incremental = self._site is not None
        if incremental:  # a rebuild allocates little; a collection pause would dominate it
            gc.disable()
        try:
            return self._build(changed)
        finally:
            if incremental:
                gc.enable()

    def _build(self, changed: Collection[Path] | None) -> Rebuild:
        started = time.perf_counter()
        clock = Clock()
        self._need_full |= self._refresh_config_and_templates()
        full = self._need_full
        config, env, renderer = self._config, self._env, self._renderer
        assert config is not None and env is not None and renderer is not None
        clock.lap("config")
        problems = Problems()
        hinted = None if full or changed is None else self._briefings_among(changed)
        if hinted is None:
            self._load_all(problems, config, renderer)
        else:
            problems.extend(self._discovery_problems)
            for rel, path in hinted:
                if path.is_file():
                    self._load(rel, path, config, renderer)
                else:
                    self._loaded.pop(rel, None)
        for loaded in self._loaded.values():
            problems.extend(loaded.problems)
        problems.raise_if_errors()
        clock.lap("load")
        briefings = [x.briefing for x in self._loaded.values() if x.briefing is not None]
        shown = published(briefings, config, self.drafts)
        fast = None if full else self._same_front_matter(config, shown)
        if fast is not None:
            site, pages = fast
        else:
            site = assemble(config, shown)
            pages = plan_pages(site)
        if full or self._site is None:
            todo = pages
        else:
            comparison = Comparison(self._site, site)
            todo = [p for p in pages if not self._unchanged(p, comparison)]
        clock.lap("plan")
        rendered, reads = self._render(env, site, todo)
        clock.lap("render")
        if not self._started:
            self._reset_output()
        written = self._write_pages(rendered)
        current = {p.path for p in pages}
        removed = self._remove_pages(set(self._pages) - current)
        self._pages = {p.path: p for p in pages}
        self._reads = {path: reads.get(path) or self._reads[path] for path in self._pages}
        self._site = site
        static_written = self._sync_static()
        self._need_full = False
        # Tens of thousands of long-lived objects (briefings, pages, reads) would be
        # rescanned by every full garbage collection, a 100+ ms pause mid-rebuild.
        gc.freeze()
        clock.lap("write")
        return Rebuild(
            rendered=len(rendered),
            written=tuple(written),
            removed=tuple(removed),
            static_written=tuple(static_written),
            full=full,
            seconds=time.perf_counter() - started,
            warnings=tuple(problems.warnings),
            site=site,
            phases=tuple(clock.laps),
            rendered_paths=tuple(path for path, _ in rendered),
        )

    def _load_all(self, problems: Problems, config: SiteConfig, renderer: BodyRenderer) -> None:
        files = discover(self.project, problems)
        unknown = [(rel, path) for rel, path in files if rel not in self._loaded]
        if len(unknown) >= PARALLEL_FROM:
            self._load_many(unknown, config)
        seen: set[str] = set()
        for rel, path in files:
            seen.add(rel)
            self._load(rel, path, config, renderer)
        for rel in set(self._loaded) - seen:
            del self._loaded[rel]
        self._discovery_problems = tuple(problems)

    def _briefings_among(self, changed: Collection[Path]) -> list[tuple[str, Path]] | None:
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
                    continue
                out.append((path.relative_to(self.project).as_posix(), path))
            elif not path.is_relative_to(self.project) or path == self.project:
                return None
        return out

    def _refresh_config_and_templates(self) -> bool:
        """Reload site.yaml and the Jinja environment when either changed; True means
        every page must be rendered again."""
        config_sig = signature(self.project / CONFIG_FILE)
        template_sigs = tree_signatures(template_dirs(self.project))
        full = self._config is None
        if config_sig != self._config_sig or self._config is None:
            config = load_config(self.project)
            self._config_sig = config_sig
            if config != self._config:
                self._config = config
                self._renderer = renderer_for(config)
                self._loaded.clear()
                full = True
        if template_sigs != self._template_sigs or full:
            self._env = memoize_filters(make_environment(self.project, self._config))
            self._tracker = Tracker(self._env)
            self._template_sigs = template_sigs
            full = True
        return full

    def _same_front_matter(
        self, config: SiteConfig, shown: list[Briefing]
    ) -> tuple[Site, list[Page]] | None:
        """When only bodies changed, the site-wide views cannot have: reuse the last site
        and page list with the new briefings swapped in, instead of assembling and planning
        the whole site again (most of a rebuild's time on a large site)."""
        old = self._site
        if old is None or old.config != config or len(shown) != len(old.briefings):
            return None
        new_by_path = {b.path: b for b in shown}
        for b in old.briefings:
            new = new_by_path.get(b.path)
            if new is None or new.meta_hash != b.meta_hash or not b.meta_hash:
                return None
        swap = lambda b: new_by_path[b.path]  # noqa: E731
        site = dataclasses.replace(
            old,
            briefings=tuple(map(swap, old.briefings)),
            by_slug=MappingProxyType({k: swap(b) for k, b in old.by_slug.items()}),
            tags=MappingProxyType({k: tuple(map(swap, bs)) for k, bs in old.tags.items()}),
        )
        fresh = {p.path: p for p in plan_content_pages(site)}
        pages = []
        for page in self._pages.values():
            if page.path in fresh:
                page = fresh[page.path]
            elif page.briefing is not None and page.briefing is not swap(page.briefing):
                page = dataclasses.replace(page, briefing=swap(page.briefing))
            pages.append(page)
        return site, pages

    def _load_many(self, files: list[tuple[str, Path]], config: SiteConfig) -> None:
        """The first load of a large site: on every core, and from the build cache that
        earlier serve sessions left, so a restart does not convert every body again."""
        fingerprint = build_fingerprint(
            (self.project / CONFIG_FILE).read_bytes(), "preview", f"drafts={self.drafts}"
        )
        cache = BuildCache.open(cache_folder(self.out), fingerprint)
        sigs = {rel: signature(path) for rel, path in files}
        briefings, _, _ = load_all(files, config, renderer_for, cache, jobs_for(None))
        for rel, (_, briefing, found) in cache.briefings.items():
            self._loaded[rel] = Loaded(sigs.get(rel) or (0, 0, 0), b"", briefing, tuple(found))
        with contextlib.suppress(OSError):
            cache.save()

    def _load(self, rel: str, path: Path, config: SiteConfig, renderer: BodyRenderer) -> None:
        sig = signature(path)
        old = self._loaded.get(rel)
        if old is not None and old.signature == sig:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            problem = Problem(rel, None, "", f"cannot read: {exc.strerror}", "check the file")
            self._loaded[rel] = Loaded(sig or (0, 0, 0), b"", None, (problem,))
            return
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if old is not None and old.digest == digest:
            self._loaded[rel] = dataclasses.replace(old, signature=sig or (0, 0, 0))
            return
        briefing, found = load_briefing(rel, data, config, renderer)
        self._loaded[rel] = Loaded(sig or (0, 0, 0), digest, briefing, tuple(found))

    def _unchanged(self, page: Page, comparison: Comparison) -> bool:
        old, reads = self._pages.get(page.path), self._reads.get(page.path)
        if page.body is not None:  # a machine file, made in Python while planning
            return old is not None and old.body == page.body
        return old is not None and reads is not None and comparison.unchanged(reads, old, page)

    def _render(
        self, env: jinja2.Environment, site: Site, todo: list[Page]
    ) -> tuple[list[tuple[str, bytes]], dict[str, Reads]]:
        """Render ``todo`` in order, noting what each page reads as it renders."""
        tracker = self._tracker
        assert tracker is not None
        rendered: list[tuple[str, bytes]] = []
        reads: dict[str, Reads] = {}
        pages = render_pages(env, site, todo)
        try:
            for page in todo:
                tracker.current = reads[page.path] = Reads()
                rendered.append(next(pages))
        finally:
            tracker.current = None
            pages.close()
        return rendered, reads

    def _reset_output(self) -> None:
        """Start from an empty preview folder that carries Dossier's marker."""
        self.out.mkdir(parents=True, exist_ok=True)
        for child in self.out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        (self.out / MARKER).write_text(
            "This folder is Dossier's preview (python build.py serve); it is rewritten freely.\n"
        )
        self._started = True

    def _write_pages(self, rendered: list[tuple[str, bytes]]) -> list[str]:
        written = []
        for rel, data in rendered:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if self._digests.get(rel) == digest:
                continue
            write_atomic(safe_join(self.out, rel), data)
            self._digests[rel] = digest
            written.append(rel)
        return written

    def _remove_pages(self, gone: set[str]) -> list[str]:
        for rel in gone:
            self._digests.pop(rel, None)
            target = safe_join(self.out, rel)
            target.unlink(missing_ok=True)
            parent = target.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        return sorted(gone)

    def _sync_static(self) -> list[str]:
        """Copy changed static files to /static/ (later folders win); drop deleted ones."""
        wanted: dict[str, Path] = {}
        sigs: dict[str, Signature] = {}
        for src in static_dirs(self.project):
            root = src.resolve()
            for path_str, sig in tree_signatures([src]).items():
                path = Path(path_str)
                if not path.resolve().is_relative_to(root):
                    continue
                rel = "static/" + path.relative_to(src).as_posix()
                wanted[rel] = path
                sigs[rel] = sig
        written = []
        for rel, path in wanted.items():
            if self._static_sigs.get(rel) == sigs[rel]:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            write_atomic(safe_join(self.out, rel), data)
            written.append(rel)
        for rel in set(self._static_sigs) - set(wanted):
            safe_join(self.out, rel).unlink(missing_ok=True)
            written.append(rel)
        self._static_sigs = sigs
        return sorted(written)


def memoize_filters(env: jinja2.Environment) -> jinja2.Environment:
    """Babel formatting costs ~50 µs a call and the index formats every briefing's date
    on every rebuild; within one environment (one config) the answers never change."""
    for name in MEMOIZED_FILTERS:
        if name in env.filters:
            env.filters[name] = _memo(env.filters[name])
    return env


def _memo(fn: Callable[..., Any]) -> Callable[..., Any]:
    cache: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            return fn(*args, **kwargs)
        try:
            return cache[args]
        except KeyError:
            value = cache[args] = fn(*args)
            return value
        except TypeError:  # unhashable
            return fn(*args)

    return call


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers see old or new, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


__all__ = ["PREVIEW_DIR", "Builder", "DossierError", "Rebuild"]
