"""The incremental engine: one code path, for ``build`` and for ``serve``, decides what to
reload, re-plan and re-render.

``advance(memory, …) -> (outcome, memory)`` runs the stages in order, each taking the last
build's part of the ``Memory`` and returning its new part:

1. **load**: a briefing file whose signature (or, failing that, bytes) is unchanged keeps
   its last ``Briefing``; the others are read, validated and converted, on every core;
2. **assemble**: when no front matter changed and the last ``Site`` is in RAM (the
   preview), it is reused with the new briefings swapped in; otherwise assembled, with the
   aid totals reused while their key is the same;
3. **plan**: template pages are planned; machine files (feeds, exports, sitemap) are
   reused while their key is the same;
4. **decide**: a page is rendered again when it is new, the templates changed, or
   something it read (``dossier.reads``) has another fingerprint: a briefing's front
   matter or body, an attribute of the site, its own planned value, or today's answer to
   ``is future``;
5. **render** what must be, on every core, into the ``Output`` (the build's staging tree
   or the preview's folder), which keeps the rest as it is.

Stopping with errors raises ``Halted``, which carries the memory of what was loaded, so
the preview does not read every file again after a fix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

import jinja2

from dossier.briefing import Briefing, read_briefing, renderer_for
from dossier.config import SiteConfig
from dossier.content import (
    Scan,
    read_regular,
    static_dirs,
    template_dirs,
)
from dossier.entities import Entities, load_entities
from dossier.errors import DossierError, Problem
from dossier.hashing import digest, tree_digest
from dossier.links import check_anchors, check_links, media_files
from dossier.markdown.links import stamp
from dossier.memory import (
    FileMemory,
    FileStat,
    LastBuild,
    Memory,
    PageMemory,
    Remembered,
    Renderer,
    Seen,
    no_gc,
)
from dossier.output import Written
from dossier.page import Page
from dossier.parallel import map_in_batches
from dossier.reads import Reads, Tracker, today_moved, value_fingerprint
from dossier.render import make_environments, render_page
from dossier.site import (
    Site,
    assemble,
    published,
    refreshed,
    site_value,
    with_current_briefings,
)
from dossier.totals import AidTotals
from dossier.views.plan import (
    front_matter_key,
    machine_plans,
    plan_sitemap,
    plan_views,
    sitemap_key,
)
from dossier.views.record import rebinder
from dossier.views.search import SearchState

SITEMAP = "sitemap"


class Output(Protocol):
    """Where pages go: the build's staging tree or the preview's folder."""

    def keep(self, rel: str, last: PageMemory) -> PageMemory | None:
        """Leave the last build's file as it is (or put it back from where it was kept):
        what to remember of it now, or None when it cannot be had without rendering."""

    def write(self, rel: str, data: bytes, last: PageMemory | None, sha: str) -> Written:
        """Put a page (``last``: what the last build wrote there, ``sha``: the new bytes'
        digest); returns whether bytes were written, and the file's stat. May run in a
        worker process."""

    def copy_static(
        self, dirs: list[Path], extra: Mapping[str, Path] = MappingProxyType({})
    ) -> tuple[list[str], int]:
        """The static folders, under static/ (later folders win), and ``extra`` files
        (output path → source: the media); returns what changed, and how many there are."""

    def read(self, rel: str) -> bytes | None:
        """A page of this build, as it will be published (None when there is none)."""

    def commit(self, paths: set[str], written: list[str], gone: set[str]) -> list[str]:
        """Every page is in: make them the output, without ``gone``; returns what went."""

    def discard(self, written: list[str]) -> None:
        """A page failed: nothing this build wrote may become visible."""


class Search(Protocol):
    """The search index, built alongside the pages (the build's Pagefind shards)."""

    def start(self, site: Site, previous: SearchState) -> None: ...

    def finish(self) -> SearchState: ...

    def cancel(self) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """What one build did: for the command's summary, the preview's log and reloads."""

    site: Site | None  # None when nothing had changed and the site was not loaded
    pages: int
    briefings: int
    rendered: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    static_written: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    full: bool = False  # nothing of the last build's pages could be kept
    phases: tuple[tuple[str, float], ...] = ()
    static_files: int = 0
    scheduled: tuple[tuple[str, dt.date], ...] = ()  # left out: dated after today

    @property
    def up_to_date(self) -> bool:
        return self.site is None

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.static_written)


