"""The whole pipeline, for the CLI and the preview server alike.

config → briefings → site → pages → output, each stage stopping with one
report of every problem it found.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.briefing import Briefing
from dossier.cache import BuildCache, build_fingerprint, tree_fingerprint
from dossier.config import CONFIG_FILE, SiteConfig, load_config
from dossier.errors import DossierError, Problem, Problems
from dossier.markdown import BodyRenderer, MarkdownOptions
from dossier.output import Staging, build_lock, clean_stale, copy_static, resolve_output
from dossier.parallel import jobs_for, load_all, page_keys, write_pages
from dossier.render import (
    Page,
    make_environment,
    plan_pages,
    render_pages,
    static_dirs,
    template_dirs,
    today_in,
)
from dossier.site import Site, assemble
from dossier.views.plan import remembered_plans
from dossier.views.search import index_search

BRIEFINGS_DIR = "content/briefings"
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    output: Path | None = None
    base_url: str | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int | None = None  # worker processes; None: one per core
    use_cache: bool = True


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Path
    site: Site
    pages: int
    static_files: int
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0


def is_briefing_file(name: str) -> bool:
    return (
        name.endswith(".md")
        and not name.startswith((".", "#"))
        and not name.endswith(IGNORED_SUFFIXES)
    )


def discover(project: Path, problems: Problems) -> list[tuple[str, Path]]:
    """Every briefing file, as (path relative to the project, real path), sorted.

    Symlinks are followed only while they stay inside the project.
    """
    root = project / BRIEFINGS_DIR
    if not root.is_dir():
        return []
    real_project = project.resolve()
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in list(dirnames):
            p = Path(dirpath) / d
            if p.is_symlink():
                dirnames.remove(d)
                problems.add(
                    p.relative_to(project).as_posix(),
                    None,
                    "",
                    "symlinked folders are not followed",
                    "move the briefings into content/",
                )
        for name in sorted(filenames):
            if not is_briefing_file(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(project).as_posix()
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.add(rel, None, "", "broken or looping symlink", "remove it")
                    continue
                if not target.is_relative_to(real_project):
                    problems.add(
                        rel,
                        None,
                        "",
                        f"symlink points outside the project ({target})",
                        "copy the file into content/ instead",
                    )
                    continue
            found.append((rel, path))
    return found


def renderer_for(config: SiteConfig) -> BodyRenderer:
    return BodyRenderer(
        MarkdownOptions(
            extensions=config.markdown_extensions,
            allow_raw_html=config.allow_raw_html,
            toc_depth=config.toc_depth,
        )
    )


def published(briefings: Iterable[Briefing], config: SiteConfig, drafts: bool) -> list[Briefing]:
    """Drafts and future-dated briefings appear only in a drafts build (the preview)."""
    if drafts:
        return list(briefings)
    today = today_in(config)
    return [b for b in briefings if not b.draft and b.date <= today]


def load_site(
    project: Path, options: BuildOptions = BuildOptions(), cache: BuildCache | None = None
) -> tuple[Site, list[Problem]]:
    """Config, briefings and site, validated; raises DossierError with every problem."""
    site, warnings, _ = _load(project, options, cache or BuildCache(None, ""))
    return site, warnings


def _load(
    project: Path, options: BuildOptions, cache: BuildCache
) -> tuple[Site, list[Problem], dict[str, str]]:
    config = load_config(project)
    if options.base_url:
        config = dataclasses.replace(config, base_url=options.base_url)
    problems = Problems()
    files = discover(project, problems)
    briefings, found, hashes = load_all(
        files, config, renderer_for, cache, jobs_for(options.jobs), options.progress
    )
    problems.extend(found)
    problems.raise_if_errors()
    site = assemble(config, published(briefings, config, options.drafts))
    return site, list(problems.warnings), hashes


def cache_folder(out: Path) -> Path:
    """``.dossier-cache/<output name>/`` beside the output folder."""
    return out.parent / ".dossier-cache" / out.name


def build_site(project: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    started = time.perf_counter()
    project = project.resolve()
    config = load_config(project)
    out = resolve_output(
        project, options.output or config.output_dir, from_option=options.output is not None
    )
    # Briefings depend on site.yaml and Dossier's version; pages also on the templates.
    fingerprint = build_fingerprint(
        (project / CONFIG_FILE).read_bytes(), "", f"drafts={options.drafts} {options.base_url}"
    )
    templates = tree_fingerprint(template_dirs(project))
    jobs = jobs_for(options.jobs)
    with build_lock(out):
        cache = BuildCache.open(cache_folder(out) if options.use_cache else None, fingerprint)
        site, warnings, hashes = _load(project, options, cache)
        env = make_environment(project, site.config)
        plans = remembered_plans()
        stored = cache.extra.get("plans", {})
        for name, (key, files) in stored.items():
            plans.setdefault(name, (key, [Page(p, "", t, body=b) for p, t, b in files]))
        pages = plan_pages(site)
        keys_now = {name: key for name, (key, _) in plans.items()}
        if {name: key for name, (key, _) in stored.items()} != keys_now:
            files = {
                n: (k, [(p.path, p.title, p.body) for p in ps]) for n, (k, ps) in plans.items()
            }
            cache.extra = {**cache.extra, "plans": files}
            cache.dirty = True
        keys = page_keys(env, site, pages, hashes, templates, cache)
        clean_stale(out)
        staging = Staging(out)
        try:
            written, rendered = write_pages(env, site, pages, staging, cache, keys, jobs)
            statics = copy_static(staging, static_dirs(project))
            if rendered or not staging.keep_live_tree("pagefind"):
                staging.clear("pagefind")
                index_search(staging.root)
                staging.claim_tree("pagefind")
            staging.swap()
        except BaseException:
            staging.abandon()
            raise
        try:
            cache.save()
        except (OSError, pickle.PicklingError, TypeError) as exc:  # the site is built; only
            print(f"warning: could not save the build cache ({exc})", file=sys.stderr)  # speed
    seconds = time.perf_counter() - started
    return BuildResult(out, site, written, statics, tuple(warnings), seconds, rendered)


def check_site(project: Path, options: BuildOptions = BuildOptions()) -> list[Problem]:
    """Validate everything a build would, render every page in memory, write nothing.

    Returns the warnings, including amounts and dates in bodies that no annotation covers.
    """
    project = project.resolve()
    site, warnings = load_site(project, dataclasses.replace(options, drafts=True))
    env = make_environment(project, site.config)
    for _ in render_pages(env, site, plan_pages(site)):
        pass
    return sorted(warnings + coverage_warnings(project))


def coverage_warnings(project: Path) -> list[Problem]:
    from dossier.frontmatter import decode, split
    from dossier.markdown.coverage import find_uncovered

    scratch = Problems()
    found: list[Problem] = []
    for rel, path in discover(project, scratch):
        text = decode(path.read_bytes(), rel, scratch)
        parts = split(text, rel, scratch) if text is not None else None
        if parts is not None:
            found.extend(find_uncovered(parts.body, path=rel, first_line=parts.body_first_line))
    return found


__all__ = ["BuildOptions", "BuildResult", "DossierError", "build_site", "check_site", "load_site"]
