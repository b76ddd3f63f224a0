"""The facts a briefing annotates: sources, events, aid amounts and quotes.

Each record keeps the file and line it was written on, so that later stages
(cross-briefing checks, the Markdown spans) can point back at it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import yaml

from dossier.dates import PartialDate, parse_date, parse_partial_date
from dossier.money import Money, parse_amount, parse_currency
from dossier.schema import Ctx, Fields, closest

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SOURCE_KINDS = ("official", "media", "ngo", "research", "other")
AID_KINDS = ("military", "financial", "humanitarian", "other")
AID_STATUSES = ("pledged", "committed", "delivered")  # in this order: stages of one fact
INSTRUMENTS = ("grant", "loan", "guarantee", "in-kind")
URL_SCHEMES = ("http", "https")


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Where:
    path: str
    line: int


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    published: PartialDate | None
    accessed: dt.date | None
    review: bool
    where: Where


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Event:
    id: str
    date: PartialDate
    label: str
    place: str | None
    sources: tuple[str, ...]
    evidence: str | None
    review: bool
    where: Where
    actors: tuple[str, ...] = ()  # who acted: names, resolved through the entities


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class AidAmount:
    id: str
    money: Money
    donor: str
    recipient: str
    date: PartialDate
    package: str | None
    kind: str
    items: tuple[str, ...]
    status: str
    sources: tuple[str, ...]
    evidence: str | None
    review: bool
    where: Where
    instrument: str | None = None

    @property
    def amount(self) -> Decimal:
        return self.money.amount

    @property
    def currency(self) -> str:
        return self.money.currency


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Quote:
    id: str
    who: str
    role: str
    text: str
    source: str
    date: PartialDate | None
    evidence: str | None
    review: bool
    where: Where


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Update:
    """A change in the life of an aid fact defined anywhere: a new stage, a partial
    delivery, a corrected amount. ``index`` is its place in the briefing's list."""

    ref: str
    date: PartialDate
    status: str | None
    amount: Decimal | None
    currency: str | None
    note: str | None
    sources: tuple[str, ...]
    where: Where
    index: int

    @property
    def id(self) -> str:
        return f"update-{self.index + 1}"


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Annotations:
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    aid: tuple[AidAmount, ...] = ()
    quotes: tuple[Quote, ...] = ()
    updates: tuple[Update, ...] = ()

    def source(self, id_: str) -> Source | None:
        return next((s for s in self.sources if s.id == id_), None)


def is_web_url(raw: str) -> bool:
    """An http(s) URL with a host and no space or control character hidden in it: the one
    check for every URL Dossier writes (source urls, base_url, what the importer copies)."""
    if any(unicodedata.category(ch)[0] == "C" or ch.isspace() for ch in raw):
        return False
    parts = urlsplit(raw)
    return parts.scheme.lower() in URL_SCHEMES and bool(parts.netloc)


def parse_url(node: yaml.ScalarNode) -> str:
    """http(s) only: `javascript:`, `data:` and friends never reach an href."""
    raw = node.value.strip()
    if not is_web_url(raw):
        raise ValueError(f"{raw!r} is not an http(s) URL|sources link to web pages: https://...")
    return raw


def slug_id(f: Fields, name: str = "id", required: bool = True) -> str | None:
    value = f.text(name, required)
    if value is not None and not ID.match(value):
        f.fail(
            name,
            f"{value!r} is not a valid id",
            "use lower-case letters, digits, '-' and '_', e.g. pda-2024-11",
        )
        return None
    return value


def parse_annotations(root: Fields, ctx: Ctx) -> Annotations:
    """Read the four annotation lists; every id reference must resolve within the briefing."""
    where = lambda node: Where(ctx.path, ctx.line(node))  # noqa: E731
    sources = [
        _source(Fields(n, f"sources[{i}]", ctx, _SOURCE_KEYS), where(n))
        for i, n in root.items("sources")
    ]
    events = [
        _event(Fields(n, f"events[{i}]", ctx, _EVENT_KEYS), where(n))
        for i, n in root.items("events")
    ]
    aid = [_aid(Fields(n, f"aid[{i}]", ctx, _AID_KEYS), where(n)) for i, n in root.items("aid")]
    quotes = [
        _quote(Fields(n, f"quotes[{i}]", ctx, _QUOTE_KEYS), where(n), i)
        for i, n in root.items("quotes")
    ]
    updates = [
        _update(Fields(n, f"updates[{i}]", ctx, _UPDATE_KEYS), where(n), i)
        for i, n in root.items("updates")
    ]
    # Ids of sources that failed other checks still resolve, so one mistake is reported once.
    known = {s.id for s in sources if s} | _raw_ids(root.node_of("sources"))
    for field, records in (
        ("sources", sources),
        ("events", events),
        ("aid", aid),
        ("quotes", quotes),
        ("updates", updates),
    ):
        seen: dict[str, int] = {}
        for i, rec in enumerate(records):
            if rec is None:
                continue
            if rec.id in seen and field != "updates":
                ctx.problems.add(
                    ctx.path,
                    rec.where.line,
                    f"{field}[{i}].id",
                    f"duplicate id {rec.id!r} (also {field}[{seen[rec.id]}])",
                    "ids name one fact; rename one of them",
                )
            seen.setdefault(rec.id, i)
            refs = (
                rec.sources
                if field in ("events", "aid", "updates")
                else ((rec.source,) if field == "quotes" else ())
            )
            for ref in refs:
                if ref not in known:
                    guess = closest(ref, known)
                    hint = f"did you mean '{guess}'?" if guess else "add it under 'sources:'"
                    key = f"{field}[{i}].{'source' if field == 'quotes' else 'sources'}"
                    ctx.problems.add(
                        ctx.path, rec.where.line, key, f"unknown source id {ref!r}", hint
                    )
    return Annotations(
        sources=tuple(s for s in sources if s),
        events=tuple(e for e in events if e),
        aid=tuple(a for a in aid if a),
        quotes=tuple(q for q in quotes if q),
        updates=tuple(u for u in updates if u),
    )


