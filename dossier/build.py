"""The whole pipeline, for the CLI and the preview server alike.

config → briefings → site → pages → output, each stage stopping with one
report of every problem it found.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dossier.briefing import Briefing
from dossier.cache import BuildCache, build_fingerprint, digest, tree_fingerprint
from dossier.config import CONFIG_FILE, SiteConfig, load_config
from dossier.errors import DossierError, Problem, Problems
from dossier.markdown import BodyRenderer, MarkdownOptions
from dossier.output import (
    MARKER,
    Staging,
    build_lock,
    clean_stale,
    copy_static,
    resolve_output,
)
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
from dossier.site import Site, Totals, assemble
from dossier.views.identity import AidFact
from dossier.views.plan import remembered_plans
from dossier.views.search import PendingIndex, SearchState, start_index
from dossier.views.totals import AidTotals, compute_totals

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
    site: Site | None  # None when nothing changed and the build did not load the site
    pages: int
    static_files: int
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0
    briefings: int = 0

    @property
    def up_to_date(self) -> bool:
        return self.site is None


def is_briefing_file(name: str) -> bool:
    return (
        name.endswith(".md")
        and not name.startswith((".", "#"))
        and not name.endswith(IGNORED_SUFFIXES)
    )


def discover(project: Path, problems: Problems) -> list[tuple[str, Path]]:
    """Every briefing file, as (path relative to the project, real path), sorted.

    Symlinks are followed only while they stay inside the project. (Called twice per
    build on thousands of files: it works on directory entries and strings.)
    """
    root = project / BRIEFINGS_DIR
    if not root.is_dir():
        return []
    real_project = project.resolve()
    found: list[tuple[str, Path]] = []

    def walk(folder: str, rel_folder: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        folders = [e for e in entries if e.is_dir(follow_symlinks=False)]
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                continue
            if entry.is_symlink() and _is_dir(entry):
                if not entry.name.startswith("."):
                    problems.add(
                        rel,
                        None,
                        "",
                        "symlinked folders are not followed",
                        "move the briefings into content/",
                    )
                continue
            if not is_briefing_file(entry.name):
                continue
            if entry.is_symlink():
                try:
                    target = Path(entry.path).resolve(strict=True)
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
            found.append((rel, Path(entry.path)))
        for entry in folders:  # after the files, as os.walk lists them
            if not entry.name.startswith("."):
                walk(entry.path, f"{rel_folder}/{entry.name}")

    walk(str(root), BRIEFINGS_DIR)
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop
        return False


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


@dataclass(frozen=True)
class Inputs:
    """What the input check read: its digest of everything, the briefing files it found and
    each one's hash (the loader reads no file twice). Empty when the check could not tell."""

    digest: str = ""
    files: tuple[tuple[str, Path], ...] = ()
    hashes: Mapping[str, str] = dataclasses.field(default_factory=dict)


def _load(
    project: Path,
    options: BuildOptions,
    cache: BuildCache,
    inputs: Inputs = Inputs(),
) -> tuple[Site, list[Problem], dict[str, str]]:
    config = load_config(project)
    if options.base_url:
        config = dataclasses.replace(config, base_url=options.base_url)
    problems = Problems()
    files = list(inputs.files) if inputs.digest else discover(project, problems)
    briefings, found, hashes = load_all(
        files, config, renderer_for, cache, jobs_for(options.jobs), options.progress, inputs.hashes
    )
    problems.extend(found)
    problems.raise_if_errors()
    shown = published(briefings, config, options.drafts)
    site = assemble(config, shown, _remembered_totals(cache, config, shown))
    return site, list(problems.warnings), hashes


def _remembered_totals(cache: BuildCache, config: SiteConfig, shown: list[Briefing]) -> Totals:
    """Aid totals from the cache when site.yaml and every briefing's front matter are as
    they were (a body edit cannot change them); computed and remembered otherwise."""
    known = all(b.meta_hash for b in shown)
    key = digest(repr(config), *(f"{b.path}={b.meta_hash}" for b in shown)) if known else ""

    def totals(aid: Sequence[AidFact], config: SiteConfig) -> AidTotals:
        stored = cache.extra.get("totals")
        if key and isinstance(stored, tuple) and stored[0] == key:
            return stored[1]
        value = compute_totals(aid, config)
        if key:
            cache.remember(totals=(key, value))
        return value

    return totals


def cache_folder(out: Path) -> Path:
    """``.dossier-cache/<output name>/`` beside the output folder."""
    return out.parent / ".dossier-cache" / out.name


