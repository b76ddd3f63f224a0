"""The page list of every view, in one place, for ``dossier.render.plan_pages``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dossier.cache import digest
from dossier.render import Page, today_in
from dossier.site import Site
from dossier.views.aid import plan_aid
from dossier.views.exports import plan_exports
from dossier.views.feeds import FEED_ENTRIES, plan_feeds
from dossier.views.listings import (
    plan_archive,
    plan_home,
    plan_quotes,
    plan_search,
    plan_sources,
    plan_tags,
)
from dossier.views.sitemap import plan_sitemap_files
from dossier.views.timeline import plan_timelines


def _meta_key(site: Site) -> str:
    return digest(
        repr(site.config), today_in(site.config).isoformat(), *(b.meta_hash for b in site.briefings)
    )


def _feeds_key(site: Site) -> str:
    """Feeds carry the full content of their latest entries only (site-wide and per tag)."""
    entries = {b.path: b for b in site.briefings[:FEED_ENTRIES]}
    for briefings in site.tags.values():
        entries.update((b.path, b) for b in briefings[:FEED_ENTRIES])
    # a briefing without a body hash (never from load_briefing) forces a fresh plan
    return digest(
        _meta_key(site), *sorted(f"{p}={b.body_hash or id(b)}" for p, b in entries.items())
    )


# Machine files (feeds, exports, sitemap) cost seconds on a large site and rarely change.
# The preview server keeps them here between rebuilds; a build keeps them in its cache
# (``remembered_plans``), keyed by what they are made from.
_memo: dict[str, tuple[str, list[Page]]] = {}


def remembered_plans() -> dict[str, tuple[str, list[Page]]]:
    return _memo


def _remembered(name: str, key: str, make: Callable[[], list[Page]]) -> list[Page]:
    hit = _memo.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    pages = make()
    _memo[name] = (key, pages)
    return pages


def plan_site_pages(site: Site) -> list[Page]:
    pages = plan_home(site)
    pages += [Page(b.output_path, "briefing.html", b.title, briefing=b) for b in site.briefings]
    pages.append(Page("404.html", "404.html", "Page not found"))
    for planner in (
        plan_timelines,
        plan_aid,
        plan_sources,
        plan_quotes,
        plan_tags,
        plan_archive,
        plan_search,
    ):
        pages += planner(site)
    pages += _remembered("feeds", _feeds_key(site), lambda: plan_feeds(site))
    pages += _remembered("exports", _meta_key(site), lambda: plan_exports(site))
    return pages


def plan_sitemap(site: Site, pages: Sequence[Page]) -> list[Page]:
    key = digest(_meta_key(site), *(p.path for p in pages))
    return _remembered("sitemap", key, lambda: plan_sitemap_files(site, pages))


def plan_content_pages(site: Site) -> list[Page]:
    """The pages that carry briefing bodies beyond the briefing pages themselves."""
    return _remembered("feeds", _feeds_key(site), lambda: plan_feeds(site))
