"""Feeds: Atom (RFC 4287) and JSON Feed 1.1 for the whole site, and an Atom feed per tag.

Entries carry the full briefing body. ``updated`` is the newest briefing date,
never the build time, so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from dossier.briefing import Briefing
from dossier.formatting import format_money_compact, format_partial
from dossier.machine import clean_data, clean_text
from dossier.page import Page
from dossier.site import Site
from dossier.views.cards import fill_cards
from dossier.views.exports import last_updated
from dossier.views.record import Records

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
JSON_FEED = "https://jsonfeed.org/version/1.1"
FEED_ENTRIES = 20


def rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Every string of a feed, text or attribute, is written through ``clean_text``."""
    el = ET.SubElement(parent, tag, {k: clean_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean_text(text)
    return el


def body_html(site: Site, b: Briefing, records: Records) -> str:
    """A briefing's body as its page shows it, cards written in."""
    lang, fmt = b.lang or site.config.language, site.config.date_format
    return str(
        fill_cards(
            b.html,
            records.of(b),
            lambda m: format_money_compact(m, lang),
            lambda d: format_partial(d, lang, fmt),
        )
    )


def atom_feed(
    site: Site, briefings: Sequence[Briefing], path: str, title: str, home: str, records: Records
) -> bytes:
    config = site.config
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.language or config.language})
    path, home = site.folder + path, site.folder + home  # a language's feed, in its folder
    _sub(feed, "id", config.absolute_url(path))
    _sub(feed, "title", title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    updated = max(b.modified for b in briefings) if briefings else last_updated(site)
    _sub(feed, "updated", rfc3339(updated))
    author = _sub(feed, "author")
    _sub(author, "name", config.publisher or config.title)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=config.absolute_url(path))
    _sub(feed, "link", rel="alternate", type="text/html", href=config.absolute_url(home))
    _sub(feed, "generator", "Dossier")
    for b in briefings[:FEED_ENTRIES]:
        url = config.absolute_url(b.url_path)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", b.title)
        _sub(entry, "updated", rfc3339(b.modified))
        _sub(entry, "published", rfc3339(b.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        for tag in b.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", b.summary)
        content = _sub(entry, "content", body_html(site, b, records), type="html")
        content.set(XML_BASE, clean_text(url))
    ET.indent(feed, " ")
    body = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def json_feed(site: Site, records: Records) -> bytes:
    config = site.config
    items = [
        {
            "id": config.absolute_url(b.url_path),
            "url": config.absolute_url(b.url_path),
            "title": b.title,
            "summary": b.summary,
            "content_html": body_html(site, b, records),
            "date_published": rfc3339(b.date),
            "date_modified": rfc3339(b.modified),
            "tags": list(b.tags),
        }
        for b in site.briefings[:FEED_ENTRIES]
    ]
    doc = {
        "version": JSON_FEED,
        "title": config.title,
        "home_page_url": config.absolute_url(site.folder),
        "feed_url": config.absolute_url(site.folder + "feed.json"),
        "description": config.description,
        "language": site.language or config.language,
        "authors": [{"name": config.publisher or config.title}],
        "items": items,
    }
    return (json.dumps(clean_data(doc), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def plan_feeds(site: Site) -> list[Page]:
    records = Records(site)
    pages = [
        Page(
            "feed.xml",
            "",
            "Atom feed",
            body=atom_feed(site, site.briefings, "feed.xml", site.config.title, "", records),
        ),
        Page("feed.json", "", "JSON feed", body=json_feed(site, records)),
    ]
    for tag, briefings in site.tags.items():
        name = site.tag_names.get(tag, tag)
        path = f"tags/{tag}/feed.xml"
        title = f"{site.config.title}: {name}"
        body = atom_feed(site, briefings, path, title, f"tags/{tag}/", records)
        pages.append(Page(path, "", title, body=body))
    return pages
