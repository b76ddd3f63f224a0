"""The page list of every view, in one place.

Views drawn by templates are planned on every build (cheap); machine files (feeds,
exports, the sitemap) are made in Python and cost seconds on a large site, so each
declares the key of what it is made from and the engine reuses the last build's pages
while that key is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dossier.hashing import digest
from dossier.page import Page
from dossier.site import Site
from dossier.views.aid import plan_aid
from dossier.views.entities import plan_entities
from dossier.views.exports import plan_exports
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
    """Every page drawn by a template."""
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


MACHINE_PLANS = (
    MachinePlan("feeds", _feeds_key, plan_feeds),  # the key has the entries' bodies
    MachinePlan("exports", _exports_key, plan_exports),
)


def sitemap_key(front_matter: str, pages: Sequence[Page]) -> str:
    return digest(front_matter, *(p.path for p in pages))


def plan_sitemap(site: Site, pages: Sequence[Page]) -> list[Page]:
    """The sitemap lists every HTML page planned before it, so it is planned last."""
    return plan_sitemap_files(site, pages)
