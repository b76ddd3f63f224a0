"""`build` and `check`: the published site, from the memory of the last build.

A build is a straight line: settings → the up-to-date check → the last build's memory →
one step of the incremental engine into a staging tree (with the search index built
alongside) → the swap → the new memory saved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dossier import memory as memories
from dossier.briefing import renderer_for
from dossier.config import SiteConfig, load_config
from dossier.content import scan
from dossier.engine import Halted, Outcome, advance, load, plan_pages, summary_of
from dossier.entities import load_entities
from dossier.errors import DossierError, Problem, Problems
from dossier.freshness import (
    fingerprint_for,
    inputs_digest,
    remember_last,
    unchanged,
    verified_inputs,
)
from dossier.links import anchor_pages, check_anchors, check_links
from dossier.memory import Memory
from dossier.output import StagedOutput, Staging, build_lock, clean_stale, resolve_output
from dossier.parallel import jobs_for
from dossier.render import make_environments, render_page
from dossier.site import Site, assemble, published
from dossier.store import Store
from dossier.views.search import PendingIndex, SearchState, start_index
from dossier.views.sharecards import SHARE_CARD


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    output: Path | None = None
    base_url: str | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int | None = None  # worker processes; None: one per core
    use_cache: bool = True  # False: neither read nor write the memory of the last build


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Path
    site: Site | None  # None when nothing changed and the build did not load the site
    pages: int
    static_files: int
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0
    briefings: int = 0
    scheduled: tuple[tuple[str, dt.date], ...] = ()  # left out: dated after today

    @property
    def up_to_date(self) -> bool:
        return self.site is None


def memory_folder(out: Path) -> Path:
    """``.dossier-cache/<output name>/`` beside the output folder."""
    return out.parent / ".dossier-cache" / out.name


def settings(project: Path, options: BuildOptions) -> SiteConfig:
    config = load_config(project)
    if options.base_url:
        config = dataclasses.replace(config, base_url=options.base_url)
    return config


def build_site(project: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    try:
        return _build(project.resolve(), options)
    finally:
        gc.unfreeze()  # a long-lived caller (a test run) gets the collector back for them


def _build(project: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    config = settings(project, options)
    out = resolve_output(
        project, options.output or config.output_dir, from_option=options.output is not None
    )
    fingerprint = fingerprint_for(project, options.drafts, options.base_url)
    folder = memory_folder(out) if options.use_cache else None
    with build_lock(out):
        found = scan(project)
        last = memories.load_last(folder, fingerprint) if folder else None
        if last and unchanged(last, inputs_digest(project, fingerprint, config, found), out):
            assert last is not None
            return BuildResult(
                out, None, last.pages, last.statics, last.warnings,
                time.perf_counter() - started, 0, last.briefings, last.scheduled,
            )  # fmt: skip
        memory = memories.load(folder, fingerprint)
        gc.freeze()  # what was loaded lives as long as the build: no collection rescans it
        clean_stale(out)
        staging = Staging(out)
        store = Store(folder) if folder is not None else None
        search = SiteSearch(staging, out, config, store)
        try:
            outcome, memory = advance(
                project,
                config,
                fingerprint,
                memory,
                found,
                StagedOutput(staging, store),
                drafts=options.drafts,
                jobs=jobs_for(options.jobs),
                search=search,
                progress=options.progress,
            )
            staging.swap()
        except BaseException:
            staging.abandon()
            raise
        if folder is not None:
            try:
                # for the next build that finds no live site (a fresh clone)
                pages = {rel: pm.digest for rel, pm in memory.pages.items()}
                Store(folder).keep(out, pages, (s.name for s in memory.search.shards))
                inputs = verified_inputs(project, fingerprint, config, found, memory)
                memories.save(folder, remember_last(memory, summary_of(outcome), inputs, out))
            except (OSError, pickle.PicklingError, TypeError) as exc:  # the site is built;
                print(f"warning: could not save the build's memory ({exc})", file=sys.stderr)
    return result_of(out, outcome, time.perf_counter() - started)


def result_of(out: Path, outcome: Outcome, seconds: float) -> BuildResult:
    return BuildResult(
        out,
        outcome.site,
        outcome.pages,
        outcome.static_files,
        outcome.warnings,
        seconds,
        len(outcome.rendered),
        outcome.briefings,
        outcome.scheduled,
    )


class SiteSearch:
    """Pagefind's shards for a published build: kept from the live site where their
    briefings did not change, the others indexed in the background while pages render."""

    def __init__(
        self, staging: Staging, out: Path, config: SiteConfig, store: Store | None = None
    ) -> None:
        self.staging, self.out, self.config, self.store = staging, out, config, store
        self.pending: PendingIndex | None = None

    def reusable(self, rel: str) -> bool:
        """A shard kept as it is: from the live site, or else from the store."""
        if self.staging.keep_live_tree(rel):
            return True
        kept = self.store.shard(rel.removeprefix("pagefind/")) if self.store else None
        return kept is not None and self.staging.put_tree(rel, kept)

    def start(self, site: Site, previous: SearchState) -> None:
        self.pending = start_index(
            self.staging.root,
            site.briefings,
            previous,
            self.out.parent / f".{self.out.name}.staging-search-{os.getpid()}",
            self.config.language,
            self.reusable,
            (self.config.title, self.config.description),
        )

    def finish(self) -> SearchState:
        assert self.pending is not None
        state = self.pending.finish()
        self.staging.claim_tree("pagefind")
        return state

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()


def load_site(project: Path, options: BuildOptions = BuildOptions()) -> tuple[Site, list[Problem]]:
    """Settings, briefings and site, validated, with no memory: raises DossierError with
    every problem."""
    project = project.resolve()
    config = settings(project, options)
    found = scan(project)
    files, _, problems = load(
        found, Memory(), config, jobs_for(options.jobs), options.progress, project
    )
    collected = Problems()
    collected.extend(problems)
    collected.raise_if_errors()
    entities, entity_problems = load_entities(project)
    collected.extend(entity_problems)
    collected.raise_if_errors()
    briefings = [f.briefing for f in files.values() if f.briefing is not None]
    site = assemble(config, published(briefings, config, options.drafts), entities)
    return site, collected.warnings + list(site.warnings)


def check_site(project: Path, options: BuildOptions = BuildOptions()) -> list[Problem]:
    """Validate everything a build would, render every template page in memory, write
    nothing. Returns the warnings, including amounts and dates in bodies that no
    annotation covers."""
    project = project.resolve()
    site, warnings = load_site(project, dataclasses.replace(options, drafts=True))
    envs = make_environments(project, site.config)
    pages = plan_pages(site)  # machine files are made while planning
    shown = {b.path for b in published(site.briefings, site.config, options.drafts)}
    broken = check_links(site, pages, project, shown)
    if broken:
        raise DossierError(broken)
    wanted = anchor_pages(site, pages)
    rendered: dict[str, bytes] = {}
    for page in pages:
        if page.template == SHARE_CARD:  # a picture: nothing in it to check
            continue
        data = render_page(envs[page.lang], site, page)
        if page.path in wanted:  # only what an anchor is checked against is kept
            rendered[page.path] = data
    broken = check_anchors(site, pages, rendered.get)
    if broken:
        raise DossierError(broken)
    return sorted(warnings + coverage_warnings(project))


def coverage_warnings(project: Path) -> list[Problem]:
    from dossier.content import read_regular
    from dossier.frontmatter import decode, split
    from dossier.markdown.coverage import find_uncovered

    scratch = Problems()
    found: list[Problem] = []
    for rel, file in scan(project).files.items():
        text = decode(read_regular(file.path), rel, scratch)
        parts = split(text, rel, scratch) if text is not None else None
        if parts is not None:
            found.extend(find_uncovered(parts.body, path=rel, first_line=parts.body_first_line))
    return found


__all__ = [
    "BuildOptions",
    "BuildResult",
    "DossierError",
    "Halted",
    "build_site",
    "check_site",
    "load_site",
    "renderer_for",
]