def build_site(project: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    try:
        return _build_site(project, options)
    finally:
        gc.unfreeze()  # a long-lived caller (a test run) gets the collector back for them


def _build_site(project: Path, options: BuildOptions) -> BuildResult:
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
        inputs = _read_inputs(project, fingerprint, templates) if options.use_cache else Inputs()
        same = _unchanged_since_last_build(out, inputs.digest)
        if same is not None:  # every input is as the last successful build left it
            return dataclasses.replace(same, seconds=time.perf_counter() - started)
        cache = BuildCache.open(cache_folder(out) if options.use_cache else None, fingerprint)
        gc.freeze()  # what was loaded lives as long as the build: no collection rescans it
        site, warnings, hashes = _load(project, options, cache, inputs)
        gc.freeze()
        env = make_environment(project, site.config)
        plans = remembered_plans()
        for name, (key, files) in _stored_plans(cache).items():
            plans.setdefault(name, (key, [Page(p, "", t, body=b) for p, t, b in files]))
        pages = plan_pages(site)
        _remember_plans(cache, plans)
        keys = page_keys(env, site, pages, hashes, templates, cache)
        clean_stale(out)
        staging = Staging(out)
        try:
            search = _start_search_index(staging, site, cache, out)  # runs while we render
            try:
                written, rendered = write_pages(env, site, pages, staging, cache, keys, jobs)
                statics = copy_static(staging, static_dirs(project))
                _finish_search_index(search, staging, cache)
            finally:
                search.cancel()
            staging.swap()
        except BaseException:
            staging.abandon()
            raise
        result = BuildResult(out, site, written, statics, tuple(warnings), 0.0, rendered)
        try:
            cache.save()
            if inputs.digest:
                _remember_inputs(out, inputs.digest, result)
        except (OSError, pickle.PicklingError, TypeError) as exc:  # the site is built; only
            print(f"warning: could not save the build cache ({exc})", file=sys.stderr)  # speed
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def _stored_plans(cache: BuildCache) -> dict[str, tuple[str, list[tuple[str, str, bytes]]]]:
    return {k[len("plan:") :]: v for k, v in cache.extra.items() if k.startswith("plan:")}


def _remember_plans(cache: BuildCache, plans: dict[str, tuple[str, list[Page]]]) -> None:
    """Machine files (feeds, exports, sitemap) in the cache, one entry each, so that the
    cache's delta carries only those whose key changed."""
    stored = _stored_plans(cache)
    changed = {
        f"plan:{name}": (key, [(p.path, p.title, p.body) for p in ps])
        for name, (key, ps) in plans.items()
        if name not in stored or stored[name][0] != key
    }
    if changed:
        cache.remember(**changed)


def _start_search_index(staging: Staging, site: Site, cache: BuildCache, out: Path) -> PendingIndex:
    """Pagefind's shards: kept from the live site where their briefings did not change,
    the others indexed in the background."""
    previous = cache.extra.get("search")
    return start_index(
        staging.root,
        site.briefings,
        previous if isinstance(previous, SearchState) else SearchState(),
        out.parent / f".{out.name}.staging-search-{os.getpid()}",
        site.config.language,
        staging.keep_live_tree,
        (site.config.title, site.config.description),
    )


def _finish_search_index(search: PendingIndex, staging: Staging, cache: BuildCache) -> None:
    state = search.finish()
    staging.claim_tree("pagefind")
    if state != cache.extra.get("search"):
        cache.remember(search=state)


INPUTS_FILE = "inputs.json"


def _read_inputs(project: Path, fingerprint: str, templates: str) -> Inputs:
    """Everything a build reads: Dossier, site.yaml and options (the fingerprint), the
    templates, the static files, today's date and every briefing's bytes."""
    problems = Problems()
    files = discover(project, problems)
    if problems:
        return Inputs()
    parts = [fingerprint, templates, tree_fingerprint(static_dirs(project))]
    parts.append(today_in(load_config(project)).isoformat())
    hashes: dict[str, str] = {}
    for rel, path in files:
        try:
            hashes[rel] = digest(path.read_bytes())
        except OSError:
            return Inputs()
        parts.append(f"{rel}={hashes[rel]}")
    return Inputs(digest(*parts), tuple(files), hashes)


def _output_signature(out: Path) -> str:
    """Every file and folder of the output with its size, mtime and inode: any change to
    the published folder (a file added, edited or removed by hand) shows here."""
    parts: list[str] = []
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames.sort()
        for name in sorted(filenames):
            st = os.stat(os.path.join(dirpath, name))
            parts.append(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        st = os.stat(dirpath)
        parts.append(f"{dirpath}:{st.st_mtime_ns}:{st.st_ino}")
    return digest(*parts)


def _unchanged_since_last_build(out: Path, inputs: str) -> BuildResult | None:
    """The last build's result when nothing it read has changed and its site is exactly as
    it left it (like make: the output is what a build would write again, byte for byte)."""
    if not inputs or not (out / MARKER).is_file():
        return None
    try:
        last = json.loads((cache_folder(out) / INPUTS_FILE).read_text())
        if last.get("inputs") != inputs or last.get("output") != _output_signature(out):
            return None
        return BuildResult(
            out,
            None,
            last["pages"],
            last["statics"],
            tuple(Problem(*p) for p in last["warnings"]),
            0.0,
            0,
            last["briefings"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_inputs(out: Path, inputs: str, result: BuildResult) -> None:
    record = {
        "inputs": inputs,
        "output": _output_signature(out),
        "pages": result.pages,
        "statics": result.static_files,
        "briefings": len(result.site.briefings) if result.site else result.briefings,
        "warnings": [list(dataclasses.astuple(w)) for w in result.warnings],
    }
    path = cache_folder(out) / INPUTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{INPUTS_FILE}.tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, path)


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
