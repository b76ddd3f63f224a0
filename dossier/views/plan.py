"""The page list of every view, in one place, for ``dossier.render.plan_pages``."""

from __future__ import annotations

from collections.abc import Sequence

from dossier.render import Page
from dossier.site import Site
from dossier.views.aid import plan_aid
from dossier.views.exports import plan_exports
from dossier.views.feeds import plan_feeds
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
        plan_feeds,
        plan_exports,
    ):
        pages += planner(site)
    return pages


def plan_sitemap(site: Site, pages: Sequence[Page]) -> list[Page]:
    return plan_sitemap_files(site, pages)
