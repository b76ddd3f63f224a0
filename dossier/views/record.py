"""A briefing's record: the facts its page shows, as the whole site knows them.

A briefing page shows the facts it defines and the facts it only refers to (a body span
or an update), each with its history, its canonical names and a link to the briefing
that defines it; a defining page lists the briefings that refer to the fact. What the
page shows of other briefings (their titles and URLs) is copied here as plain values, so
that the page's planned value changes, and the page is rendered again, when they do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dossier.annotations import Quote, Source
from dossier.briefing import Briefing
from dossier.entities import Party
from dossier.facts import AidFact, EventFact, HistoryEntry, QuoteEntry, source_key
from dossier.page import Page
from dossier.site import Site


@dataclass(frozen=True)
class Link:
    """A briefing, as a link: its title and where it is."""

    title: str
    url_path: str

    @classmethod
    def to(cls, b: Briefing) -> Link:
        return cls(b.title, b.url_path)


@dataclass(frozen=True)
class SourceView:
    source: Source
    publisher: Party


@dataclass(frozen=True)
class AidView:
    fact: AidFact
    here: bool  # defined in this briefing
    defined_in: Link
    referred_from: tuple[Link, ...]  # briefings that refer to it or update it
    sources: tuple[SourceView, ...]  # the definition's sources
    history: tuple[tuple[HistoryEntry, Link, tuple[SourceView, ...]], ...]  # with its briefing


@dataclass(frozen=True)
class EventView:
    fact: EventFact
    here: bool
    defined_in: Link
    referred_from: tuple[Link, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class QuoteView:
    quote: Quote
    speaker: Party
    role: str
    source: Source | None
    publisher: Party | None


@dataclass(frozen=True)
class Record:
    events: tuple[EventView, ...] = ()
    aid: tuple[AidView, ...] = ()
    sources: tuple[SourceView, ...] = ()
    quotes: tuple[QuoteView, ...] = ()

    def card(self, key: str) -> AidView | EventView | SourceView | QuoteView | None:
        """What the card of a span marked ``data-card="kind:id"`` shows."""
        kind, _, id_ = key.partition(":")
        found = {
            "aid": ((v.fact.id, v) for v in self.aid),
            "event": ((v.fact.id, v) for v in self.events),
            "source": ((v.source.id, v) for v in self.sources),
            "quote": ((v.quote.id, v) for v in self.quotes),
        }.get(kind, iter(()))
        return next((v for i, v in found if i == id_), None)


class Records:
    """The site's facts by id, once per build, to make each briefing's record."""

    def __init__(self, site: Site) -> None:
        self.aid: Mapping[str, AidFact] = {f.id: f for f in site.aid}
        self.events: Mapping[str, EventFact] = {f.id: f for f in site.events}
        self.publishers: Mapping[str, Party] = {
            source_key(e.source): e.publisher for e in site.sources
        }
        self.quotes: Mapping[tuple[str, str], QuoteEntry] = {
            (b.path, q.quote.id): q for q in site.quotes for b in q.briefings
        }
        self.entities = site.entities

    def of(self, b: Briefing) -> Record:
        ann = b.annotations
        events = [f.id for f in ann.events]
        events += [m.id for m in b.mentions if m.kind == "event" and m.id not in events]
        aid = [a.id for a in ann.aid]
        aid += [m.id for m in b.mentions if m.kind == "aid" and m.id not in aid]
        aid += [u.ref for u in ann.updates if u.ref not in aid]
        return Record(
            events=tuple(self._event(self.events[i], b) for i in events if i in self.events),
            aid=tuple(self._aid(self.aid[i], b) for i in aid if i in self.aid),
            sources=tuple(self._source(s) for s in ann.sources),
            quotes=tuple(self._quote(q, b) for q in ann.quotes),
        )

    def _event(self, f: EventFact, b: Briefing) -> EventView:
        definer = f.defined_in
        return EventView(
            f,
            any(x.path == b.path for x in f.briefings),
            Link.to(definer),
            tuple(Link.to(r) for r in f.referrers),
            self._sources_of(definer, f.event.sources),
        )

    def _aid(self, f: AidFact, b: Briefing) -> AidView:
        definer = f.defined_in
        return AidView(
            f,
            any(x.path == b.path for x in f.briefings),
            Link.to(definer),
            tuple(Link.to(r) for r in f.referrers),
            self._sources_of(definer, f.aid.sources),
            tuple(
                (e, Link.to(e.briefing), self._sources_of(e.briefing, e.sources)) for e in f.history
            ),
        )

    def _source(self, s: Source) -> SourceView:
        return SourceView(s, self.publishers.get(source_key(s)) or Party(s.publisher))

    def _sources_of(self, b: Briefing, ids: tuple[str, ...]) -> tuple[SourceView, ...]:
        return tuple(self._source(s) for i in ids if (s := b.annotations.source(i)) is not None)

    def _quote(self, q: Quote, b: Briefing) -> QuoteView:
        entry = self.quotes.get((b.path, q.id))
        source = b.annotations.source(q.source)
        publisher = self.publishers.get(source_key(source)) if source else None
        if entry is None:  # not merged (a reviewed draft quote)
            return QuoteView(q, Party(q.who), q.role, source, publisher)
        return QuoteView(q, entry.speaker, q.role or entry.role, source, publisher)


def plan_briefings(site: Site) -> list[Page]:
    records = Records(site)
    return [
        Page(b.output_path, "briefing.html", b.title, briefing=b, data={"record": records.of(b)})
        for b in site.briefings
    ]
