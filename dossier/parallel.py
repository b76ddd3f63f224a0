"""Loading and rendering on every core, and only what changed since the last build.

Markdown conversion and page rendering are pure-Python and CPU-bound, so they run
in forked worker processes: a worker inherits the config, the site and the
compiled templates for free, converts or renders its share, and writes its pages
straight into the staging folder. Results that the cache already holds are reused;
a page whose inputs are unchanged is hard-linked from the previous output.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from dossier.briefing import Briefing, load_briefing
from dossier.cache import BuildCache, digest
from dossier.config import SiteConfig
from dossier.errors import DossierError, Problem
from dossier.markdown import BodyRenderer
from dossier.output import Staging, check_relative
from dossier.render import Page, render_page, today_in
from dossier.site import Site

PARALLEL_FROM = 24  # below this, starting workers costs more than it saves
_worker: dict[str, Any] = {}  # what a forked worker inherits from its parent


def jobs_for(requested: int | None) -> int:
    return max(1, requested if requested else (os.cpu_count() or 1))


def _pool(jobs: int) -> multiprocessing.pool.Pool:
    return multiprocessing.get_context("fork").Pool(jobs)


def _chunks(items: Sequence[Any], jobs: int) -> list[Sequence[Any]]:
    size = max(8, len(items) // (jobs * 8) + 1)
    return [items[i : i + size] for i in range(0, len(items), size)]


# Loading --------------------------------------------------------------------------------


def load_all(
    files: Sequence[tuple[str, Path]],
    config: SiteConfig,
    make_renderer: Callable[[SiteConfig], BodyRenderer],
    cache: BuildCache,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    known: Mapping[str, str] | None = None,
) -> tuple[list[Briefing], list[Problem], dict[str, str]]:
    """Every briefing, from the cache when its bytes are unchanged; also each file's hash.

    ``known`` holds hashes the build has just computed from the same files (its input
    check): no file is hashed twice, and one whose known hash the cache has is not read
    again. The build is the snapshot the check took; a file changed since then is seen by
    the next build, whose check finds a different hash.
    """
    hashes: dict[str, str] = {}
    todo: list[tuple[str, bytes]] = []
    results: dict[str, tuple[Briefing | None, tuple[Problem, ...]]] = {}
    problems: list[Problem] = []
    known = known or {}
    for rel, path in files:
        cached = cache.briefings.get(rel)
        sha = known.get(rel)
        data = None
        if sha is None or cached is None or cached[0] != sha:  # not a known cache hit: read
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.append(Problem(rel, None, "", f"cannot read: {exc.strerror}", "check it"))
                continue
            sha = sha or digest(data)
        hashes[rel] = sha
        if cached is not None and cached[0] == sha:
            results[rel] = cached[1], cached[2]
        else:
            todo.append((rel, data))  # type: ignore[arg-type]  (read above: not a hit)
    done = len(results)
    if progress:
        progress(done, len(files))
    if len(todo) >= PARALLEL_FROM and jobs > 1:
        _worker.update(config=config, make_renderer=make_renderer)
        with _pool(jobs) as pool:
            for batch in pool.imap(_load_chunk, _chunks(todo, jobs)):
                for rel, briefing, found in batch:
                    results[rel] = briefing, found
                done += len(batch)
                if progress:
                    progress(done, len(files))
        _worker.clear()
    else:
        renderer = make_renderer(config)
        for rel, data in todo:
            results[rel] = load_briefing(rel, data, config, renderer)
            done += 1
            if progress:
                progress(done, len(files))
    if todo or set(results) != set(cache.briefings):
        fresh = {rel for rel, _ in todo}
        cache.briefings = {  # unchanged entries stay the same objects: the cache's delta
            rel: (hashes[rel], *results[rel]) if rel in fresh else cache.briefings[rel]
            for rel in results
        }
        cache.dirty = True
    briefings = []
    for rel, _ in files:
        if rel in results:
            briefing, found = results[rel]
            problems.extend(found)
            if briefing is not None:
                briefings.append(briefing)
    return briefings, problems, hashes


def _load_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[tuple[str, Briefing | None, Any]]:
    renderer = _worker.get("renderer")
    if renderer is None:
        renderer = _worker["renderer"] = _worker["make_renderer"](_worker["config"])
    config = _worker["config"]
    return [(rel, *load_briefing(rel, data, config, renderer)) for rel, data in chunk]


# Rendering ------------------------------------------------------------------------------


BODY_FIELDS = frozenset({"html", "toc_html", "references"})


def template_reads(env: jinja2.Environment, name: str) -> tuple[bool, bool]:
    """Whether a template, or any template it includes or extends, reads ``site`` and
    whether it reads a briefing's body (``.html``, ``.toc_html``, ``.references``).
    An unreadable template counts as reading everything (rendering reports its error)."""
    seen: set[str] = set()
    todo = [name]
    reads_site = reads_body = False
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
            ast = env.parse(source)
        except jinja2.TemplateError:
            return True, True
        reads_site |= "site" in meta.find_undeclared_variables(ast)
        reads_body |= any(n.attr in BODY_FIELDS for n in ast.find_all(nodes.Getattr))
        reads_body |= any(
            isinstance(n.arg, nodes.Const) and n.arg.value in BODY_FIELDS
            for n in ast.find_all(nodes.Getitem)
        )
        todo.extend(t for t in meta.find_referenced_templates(ast) if t)
    return reads_site, reads_body


def page_keys(
    env: jinja2.Environment,
    site: Site,
    pages: Sequence[Page],
    hashes: dict[str, str],
    templates: str,
    cache: BuildCache,
) -> dict[str, str]:
    """What each page is drawn from. A briefing page: its own file (and every file when
    its templates read ``site``). Another page: every briefing's front matter, or every
    whole file when its templates read bodies; a machine file: every whole file."""
    today = str(today_in(site.config))  # "Scheduled" badges and feeds move with the date
    full_key = digest(
        templates, today, *(f"{b.path}={hashes.get(b.path, '')}" for b in site.briefings)
    )
    meta_key = digest(templates, today, *(b.meta_hash for b in site.briefings))
    stored = cache.extra.get(f"reads:{templates}")
    reads: dict[str, tuple[bool, bool]] = dict(stored or {})  # the cache's own is not changed
    keys = {}
    for page in pages:
        if page.body is not None:
            keys[page.path] = digest(page.path, full_key)
            continue
        if page.template not in reads:
            reads[page.template] = template_reads(env, page.template)
        reads_site, reads_body = reads[page.template]
        b = page.briefing
        if b is not None and not page.items:
            own = hashes.get(b.path, "")
            site_part = (full_key if reads_body else meta_key) if reads_site else ""
            keys[page.path] = digest(templates, today, page.template, own, site_part)
        else:
            keys[page.path] = digest(page.template, full_key if reads_body else meta_key)
    if reads != stored:  # parsing templates costs ~0.05 s each: remember what they read
        cache.extra = {k: v for k, v in cache.extra.items() if not k.startswith("reads:")}
        cache.remember(**{f"reads:{templates}": reads})  # other templates' reads go
    return keys


def write_pages(
    env: jinja2.Environment,
    site: Site,
    pages: Sequence[Page],
    staging: Staging,
    cache: BuildCache,
    keys: dict[str, str],
    jobs: int,
) -> tuple[int, int]:
    """Put every page into staging; returns (pages, pages rendered)."""
    fresh: list[int] = []
    for i, page in enumerate(pages):
        check_relative(page.path)  # refuse a bad path before any work
        staging.wanted.add(page.path)
        if cache.pages.get(page.path) == keys[page.path] and staging.keep_live(page.path):
            continue
        if page.body is not None:
            staging.put(page.path, page.body)
            continue
        fresh.append(i)
    if len(fresh) >= PARALLEL_FROM and jobs > 1:
        _worker.update(env=env, site=site, pages=pages, staging=staging)
        problems: list[Problem] = []
        with _pool(jobs) as pool:
            for found in pool.imap_unordered(_render_chunk, _chunks(fresh, jobs)):
                problems.extend(found)
        _worker.clear()
        if problems:
            raise DossierError(problems[:1])
    else:
        for i in fresh:
            staging.put(pages[i].path, render_page(env, site, pages[i]))
    if cache.pages != keys:
        cache.pages = dict(keys)
        cache.dirty = True
    return len(pages), len(fresh)


def _render_chunk(indices: Sequence[int]) -> list[Problem]:
    w = _worker
    try:
        for i in indices:
            page = w["pages"][i]
            w["staging"].put(page.path, render_page(w["env"], w["site"], page))
    except DossierError as exc:
        return list(exc.problems)
    return []
