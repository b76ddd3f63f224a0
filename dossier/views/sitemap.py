"""sitemap.xml (sitemaps.org 0.9) over every HTML page, and robots.txt pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from dossier.machine import clean_text
from dossier.page import Page
from dossier.site import Site
from dossier.views.exports import last_updated

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # a page's versions in other languages (Google's form)
NOT_LISTED = ("404.html", "search/index.html")


def sitemap_xml(site: Site, pages: Sequence[Page]) -> bytes:
    default = last_updated(site)
    names = {"xmlns": SITEMAP_NS}
    if any(p.alternates for p in pages):
        names["xmlns:xhtml"] = XHTML_NS
    urlset = ET.Element("urlset", names)
    for page in sorted(pages, key=lambda p: p.path):
        if not page.is_html or _unlocalized(site, page) in NOT_LISTED:
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = clean_text(site.config.absolute_url(page.url_path))
        modified = page.briefing.modified if page.briefing else default
        ET.SubElement(url, "lastmod").text = modified.isoformat()
        for code, path in page.alternates:  # every version, this one too
            href = clean_text(site.config.absolute_url(path))
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=code, href=href)
    ET.indent(urlset, " ")
    body = ET.tostring(urlset, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _unlocalized(site: Site, page: Page) -> str:
    """A page's path as its default-language version has it: uk/search/ → search/."""
    return (
        page.path.removeprefix(site.config.language_folder(page.lang)) if page.lang else page.path
    )


def robots_txt(site: Site) -> bytes:
    return (
        f"User-agent: *\nAllow: /\n\nSitemap: {site.config.absolute_url('sitemap.xml')}\n"
    ).encode()


def plan_sitemap_files(site: Site, pages: Sequence[Page]) -> list[Page]:
    return [
        Page("sitemap.xml", "", "Sitemap", body=sitemap_xml(site, pages)),
        Page("robots.txt", "", "robots.txt", body=robots_txt(site)),
    ]
