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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from dossier.briefing import Briefing, load_briefing
from dossier.cache import BuildCache, digest
from dossier.config import SiteConfig
from dossier.errors import DossierError, Problem
from dossier.markdown import BodyRenderer
from dossier.output import Staging, safe_join
from dossier.render import Page, render_page
from dossier.site import Site

PARALLEL_FROM = 64  # below this, starting workers costs more than it saves
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
) -> tuple[list[Briefing], list[Problem], dict[str, str]]:
    """Every briefing, from the cache when its bytes are unchanged; also each file's hash."""
    hashes: dict[str, str] = {}
    todo: list[tuple[str, bytes]] = []
    results: dict[str, tuple[Briefing | None, tuple[Problem, ...]]] = {}
    problems: list[Problem] = []
    for rel, path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, None, "", f"cannot read: {exc.strerror}", "check it"))
            continue
        sha = hashes[rel] = digest(data)
        cached = cache.briefings.get(rel)
        if cached is not None and cached[0] == sha:
            results[rel] = cached[1], cached[2]
        else:
            todo.append((rel, data))
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
    cache.briefings = {rel: (hashes[rel], *results[rel]) for rel in results}
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


def uses_site(env: jinja2.Environment, name: str) -> bool:
    """Whether a template, or any template it includes or extends, reads ``site``."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
            ast = env.parse(source)
        except jinja2.TemplateError:
            return True  # rendering will report it, with the template's line

        if "site" in meta.find_undeclared_variables(ast):
            return True
        todo.extend(t for t in meta.find_referenced_templates(ast) if t)
    return False


def page_keys(
    env: jinja2.Environment, site: Site, pages: Sequence[Page], hashes: dict[str, str]
) -> dict[str, str]:
    """What each page is drawn from: a briefing page, its own file (unless its templates
    read ``site``); every other page, the whole set of published briefings."""
    site_key = digest(*(f"{b.path}={hashes.get(b.path, '')}" for b in site.briefings))
    briefing_reads_site: dict[str, bool] = {}
    keys = {}
    for page in pages:
        b = page.briefing
        if b is not None and page.items == () and page.body is None:
            reads = briefing_reads_site.get(page.template)
            if reads is None:
                reads = briefing_reads_site[page.template] = uses_site(env, page.template)
            own = hashes.get(b.path, "")
            keys[page.path] = digest(page.template, own, site_key if reads else "")
        else:
            keys[page.path] = digest(page.template, site_key)
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
        safe_join(staging.root, page.path)  # refuse a bad path before any work
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
    cache.pages = dict(keys)
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