class Halted(DossierError):
    """Errors stopped the build; ``memory`` holds what was loaded before they did."""

    def __init__(self, problems: Iterable[Problem], memory: Memory) -> None:
        super().__init__(problems)
        self.memory = memory


class Clock:
    """Seconds spent in each stage, for the log and the benchmark."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self._last))
        self._last = now


def summary_of(outcome: Outcome) -> LastBuild:
    """What a build reports, for the up-to-date check to report again."""
    return LastBuild(
        "",
        "",
        outcome.pages,
        outcome.static_files,
        outcome.briefings,
        outcome.warnings,
        outcome.scheduled,
    )


# The stages -----------------------------------------------------------------------------


def advance(
    project: Path,
    config: SiteConfig,
    fingerprint: str,
    memory: Memory,
    scan: Scan,
    output: Output,
    *,
    drafts: bool = False,
    jobs: int = 1,
    search: Search | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Outcome, Memory]:
    """One build from ``memory`` to the next; raises ``Halted`` with every problem."""
    clock = Clock()
    if memory.fingerprint != fingerprint:
        memory = Memory(fingerprint)  # another Dossier, site.yaml or options: keep nothing
    files, signatures, problems = load(scan, memory, config, jobs, progress, project)
    entities, entity_problems = load_entities(project)
    problems += entity_problems
    parsed = {rel: (signatures[rel], entry) for rel, entry in files.items()}
    loaded = dataclasses.replace(memory, parsed=MappingProxyType(parsed), scan=scan)
    if any(p.severity == "error" for p in problems):
        raise Halted(problems, loaded)
    clock.lap("load")
    briefings = [f.briefing for f in files.values() if f.briefing is not None]
    shown = published(briefings, config, drafts)
    scheduled = scheduled_of(briefings, shown)
    # Assembling and planning make a few hundred thousand objects that live as long as the
    # build and hold no cycles: a collection then would rescan them all for nothing (a
    # second at 5,000 briefings). What is made is frozen out of the collector after.
    with no_gc():
        try:
            site, views, totals, swapped = site_and_views(config, entities, shown, memory)
        except DossierError as exc:
            raise Halted(exc.problems, loaded) from None
        front_matter = front_matter_key(site)
        pages, plans, fresh = machine_files(site, front_matter, views, memory)
    gc.freeze()
    broken = check_links(site, pages, project)
    if broken:
        raise Halted(broken, loaded)
    clock.lap("plan")
    templates = tree_digest(template_dirs(project))
    renderer, key = memory.renderer, digest(templates, repr(config))
    if renderer is None or renderer.key != key:
        trackers: dict[int, tuple[jinja2.Environment, Tracker]] = {}
        envs = {
            lang: trackers.setdefault(id(env), (env, Tracker(env)))
            for lang, env in make_environments(project, config).items()
        }
        renderer = Renderer(key, MappingProxyType(envs))
    today = config.today()
    todo, kept, site_fps = decide(
        site, pages, memory, files, output, templates, front_matter, today, fresh
    )
    clock.lap("decide")
    if search is not None:
        search.start(site, memory.search)
    try:
        rendered, failed = render(renderer, site, todo, memory.pages, output, jobs, swapped)
        if not failed:
            failed = check_anchors(site, pages, output.read)
        if failed:
            output.discard([path for path, _, wrote in rendered if wrote])
            raise Halted(failed, loaded)
        statics, static_count = output.copy_static(
            static_dirs(project), media_files(project, config, site)
        )
        search_state = search.finish() if search is not None else memory.search
    except BaseException:
        if search is not None:
            search.cancel()
        raise
    clock.lap("render")
    for _, pm, _ in rendered:
        for attr in pm.reads.site if pm.reads else ():
            if attr not in site_fps:
                site_fps[attr] = value_fingerprint(site_value(site, attr))
    new_pages = {**kept, **{path: pm for path, pm, _ in rendered}}
    new_pages = {p.path: new_pages[p.path] for p in pages}  # the site's order, no others
    gone = set(memory.pages) - set(new_pages)
    written = [path for path, _, wrote in rendered if wrote]
    removed = output.commit(set(new_pages), written, gone)
    clock.lap("write")
    outcome = Outcome(
        site=site,
        pages=len(pages),
        briefings=len(site.briefings),
        rendered=tuple(p.path for p, _ in todo if p.body is None),
        written=tuple(written),
        removed=tuple(sorted(removed)),
        static_written=tuple(statics),
        warnings=tuple(p for p in problems if p.severity == "warning") + site.warnings,
        full=memory.templates != templates or not memory.pages,
        phases=tuple(clock.laps),
        static_files=static_count,
        scheduled=scheduled,
    )
    return outcome, dataclasses.replace(
        memory,
        files=files,
        signatures=signatures,
        parsed=MappingProxyType({}),
        scan=scan,
        totals=totals,
        plans=MappingProxyType(plans),
        templates=templates,
        front_matter=front_matter,
        today=today,
        site_fingerprints=MappingProxyType(site_fps),
        pages=MappingProxyType(new_pages),
        search=search_state,
        site=site,
        page_list=tuple(views),
        renderer=renderer,
    )


def scheduled_of(
    briefings: Sequence[Briefing], shown: Sequence[Briefing]
) -> tuple[tuple[str, dt.date], ...]:
    """Briefings a published build leaves out for their date alone (not drafts)."""
    kept = {b.path for b in shown}
    return tuple(
        (b.path, b.date)
        for b in sorted(briefings, key=lambda b: b.path)
        if b.path not in kept and not b.draft
    )


def load(
    scan: Scan,
    memory: Memory,
    config: SiteConfig,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    project: Path | None = None,
) -> tuple[Mapping[str, FileMemory], Mapping[str, Seen], list[Problem]]:
    """Every briefing file: the last build's result when its signature (or its bytes) is
    the same, read and converted otherwise; with every problem found."""
    files: dict[str, FileMemory] = {}
    signatures: dict[str, Seen] = {}
    problems: list[Problem] = list(scan.problems.values())
    todo: list[tuple[str, bytes, str]] = []
    last_files, last_signatures, parsed = memory.files, memory.signatures, memory.parsed
    for rel, found in scan.files.items():
        seen = last_signatures.get(rel)
        signatures[rel] = (found.signature, found.settled)
        if (
            seen is not None
            and seen[1]
            and seen[0] == found.signature
            and rel in last_files
            and (not last_files[rel].depends or depends_hold(last_files[rel]))
        ):
            files[rel] = last_files[rel]
            continue
        known = [(seen, last_files.get(rel)), parsed.get(rel)]
        hit = next(
            (
                e
                for s, e in filter(None, known)
                if s and e and s[1] and s[0] == found.signature and depends_hold(e)
            ),
            None,
        )
        if hit is not None:
            files[rel] = hit
            continue
        try:
            data = read_regular(found.path)
        except OSError as exc:
            problems.append(Problem(rel, None, "", f"cannot read: {exc.strerror}", "check it"))
            del signatures[rel]
            continue
        sha = hashlib.blake2b(data, digest_size=16).hexdigest()
        same = next(
            (e for _, e in filter(None, known) if e and e.hash == sha and depends_hold(e)), None
        )
        if same is not None:
            files[rel] = same
        else:
            todo.append((rel, data, sha))
    if progress:
        progress(len(files), len(scan.files))
    if todo:
        renderer = renderer_for(config)

        def convert(item: tuple[str, bytes, str]) -> FileMemory:
            rel, data, sha = item
            briefing, found, depends = read_briefing(rel, data, config, renderer, project)
            return FileMemory(sha, briefing, tuple(found), tuple(sorted(depends.items())))

        done = 0
        for batch in map_in_batches(convert, todo, jobs):
            for (rel, _, _), entry in zip(todo[done : done + len(batch)], batch, strict=True):
                files[rel] = entry
            done += len(batch)
            if progress:
                progress(len(files), len(scan.files))
    ordered = {rel: files[rel] for rel in scan.files if rel in files}
    for entry in ordered.values():
        problems.extend(entry.problems)
    return MappingProxyType(ordered), MappingProxyType(signatures), problems


def depends_hold(entry: FileMemory) -> bool:
    """Whether every file a briefing's body looked for is still there, or still missing
    (an image's size is read when the body is, so a changed image is read again too)."""
    return all(stamp(p) == seen for p, seen in entry.depends)


def site_and_views(
    config: SiteConfig, entities: Entities, shown: Sequence[Briefing], memory: Memory
) -> tuple[Site, list[Page], Remembered[AidTotals] | None, bool]:
    """The site and its template pages. When no front matter changed and the last site is
    in RAM (the preview), it is reused with the new briefings swapped in; otherwise the
    site is assembled, with the last aid totals while their key is the same."""
    old = memory.site
    current = {b.path: b for b in shown}
    if (
        old is not None
        and old.config == config
        and old.entities == entities
        and len(old.briefings) == len(shown)
        and all(
            b.meta_hash and (c := current.get(b.path)) is not None and c.meta_hash == b.meta_hash
            for b in old.briefings
        )
    ):
        return refreshed(old, current), list(memory.page_list), memory.totals, True
    key = ""
    if all(b.meta_hash for b in shown):
        key = digest(
            repr(config), repr(entities), *sorted(f"{b.path}={b.meta_hash}" for b in shown)
        )
    known = memory.totals.value if key and memory.totals and memory.totals.key == key else None
    site = assemble(config, shown, entities, known)
    totals = Remembered(key, site.aid_totals) if key and site.aid_totals else None
    return site, plan_views(site), totals, False


def machine_files(
    site: Site, front_matter: str, views: list[Page], memory: Memory
) -> tuple[list[Page], dict[str, Remembered[tuple[Page, ...]]], set[str]]:
    """Every page: the template pages, then the machine files, each plan reused while its
    key is the same; the sitemap last, as it lists the pages before it. Also the paths of
    the machine files planned anew."""
    pages = list(views)
    plans: dict[str, Remembered[tuple[Page, ...]]] = {}
    fresh: set[str] = set()

    def remembered(name: str, key: str, make: Callable[[], list[Page]]) -> None:
        last = memory.plans.get(name)
        if last is None or last.key != key:
            last = Remembered(key, tuple(make()))
            fresh.update(p.path for p in last.value)
        plans[name] = last
        pages.extend(last.value)

    for name, key, make in machine_plans(site):
        remembered(name, key(front_matter), make)
    remembered(SITEMAP, sitemap_key(front_matter, pages), lambda: plan_sitemap(site, list(pages)))
    return pages, plans, fresh


def plan_pages(site: Site) -> list[Page]:
    """Every page of a site, planned from nothing (``check``, tests)."""
    return machine_files(site, front_matter_key(site), plan_views(site), Memory())[0]


def decide(
    site: Site,
    pages: Sequence[Page],
    memory: Memory,
    files: Mapping[str, FileMemory],
    output: Output,
    templates: str,
    front_matter: str,
    today: dt.date,
    fresh: set[str],
) -> tuple[list[tuple[Page, str]], dict[str, PageMemory], dict[str, str]]:
    """Which pages to render (each with its planned value's fingerprint), the memory of
    those kept as they are, and the fingerprints of the site attributes pages read.
    ``fresh`` are the machine files planned anew (the others are the last build's)."""
    last_pages = memory.pages if memory.templates == templates else {}
    same_site = memory.front_matter == front_matter
    changed_meta, changed_body = changed_briefings(memory.files, files)
    site_fps: dict[str, str] = dict(memory.site_fingerprints) if same_site else {}
    changed_site: set[str] = set()
    if not same_site:
        for attr in {a for pm in last_pages.values() if pm.reads for a in pm.reads.site}:
            site_fps[attr] = value_fingerprint(site_value(site, attr))
            if site_fps[attr] != memory.site_fingerprints.get(attr):
                changed_site.add(attr)
    todo: list[tuple[Page, str]] = []
    kept: dict[str, PageMemory] = {}
    moved = memory.today != today
    for page in pages:
        last = last_pages.get(page.path)
        if page.body is not None:  # a machine file: its bytes are all that matters
            same = last is not None and last.reads is None
            if same and page.path in fresh:
                same = last.digest == body_digest(page)  # type: ignore[union-attr]
            held = output.keep(page.path, last) if same else None  # type: ignore[arg-type]
            if held is not None:
                kept[page.path] = held
            else:
                todo.append((page, ""))
            continue
        reads = last.reads if last is not None else None
        if reads is None:  # new: rendered, and its fingerprint taken there, on every core
            todo.append((page, ""))
            continue
        fp = last.fingerprint if same_site else value_fingerprint(page)  # type: ignore[union-attr]
        if (
            reads.opaque
            or fp != last.fingerprint  # type: ignore[union-attr]
            or not reads.site.isdisjoint(changed_site)
            or not reads.meta.isdisjoint(changed_meta)
            or not reads.body.isdisjoint(changed_body)
            or (moved and reads.dates and today_moved(reads.dates, memory.today, today))
            or (held := output.keep(page.path, last)) is None  # type: ignore[arg-type]
        ):
            todo.append((page, fp))
        else:
            kept[page.path] = held
    return todo, kept, site_fps


def changed_briefings(
    before: Mapping[str, FileMemory], now: Mapping[str, FileMemory]
) -> tuple[set[str], set[str]]:
    """Paths whose front matter changed, and paths whose body (or what it shows) did."""
    meta: set[str] = set()
    body: set[str] = set()
    gone = [rel for rel in before if rel not in now] if len(before) != len(now) else []
    for rel, b in [*now.items(), *((rel, None) for rel in gone)]:
        a = before.get(rel)
        if a is b:
            continue
        old, new = (a.briefing if a else None), (b.briefing if b else None)
        if old is new:
            continue
        if old is None or new is None or old.meta_hash != new.meta_hash or not new.meta_hash:
            meta.add(rel)
            body.add(rel)  # the body's cards show the front matter's facts
        elif old.body_hash != new.body_hash or not new.body_hash:
            body.add(rel)
    return meta, body


def body_digest(page: Page) -> str:
    return hashlib.blake2b(page.body or b"", digest_size=16).hexdigest()


@dataclass(frozen=True)
class _Done:
    path: str
    digest: str
    reads: Reads | None
    wrote: bool
    stat: FileStat | None
    fingerprint: str


def render(
    renderer: Renderer,
    site: Site,
    todo: Sequence[tuple[Page, str]],
    last: Mapping[str, PageMemory],
    output: Output,
    jobs: int,
    swapped: bool = False,
) -> tuple[list[tuple[str, PageMemory, bool]], list[Problem]]:
    """Render ``todo`` into ``output`` on every core, noting what each page read. After
    ``swapped`` (the last site reused), a page may still hold the last build's briefing
    objects: it is given the current ones first."""
    current = {b.path: b for b in site.briefings}
    rebind = rebinder(site) if swapped else None

    def one(index: int) -> _Done | list[Problem]:  # an index: pages do not cross the pipe
        page, fp = todo[index]
        try:
            if page.body is not None:
                data, reads = page.body, None
            else:
                if rebind is not None:
                    page = with_current_briefings(rebind(page), current)
                env, tracker = renderer.of(page)
                data, reads = tracker.render(lambda: render_page(env, site, page))
        except DossierError as exc:
            return list(exc.problems)
        sha = hashlib.blake2b(data, digest_size=16).hexdigest()
        wrote, stat = output.write(page.path, data, last.get(page.path), sha)
        if page.body is None and not fp:
            fp = value_fingerprint(page)
        return _Done(page.path, sha, reads, wrote, stat, fp)

    done: list[tuple[str, PageMemory, bool]] = []
    failed: list[Problem] = []
    for batch in map_in_batches(one, range(len(todo)), jobs):
        for result in batch:
            if isinstance(result, _Done):
                pm = PageMemory(result.digest, result.reads, result.fingerprint, result.stat)
                done.append((result.path, pm, result.wrote))
            elif not failed:  # the first page's problems: the others are usually the same
                failed = result
    return done, failed
