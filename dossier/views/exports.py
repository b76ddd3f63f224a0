"""Data files for machines: aid.json, timeline.ics, timeline.json (TimelineJS), and the
record as tables (dossier.views.tables: the CSV files, facts.sqlite, datapackage.json).

One row per fact (an id shared by briefings is one row), amounts as exact
decimal strings, and nothing that depends on when the build ran.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

from dossier.facts import AidFact, EventFact
from dossier.formatting import format_partial
from dossier.machine import clean_data, clean_text
from dossier.money import Money
from dossier.page import Page
from dossier.site import Site
from dossier.totals import convert
from dossier.views.tables import TABLES, datapackage_json, facts_sqlite, source_urls, table_csv


def last_updated(site: Site) -> dt.date:
    """The newest publication or update date: the 'now' of a deterministic build."""
    return max((b.modified for b in site.briefings), default=dt.date(1970, 1, 1))


def _briefing_urls(site: Site, fact: AidFact | EventFact) -> list[str]:
    return [site.config.absolute_url(b.url_path) for b in fact.briefings]


def _money(money: Money) -> dict[str, str]:
    return {"amount": format(money.amount, "f"), "currency": money.currency}


def aid_record(site: Site, fact: AidFact) -> dict[str, Any]:
    """One aid fact for aid.json: its definition, its history and the amount it counts
    with at each stage it reached, amounts as exact decimal strings."""
    a = fact.aid
    converted = convert(a.money, a.date.start, site.config)
    return {
        "id": a.id,
        "amount": format(a.amount, "f"),
        "currency": a.currency,
        "converted_amount": format(converted.amount, "f") if converted else "",
        "converted_currency": site.config.reporting_currency,
        "donor": fact.donor.name,
        "donor_id": fact.donor.entity,
        "recipient": fact.recipient.name,
        "recipient_id": fact.recipient.entity,
        "date": a.date.isoformat(),
        "date_precision": a.date.precision,
        "kind": a.kind,
        "instrument": a.instrument,
        "status": fact.status,
        "package": a.package or "",
        "items": list(a.items),
        "stages": {stage: _money(e.money) for stage, e in fact.stages.items()},
        "history": [
            {
                "date": e.date.isoformat(),
                "status": e.status,
                **_money(e.money),
                "note": e.note,
                "briefing": site.config.absolute_url(e.briefing.url_path),
            }
            for e in fact.history
        ],
        "sources": source_urls(fact),
        "defined_in": site.config.absolute_url(fact.defined_in.url_path),
        "briefings": _briefing_urls(site, fact),
        "referred_from": [site.config.absolute_url(b.url_path) for b in fact.referrers],
    }


def aid_json(site: Site) -> bytes:
    totals = site.aid_totals
    doc = {
        "title": f"{site.config.title}: aid",
        "reporting_currency": site.config.reporting_currency,
        "exchange_rates": [
            {
                "currency": r.currency,
                "rate": str(r.rate),
                "from": r.start.isoformat() if r.start else None,
            }
            for r in (totals.rates_used if totals else ())
        ],
        "updated": last_updated(site).isoformat(),
        "totals": {
            s.stage: {m.currency: format(m.amount, "f") for m in s.by_currency}
            for s in (totals.overall.stages if totals else ())
        },
        "converted_totals": {
            s.stage: format(s.converted.amount, "f")
            for s in (totals.overall.stages if totals else ())
        },
        "aid": [aid_record(site, f) for f in site.aid],
    }
    return _json(doc)


def _json(doc: Any) -> bytes:
    # Compact: the C encoder is used only without indent, and nobody reads these by eye.
    doc = clean_data(doc)
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def timeline_json(site: Site) -> bytes:
    """The TimelineJS JSON format: a title slide and one slide per event, its date shown
    as the site's pages show it ('November 2024', '20 November 2024')."""
    events = []
    for e in site.events:
        d = e.event.date
        start = {"year": d.year}
        if d.month:
            start["month"] = d.month
        if d.day:
            start["day"] = d.day
        links = "".join(
            f'<li><a href="{site.config.absolute_url(b.url_path)}#event-{e.id}">'
            f"{_html(b.title)}</a></li>"
            for b in e.briefings
        )
        slide: dict[str, Any] = {
            "unique_id": e.id,
            "start_date": start,
            "display_date": format_partial(d, site.config.language, site.config.date_format),
            "group": str(d.year),
            "text": {
                "headline": _html(e.event.label),
                "text": (f"<p>{_html(e.event.place)}</p>" if e.event.place else "")
                + f"<ul>{links}</ul>",
            },
        }
        events.append(slide)
    doc = {
        "title": {
            "text": {
                "headline": _html(f"{site.config.title}: timeline"),
                "text": _html(site.config.description),
            }
        },
        "events": events,
    }
    return _json(doc)


def _html(text: str | None) -> str:
    from markupsafe import escape

    return str(escape(text or ""))


def timeline_ics(site: Site) -> bytes:
    """RFC 5545: all-day events spanning the precision written (a month, a year, a day)."""
    host = urlsplit(site.config.base_url).hostname or "dossier.invalid"
    stamp = last_updated(site).strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dossier//Timeline//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(site.config.title + ': timeline')}",
    ]
    for e in site.events:
        d = e.event.date
        first = e.briefings[0]
        description = "\n".join(
            [e.event.label, *(site.config.absolute_url(b.url_path) for b in e.briefings)]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.end + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(e.event.label)}",
            f"DESCRIPTION:{_ics_text(description)}",
            f"URL:{site.config.absolute_url(first.url_path)}#event-{e.id}",
        ]
        if e.event.place:
            lines.append(f"LOCATION:{_ics_text(e.event.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT: after ``clean_text`` the only line break left is LF, written ``\\n``."""
    return (
        clean_text(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never split a character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74
    return "\r\n ".join(parts)


EXPORT_FILES = (
    "aid.json",
    "timeline.ics",
    "timeline.json",
    *(t.csv_name for t in TABLES),
    "facts.sqlite",
    "datapackage.json",
)


def plan_exports(site: Site) -> list[Page]:
    files = [
        ("aid.json", "Aid (JSON)", aid_json(site)),
        ("timeline.ics", "Timeline (iCalendar)", timeline_ics(site)),
        ("timeline.json", "Timeline (TimelineJS)", timeline_json(site)),
        *((t.csv_name, f"{t.title} (CSV)", table_csv(t, site)) for t in TABLES),
        ("facts.sqlite", "The record (SQLite)", facts_sqlite(site)),
        ("datapackage.json", "The record (Frictionless Data package)", datapackage_json(site)),
    ]
    return [Page(path, "", title, body=body) for path, title, body in files]
