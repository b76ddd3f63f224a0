"""The record as tables, for analysts: one definition of each table, written three ways.

``TABLES`` declares each table's columns once (name, type, description); from it come
the CSV files (``aid.csv``, ``aid_history.csv`` …), ``facts.sqlite`` (standard library
``sqlite3``; it opens in Datasette and in pandas with no extra step) and
``datapackage.json`` (Frictionless Data, describing every CSV). Amounts are exact decimal
strings everywhere; dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as written, with
their precision beside them. docs/views.md lists every column (a test checks it does).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.facts import STAGES, AidFact
from dossier.machine import clean_text
from dossier.site import Site
from dossier.totals import convert

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a donor named '=HYPERLINK(...)' must stay text when aid.csv is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless: string, number, boolean
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Site], Iterable[Sequence[Any]]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, its column)

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"


def C(name: str, description: str, type_: str = "string") -> Column:  # noqa: N802
    return Column(name, type_, description)


DATE = "as written: YYYY, YYYY-MM or YYYY-MM-DD"


def _urls(site: Site, briefings: Iterable[Any]) -> str:
    return "; ".join(site.config.absolute_url(b.url_path) for b in briefings)


def _amount(value: Any) -> str:
    return "" if value is None else format(value, "f")


def _aid_rows(site: Site) -> Iterable[Sequence[Any]]:
    reporting = site.config.reporting_currency
    for f in site.aid:
        a = f.aid
        converted = convert(a.money, a.date.start, site.config)
        stages = []
        for stage in STAGES:
            entry = f.stages.get(stage)
            stages += [_amount(entry.money.amount), entry.money.currency] if entry else ["", ""]
        yield [
            a.id,
            _amount(a.amount),
            a.currency,
            _amount(converted.amount) if converted else "",
            reporting,
            f.donor.name,
            f.donor.entity or "",
            f.recipient.name,
            f.recipient.entity or "",
            a.date.isoformat(),
            a.date.precision,
            a.kind,
            a.instrument or "",
            f.status,
            *stages,
            a.package or "",
            "; ".join(a.items),
            "; ".join(source_urls(f)),
            site.config.absolute_url(f.defined_in.url_path),
            _urls(site, f.briefings),
        ]


def source_urls(fact: AidFact) -> list[str]:
    found: list[str] = []
    for b in fact.briefings:
        for ref in fact.aid.sources:
            s = b.annotations.source(ref)
            if s is not None and s.url not in found:
                found.append(s.url)
    return found


def _history_rows(site: Site) -> Iterable[Sequence[Any]]:
    for f in site.aid:
        for n, e in enumerate(f.history, 1):
            yield [
                f.id,
                n,
                e.date.isoformat(),
                e.status,
                _amount(e.money.amount),
                e.money.currency,
                e.note or "",
                "update" if e.update else "definition",
                site.config.absolute_url(e.briefing.url_path),
            ]


def _event_rows(site: Site) -> Iterable[Sequence[Any]]:
    for f in site.events:
        e = f.event
        yield [
            e.id,
            e.date.isoformat(),
            e.date.precision,
            e.label,
            f.place.name if f.place else (e.place or ""),
            f.place.entity if f.place and f.place.entity else "",
            "; ".join(a.name for a in f.actors),
            "; ".join(a.entity or "" for a in f.actors),
            site.config.absolute_url(f.defined_in.url_path),
            _urls(site, f.briefings),
        ]


def _source_rows(site: Site) -> Iterable[Sequence[Any]]:
    for e in site.sources:
        s = e.source
        yield [
            s.url,
            s.title,
            e.publisher.name,
            e.publisher.entity or "",
            s.kind,
            s.published.isoformat() if s.published else "",
            _urls(site, e.briefings),
        ]


def _quote_rows(site: Site) -> Iterable[Sequence[Any]]:
    for q in site.quotes:
        yield [
            q.speaker.name,
            q.speaker.entity or "",
            q.role,
            q.quote.text,
            q.quote.date.isoformat() if q.quote.date else "",
            q.source.url if q.source else "",
            _urls(site, q.briefings),
        ]


def _entity_rows(site: Site) -> Iterable[Sequence[Any]]:
    for e in site.entities.entries:
        yield [e.id, e.name, e.kind, "; ".join(e.aliases), e.wikidata or ""]


def _briefing_rows(site: Site) -> Iterable[Sequence[Any]]:
    for b in sorted(site.briefings, key=lambda b: b.path):
        yield [
            b.slug,
            site.config.absolute_url(b.url_path),
            b.title,
            b.date.isoformat(),
            b.updated.isoformat() if b.updated else "",
            "true" if b.draft else "false",
            "; ".join(b.tags),
            b.path,
            b.lang or site.config.language,
            b.translation_of or "",
        ]


_STAGE_COLUMNS = tuple(
    c
    for s in STAGES
    for c in (
        C(
            f"{s}_amount",
            f"the amount it counts with at the {s} stage (empty: not reached)",
            "number",
        ),
        C(f"{s}_currency", f"the currency of {s}_amount"),
    )
)

TABLES = (
    Table(
        "aid",
        "Aid facts",
        "One row per aid fact, however many briefings cover it.",
        (
            C("id", "the aid fact's id, the same in every briefing"),
            C("amount", "the amount as defined (exact decimal)", "number"),
            C("currency", "ISO 4217 code of amount"),
            C("converted_amount", "amount converted at the rate in force on its date", "number"),
            C("converted_currency", "the site's reporting currency"),
            C("donor", "the donor's canonical name"),
            C("donor_id", "the donor's entity id (empty: not in the registry)"),
            C("recipient", "the recipient's canonical name"),
            C("recipient_id", "the recipient's entity id (empty: not in the registry)"),
            C("date", f"the date of the definition, {DATE}"),
            C("date_precision", "year, month or day"),
            C("kind", "military, financial, humanitarian or other"),
            C("instrument", "grant, loan, guarantee or in-kind (empty: not given)"),
            C("status", "the latest stage: pledged, committed or delivered"),
            *_STAGE_COLUMNS,
            C("package", "the package it belongs to"),
            C("items", "what it includes, separated by '; '"),
            C("sources", "the URLs of its sources, separated by '; '"),
            C("defined_in", "the URL of the briefing that defines it"),
            C("briefings", "the URLs of every briefing that defines it, separated by '; '"),
        ),
        _aid_rows,
        primary_key=("id",),
    ),
    Table(
        "aid_history",
        "Aid history",
        "One row per step in the life of an aid fact: its definition, then each update.",
        (
            C("aid_id", "the aid fact's id"),
            C("step", "1 for the definition, then 2, 3 … in date order", "integer"),
            C("date", DATE),
            C("status", "pledged, committed or delivered"),
            C("amount", "exact decimal", "number"),
            C("currency", "ISO 4217 code"),
            C("note", "why the amount changed (a correction), or empty"),
            C("entry", "definition or update"),
            C("briefing", "the URL of the briefing that records it"),
        ),
        _history_rows,
        primary_key=("aid_id", "step"),
        foreign_keys=(("aid_id", "aid", "id"),),
    ),
    Table(
        "events",
        "Events",
        "One row per dated event.",
        (
            C("id", "the event's id"),
            C("date", DATE),
            C("date_precision", "year, month or day"),
            C("label", "what happened"),
            C("place", "where, with its canonical name when the registry has it"),
            C("place_id", "the place's entity id, or empty"),
            C("actors", "who acted, separated by '; '"),
            C("actor_ids", "their entity ids, separated by '; ' (empty where unknown)"),
            C("defined_in", "the URL of the briefing that defines it"),
            C("briefings", "the URLs of every briefing that defines it, separated by '; '"),
        ),
        _event_rows,
        primary_key=("id",),
    ),
    Table(
        "sources",
        "Sources",
        "One row per source URL, however many briefings cite it.",
        (
            C("url", "the source's URL"),
            C("title", "its title"),
            C("publisher", "the publisher's canonical name"),
            C("publisher_id", "the publisher's entity id, or empty"),
            C("kind", "official, media, ngo, research or other"),
            C("published", f"when it was published, {DATE}, or empty"),
            C("briefings", "the URLs of the briefings citing it, separated by '; '"),
        ),
        _source_rows,
        primary_key=("url",),
    ),
    Table(
        "quotes",
        "Quotes",
        "One row per quote (the same words from the same speaker are one quote).",
        (
            C("who", "the speaker's canonical name"),
            C("who_id", "the speaker's entity id, or empty"),
            C("role", "the speaker's role, as written or from the registry on the quote's date"),
            C("text", "the words"),
            C("date", f"when they were said, {DATE}, or empty"),
            C("source", "the URL of the source"),
            C("briefings", "the URLs of the briefings carrying it, separated by '; '"),
        ),
        _quote_rows,
    ),
    Table(
        "entities",
        "Entities",
        "Every donor, recipient, speaker or publisher the registry knows.",
        (
            C("id", "the entity's id (its page is entities/<id>/)"),
            C("name", "its canonical name"),
            C("kind", "country, organisation or person"),
            C("aliases", "other names it goes by, separated by '; '"),
            C("wikidata", "its Wikidata id, or empty"),
        ),
        _entity_rows,
        primary_key=("id",),
    ),
    Table(
        "briefings",
        "Briefings",
        "Every published briefing.",
        (
            C("slug", "the briefing's slug"),
            C("url", "its URL"),
            C("title", "its title"),
            C("date", "its publication date, YYYY-MM-DD"),
            C("updated", "when it was last updated, or empty"),
            C("draft", "true for a draft (only in a preview)", "boolean"),
            C("tags", "its tags, separated by '; '"),
            C("path", "its file in the project"),
            C("lang", "its language, a BCP 47 tag"),
            C("translation_of", "the slug of the briefing it translates, or empty"),
        ),
        _briefing_rows,
        primary_key=("slug", "lang"),  # a translation may keep its original's slug
    ),
)


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


def _cell(value: Any) -> str:
    text = clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(t: Table, site: Site) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in t.columns])
    for row in t.rows(site):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


SQL_TYPES = {"string": "TEXT", "number": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}


def facts_sqlite(site: Site) -> bytes:
    """Every table in one SQLite file; amounts are TEXT, exact as written."""
    fd, name = tempfile.mkstemp(suffix=".sqlite")
    os.close(fd)
    try:
        db = sqlite3.connect(name)
        try:
            for t in TABLES:
                columns = ", ".join(f'"{c.name}" {SQL_TYPES[c.type]}' for c in t.columns)
                key = f", PRIMARY KEY ({', '.join(t.primary_key)})" if t.primary_key else ""
                db.execute(f'CREATE TABLE "{t.name}" ({columns}{key})')
                marks = ", ".join("?" for _ in t.columns)
                db.executemany(
                    f'INSERT INTO "{t.name}" VALUES ({marks})',
                    (
                        [_sql(v, c) for v, c in zip(row, t.columns, strict=True)]
                        for row in t.rows(site)
                    ),
                )
            db.commit()
            db.execute("VACUUM")
        finally:
            db.close()
        with open(name, "rb") as f:
            return f.read()
    finally:
        os.unlink(name)


def _sql(value: Any, column: Column) -> Any:
    if column.type == "boolean":
        return 1 if value in (True, "true") else 0
    if column.type == "integer":
        return int(value)
    text = clean_text(str(value))
    return None if text == "" and column.type == "number" else text


def datapackage_json(site: Site) -> bytes:
    """A Frictionless Data package describing every CSV."""
    resources = []
    for t in TABLES:
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in t.columns
            ],
            "missingValues": [""],
        }
        if t.primary_key:
            schema["primaryKey"] = list(t.primary_key)
        if t.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": other, "fields": their}}
                for col, other, their in t.foreign_keys
            ]
        resources.append(
            {
                "name": t.name.replace("_", "-"),
                "path": t.csv_name,
                "title": t.title,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    for r in resources:
        for fk in r["schema"].get("foreignKeys", []):
            fk["reference"]["resource"] = fk["reference"]["resource"].replace("_", "-")
    doc = {
        "profile": "tabular-data-package",
        "name": "dossier-facts",
        "title": clean_text(f"{site.config.title}: the record"),
        "homepage": site.config.absolute_url(""),
        "resources": resources,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