def _raw_ids(node: yaml.Node | None) -> set[str]:
    if not isinstance(node, yaml.SequenceNode):
        return set()
    return {
        v.value
        for item in node.value
        if isinstance(item, yaml.MappingNode)
        for k, v in item.value
        if k.value == "id" and isinstance(v, yaml.ScalarNode)
    }


_SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "accessed", "kind", "review")
_EVENT_KEYS = ("id", "date", "label", "place", "actors", "sources", "evidence", "review")
_AID_KEYS = (
    "id",
    "amount",
    "currency",
    "donor",
    "recipient",
    "date",
    "package",
    "kind",
    "instrument",
    "items",
    "status",
    "sources",
    "evidence",
    "review",
)
_UPDATE_KEYS = ("ref", "date", "status", "amount", "currency", "note", "sources")
_QUOTE_KEYS = ("id", "who", "role", "text", "source", "date", "evidence", "review")


def _source(f: Fields, where: Where) -> Source | None:
    if not f.is_mapping:
        return None
    review = f.boolean("review", False)
    id_ = slug_id(f)
    title = f.text("title")
    publisher = f.text("publisher", empty_ok=review)
    url = (
        ""
        if review and f.has("url") and not f.node_of("url").value.strip()
        else f.converted("url", parse_url, True, "a URL")
    )
    kind = f.choice("kind", SOURCE_KINDS)
    published = f.converted("published", parse_partial_date, False, "a date")
    accessed = f.converted("accessed", parse_date, False, "a date")
    if not f.ok:
        return None
    return Source(id_, title, publisher, url, kind, published, accessed, review, where)  # type: ignore[arg-type]


def _refs(f: Fields) -> tuple[str, ...]:
    refs = f.text_list("sources", required=True)
    if f.has("sources") and not refs:
        f.fail("sources", "needs at least one source id", "e.g. sources: [amnesty]")
    return refs


def _event(f: Fields, where: Where) -> Event | None:
    if not f.is_mapping:
        return None
    id_ = slug_id(f)
    date = f.converted("date", parse_partial_date, True, "a date")
    label = f.text("label")
    place = f.text("place", required=False)
    actors = f.text_list("actors")
    sources = _refs(f)
    evidence = f.text("evidence", required=False)
    review = f.boolean("review", False)
    if not f.ok:
        return None
    return Event(id_, date, label, place, sources, evidence, review, where, actors)  # type: ignore[arg-type]


def _aid(f: Fields, where: Where) -> AidAmount | None:
    if not f.is_mapping:
        return None
    review = f.boolean("review", False)
    id_ = slug_id(f)
    amount = f.converted("amount", parse_amount, True, "an amount")
    currency = f.converted("currency", parse_currency, True, "a currency code")
    donor = f.text("donor", empty_ok=review)
    recipient = f.text("recipient", empty_ok=review)
    date = f.converted("date", parse_partial_date, True, "a date")
    package = f.text("package", required=False)
    if f.has("kind") and f.node_of("kind").value.strip() in INSTRUMENTS:  # type: ignore[union-attr]
        raw = f.node_of("kind").value.strip()  # type: ignore[union-attr]
        f.fail(
            "kind",
            f"{raw!r} is an instrument, not a kind of aid",
            f"write kind: financial (or military, humanitarian) and instrument: {raw}",
        )
        kind = None
    else:
        kind = f.choice("kind", AID_KINDS)
    instrument = f.choice("instrument", INSTRUMENTS, required=False)
    items = f.text_list("items")
    status = f.choice("status", AID_STATUSES)
    sources = _refs(f)
    evidence = f.text("evidence", required=False)
    if not f.ok:
        return None
    return AidAmount(
        id_,
        Money(amount, currency),
        donor,
        recipient,
        date,
        package,  # type: ignore[arg-type]
        kind,
        items,
        status,
        sources,
        evidence,
        review,
        where,
        instrument,
    )  # type: ignore[arg-type]


def _quote(f: Fields, where: Where, index: int) -> Quote | None:
    if not f.is_mapping:
        return None
    review = f.boolean("review", False)
    id_ = slug_id(f, required=False) or f"quote-{index + 1}"
    who = f.text("who")
    role = f.text("role", required=False, empty_ok=review) or ""  # else from the entities
    text = f.text("text")
    source = f.text("source")
    date = f.converted("date", parse_partial_date, False, "a date")
    evidence = f.text("evidence", required=False)
    if not f.ok:
        return None
    return Quote(id_, who, role, text, source, date, evidence, review, where)  # type: ignore[arg-type]


def _update(f: Fields, where: Where, index: int) -> Update | None:
    if not f.is_mapping:
        return None
    ref = slug_id(f, "ref")
    date = f.converted("date", parse_partial_date, True, "a date")
    status = f.choice("status", AID_STATUSES, required=False)
    amount = f.converted("amount", parse_amount, False, "an amount")
    currency = f.converted("currency", parse_currency, False, "a currency code")
    note = f.text("note", required=False)
    sources = _refs(f)
    if f.ok and status is None and amount is None:
        f.fail(
            "status",
            "an update changes a status or an amount",
            "add status: delivered (or committed, pledged), or amount: …",
        )
    if currency is not None and amount is None:
        f.fail("currency", "a currency without an amount", "add amount: …, or remove currency")
    if not f.ok:
        return None
    return Update(ref, date, status, amount, currency, note, sources, where, index)  # type: ignore[arg-type]
