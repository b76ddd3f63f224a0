"""A briefing's record: the facts its page shows, as the whole site knows them.

A briefing page shows the facts it defines and the facts it only refers to (a body span
or an update), each with its history, its canonical names and a link to the briefing
that defines it; a defining page lists the briefings that refer to the fact. What the
page shows of other briefings (their titles and URLs) is copied here as plain values, so
that the page's planned value changes, and the page is rendered again, when they do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    """Each briefing's record, found through the site's ``holders`` (the facts that hold a
    briefing), so that making one record costs what that briefing holds, not the site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        # A fact's view is the same on every page that shows it (but for ``here``), and a
        # briefing's sources are looked up once: 5,000 pages share most of this work.
        self._views: dict[tuple[str, str, bool], AidView | EventView] = {}
        self._source_views: dict[str, dict[str, SourceView]] = {}

    def _held(self, b: Briefing) -> dict[str, list[Any]]:
        facts = self.site.facts
        found: dict[str, list[Any]] = {"events": [], "aid": [], "sources": [], "quotes": []}
        for name, i in self.site.holders.get(b.path, ()):
            found[name].append(getattr(facts, name)[i])
        return found

    def of(self, b: Briefing) -> Record:
        ann = b.annotations
        held = self._held(b)
        own_events = {e.id: n for n, e in enumerate(ann.events)}
        own_aid = {a.id: n for n, a in enumerate(ann.aid)}
        events = sorted(
            held["events"], key=lambda f: (f.id not in own_events, own_events.get(f.id, 0))
        )
        aid = sorted(held["aid"], key=lambda f: (f.id not in own_aid, own_aid.get(f.id, 0)))
        return Record(
            events=tuple(self._event(f, b) for f in events),
            aid=tuple(self._aid(f, b) for f in aid),
            sources=self._sources_of(b, tuple(s.id for s in ann.sources)),
            quotes=tuple(self._quote(q, b, held["quotes"]) for q in ann.quotes),
        )

    def _event(self, f: EventFact, b: Briefing) -> EventView:
        here = any(x.path == b.path for x in f.briefings)
        key = ("event", f.id, here)
        view = self._views.get(key)
        if view is None:
            definer = f.defined_in
            view = self._views[key] = EventView(
                f,
                here,
                Link.to(definer),
                tuple(Link.to(r) for r in f.referrers),
                self._sources_of(definer, f.event.sources),
            )
        return view  # type: ignore[return-value]

    def _aid(self, f: AidFact, b: Briefing) -> AidView:
        here = any(x.path == b.path for x in f.briefings)
        key = ("aid", f.id, here)
        view = self._views.get(key)
        if view is None:
            definer = f.defined_in
            view = self._views[key] = AidView(
                f,
                here,
                Link.to(definer),
                tuple(Link.to(r) for r in f.referrers),
                self._sources_of(definer, f.aid.sources),
                tuple(
                    (e, Link.to(e.briefing), self._sources_of(e.briefing, e.sources))
                    for e in f.history
                ),
            )
        return view  # type: ignore[return-value]

    def _sources_of(self, b: Briefing, ids: tuple[str, ...]) -> tuple[SourceView, ...]:
        """Sources of ``b``, each with its publisher as the site knows it."""
        known = self._source_views.get(b.path)
        if known is None:
            publishers = {source_key(e.source): e.publisher for e in self._held(b)["sources"]}
            known = self._source_views[b.path] = {
                s.id: SourceView(s, publishers.get(source_key(s)) or Party(s.publisher))
                for s in b.annotations.sources
            }
        return tuple(known[i] for i in ids if i in known)

    def _quote(self, q: Quote, b: Briefing, entries: list[QuoteEntry]) -> QuoteView:
        speaker = self.site.entities.party(q.who)
        entry = next((e for e in entries if e.quote.text == q.text and e.speaker == speaker), None)
        views = self._sources_of(b, (q.source,))
        source, publisher = (views[0].source, views[0].publisher) if views else (None, None)
        if entry is None:  # not merged (a reviewed draft quote)
            return QuoteView(q, Party(q.who), q.role, source, publisher)
        return QuoteView(q, entry.speaker, q.role or entry.role, source, publisher)


class LazyRecord:
    """A briefing's record, made when first used: by the page's render, or by its
    fingerprint (its ``repr`` is the record's). A rebuild that keeps most pages as they
    are (no front matter changed) makes only the records of the pages it renders."""

    __slots__ = ("_made", "_of", "_records")

    def __init__(self, records: Callable[[], Records], of: Briefing) -> None:
        self._records, self._of, self._made = records, of, None

    @property
    def record(self) -> Record:
        if self._made is None:
            self._made = self._records().of(self._of)
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)

    def __repr__(self) -> str:
        return repr(self.record)

    def __eq__(self, other: object) -> bool:
        return self.record == (other.record if isinstance(other, LazyRecord) else other)

    def __hash__(self) -> int:
        return hash(self.record)


def _records_of(site: Site) -> Callable[[], Records]:
    made: list[Records] = []

    def records() -> Records:  # the site's indexes, once, when a record is first needed
        if not made:
            made.append(Records(site))
        return made[0]

    return records


def plan_briefings(site: Site) -> list[Page]:
    records = _records_of(site)
    return [
        Page(
            b.output_path,
            "briefing.html",
            b.title,
            briefing=b,
            data={"record": LazyRecord(records, b)},
        )
        for b in site.briefings
    ]


def rebinder(site: Site) -> Callable[[Page], Page]:
    """For the last build's pages, reused with a site whose briefings were swapped for
    ones with new bodies: a briefing page with its record made from ``site``."""
    records = _records_of(site)

    def rebind(page: Page) -> Page:
        if isinstance(page.data.get("record"), LazyRecord) and page.briefing is not None:
            current = site.by_slug.get(page.briefing.folder + page.briefing.slug, page.briefing)
            return dataclasses.replace(page, data={"record": LazyRecord(records, current)})
        return page

    return rebind
