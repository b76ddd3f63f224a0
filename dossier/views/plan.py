"""The page list of every view, in one place.

Views drawn by templates are planned on every build (cheap); machine files (feeds,
exports, the sitemap) are made in Python and cost seconds on a large site, so each
declares the key of what it is made from and the engine reuses the last build's pages
while that key is the same.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from dossier.config import SiteConfig
from dossier.hashing import digest
from dossier.page import Page
from dossier.site import Site
from dossier.views.aid import plan_aid
from dossier.views.entities import plan_entities
from dossier.views.exports import EXPORT_FILES, plan_exports
from dossier.views.feeds import FEED_ENTRIES, plan_feeds
from dossier.views.listings import (
    plan_archive,
    plan_home,
    plan_search,
    plan_tags,
)
from dossier.views.quotes import plan_quotes
from dossier.views.record import plan_briefings
from dossier.views.sharecards import plan_share_cards
from dossier.views.sitemap import plan_sitemap_files
from dossier.views.sources import plan_sources
from dossier.views.timeline import plan_timelines

# More template-drawn views register here (a site's own, or a test's).
PAGE_PLANNERS: list[Callable[[Site], Iterable[Page]]] = []


def plan_views(site: Site) -> list[Page]:
    """Every page drawn by a template: on a site of several languages, every view once in
    each language, the default's at the root and the others' under /<lang>/."""
    if not site.views:
        return plan_language(site)
    pages: list[Page] = []
    for language in site.config.all_languages:
        view = site.view(language)
        pages += in_language(plan_language(view), view)
    return with_alternates(site, pages)


def in_language(pages: Iterable[Page], view: Site) -> list[Page]:
    """Pages planned from a language's view, placed in its folder and marked as its."""
    return [
        dataclasses.replace(
            p, path=localize(p.path, view.config, view.language), lang=view.language
        )
        for p in pages
    ]


def plan_language(site: Site) -> list[Page]:
    """The template pages of one language's view (or of a site of one language)."""
    pages = plan_home(site)
    pages += plan_briefings(site)
    pages.append(Page("404.html", "404.html", "Page not found"))
    for planner in (
        plan_timelines,
        plan_aid,
        plan_sources,
        plan_quotes,
        plan_tags,
        plan_archive,
        plan_search,
        plan_entities,
        plan_share_cards,
        *PAGE_PLANNERS,
    ):
        pages += planner(site)
    return pages


# The paths that are one for the whole site, whatever the page's language: briefings (their
# path holds their language's folder), static files, the search index, the data exports.
SHARED_ROOTS = frozenset(
    {"briefings", "static", "pagefind", "sitemap.xml", "robots.txt", *EXPORT_FILES}
)


def localize(path: str, config: SiteConfig, language: str) -> str:
    """The site path ``path`` as a page in ``language`` links it: a view of the site (the
    timeline, a tag, the home page) in its own language, under its folder; a shared file (a
    briefing, a stylesheet, an export) where it is."""
    folder = config.language_folder(language) if language else ""
    if not folder:
        return path
    bare = path.lstrip("/")
    head = bare.split("/", 1)[0]
    if head in SHARED_ROOTS or f"{head}/" == config.media_path or head in config.all_languages:
        return path
    return folder + bare


def with_alternates(site: Site, pages: list[Page]) -> list[Page]:
    """Each HTML page with its versions in the other languages: a view's are the same view
    in each language; a briefing's are its translations (dossier.translations)."""
    key: dict[str, str] = {}  # page path -> what its versions share
    for p in pages:
        if not p.is_html:
            continue
        if p.briefing is not None:
            versions = site.versions.get(p.briefing.path)
            key[p.path] = versions[0].output_path if versions else p.path
        else:
            key[p.path] = p.path.removeprefix(site.config.language_folder(p.lang))
    groups: dict[str, list[Page]] = {}
    for p in pages:
        if p.path in key:
            groups.setdefault(key[p.path], []).append(p)
    order = {lang: i for i, lang in enumerate(site.config.all_languages)}
    out = []
    for p in pages:
        group = groups.get(key.get(p.path, ""), ())
        if len(group) > 1:
            found = sorted(group, key=lambda g: order.get(g.lang, len(order)))
            p = dataclasses.replace(p, alternates=tuple((g.lang, g.url_path) for g in found))
        out.append(p)
    return out


def front_matter_key(site: Site) -> str:
    """Everything site-wide that views are made from: the settings, today (what is
    published) and every briefing's front matter."""
    return digest(
        repr(site.config),
        repr(site.entities),
        site.config.today().isoformat(),
        *(b.meta_hash for b in site.briefings),
    )


def _feeds_key(site: Site, front_matter: str) -> str:
    """Feeds carry the full content of their latest entries only (site-wide and per tag)."""
    entries = {b.path: b for b in site.briefings[:FEED_ENTRIES]}
    for briefings in site.tags.values():
        entries.update((b.path, b) for b in briefings[:FEED_ENTRIES])
    # a briefing without a body hash (never from load_briefing) forces a fresh plan
    return digest(front_matter, *sorted(f"{p}={b.body_hash or id(b)}" for p, b in entries.items()))


def _exports_key(site: Site, front_matter: str) -> str:
    return front_matter


@dataclass(frozen=True)
class MachinePlan:
    """Machine files made in Python: the key of what they are made from, and how."""

    name: str
    key: Callable[[Site, str], str]  # from the site and its front-matter key
    make: Callable[[Site], list[Page]]
    per_language: bool = False  # made from each language's view, or once from the site


MACHINE_PLANS = (
    MachinePlan("feeds", _feeds_key, plan_feeds, per_language=True),  # the key has the bodies
    MachinePlan("exports", _exports_key, plan_exports),
)


def machine_plans(
    site: Site,
) -> Iterator[tuple[str, Callable[[str], str], Callable[[], list[Page]]]]:
    """Each machine plan as the site makes it: its name, its key from the front-matter key,
    and how its pages are made; a plan per language once for each language's view."""
    for plan in MACHINE_PLANS:
        if not plan.per_language or not site.views:
            yield plan.name, functools.partial(plan.key, site), functools.partial(plan.make, site)
            continue
        for language in site.config.all_languages:
            view = site.view(language)
            yield (
                f"{plan.name}:{language}",
                lambda fm, plan=plan, view=view: digest(view.language, plan.key(view, fm)),
                lambda plan=plan, view=view: in_language(plan.make(view), view),
            )


def sitemap_key(front_matter: str, pages: Sequence[Page]) -> str:
    return digest(front_matter, *(p.path for p in pages))


def plan_sitemap(site: Site, pages: Sequence[Page]) -> list[Page]:
    """The sitemap lists every HTML page planned before it, so it is planned last."""
    return plan_sitemap_files(site, pages)
