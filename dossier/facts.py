"""Cross-briefing identity: an annotation id names one fact across the whole site.

The same event or aid id in two briefings is one fact, listed and counted once,
linked to every briefing that annotates it. When two briefings disagree about
what the fact is (date, amount, currency, donor, recipient), that is an error
naming both files and lines, because a silent choice would publish a wrong total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dossier.annotations import AidAmount, Event, Quote, Source
from dossier.briefing import Briefing
from dossier.errors import Problems

EVENT_FIELDS = ("date",)
AID_FIELDS = ("date", "amount", "currency", "donor", "recipient")


@dataclass(frozen=True, slots=True)
class EventFact:
    event: Event
    briefings: tuple[Briefing, ...]

    @property
    def id(self) -> str:
        return self.event.id


@dataclass(frozen=True, slots=True)
class AidFact:
    aid: AidAmount
    briefings: tuple[Briefing, ...]

    @property
    def id(self) -> str:
        return self.aid.id


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One source as cited anywhere: the same URL is one source, whatever its local id."""

    source: Source
    briefings: tuple[Briefing, ...]
    anchor: str


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    quote: Quote
    source: Source | None
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True, slots=True)
class Facts:
    events: tuple[EventFact, ...] = ()
    aid: tuple[AidFact, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    quotes: tuple[QuoteEntry, ...] = ()


def merge_facts(briefings: Sequence[Briefing], problems: Problems) -> Facts:
    """Fold every briefing's annotations into site-wide facts, reporting disagreements.

    Briefings are visited in path order so the 'first' file in an error is stable.
    """
    by_path = sorted(briefings, key=lambda b: b.path)
    events = _merge(
        ((b, i, e) for b in by_path for i, e in enumerate(b.annotations.events)),
        "events",
        EVENT_FIELDS,
        problems,
    )
    aid = _merge(
        ((b, i, a) for b in by_path for i, a in enumerate(b.annotations.aid)),
        "aid",
        AID_FIELDS,
        problems,
    )
    return Facts(
        events=tuple(
            sorted(
                (EventFact(rec, tuple(bs)) for rec, bs in events),
                key=lambda f: (date_key(f.event.date), f.id),
            )
        ),
        aid=tuple(
            sorted(
                (AidFact(rec, tuple(bs)) for rec, bs in aid),
                key=lambda f: (date_key(f.aid.date), f.id),
            )
        ),
        sources=_sources(by_path),
        quotes=_quotes(by_path),
    )


def _merge(
    records: Iterable[tuple[Briefing, int, Any]],
    field: str,
    compared: tuple[str, ...],
    problems: Problems,
) -> list[tuple[Any, list[Briefing]]]:
    first: dict[str, tuple[Any, list[Briefing]]] = {}
    for briefing, index, rec in records:
        seen = first.get(rec.id)
        if seen is None:
            first[rec.id] = (rec, [briefing])
            continue
        original, briefings = seen
        for name in compared:
            here, there = getattr(rec, name), getattr(original, name)
            if here != there:
                problems.add(
                    rec.where.path,
                    rec.where.line,
                    f"{field}[{index}].{name}",
                    f"{field} id {rec.id!r} has {name} {here} here but {there} in "
                    f"{original.where.path}:{original.where.line}",
                    "an id names one fact across briefings; make them agree or rename one",
                )
        if briefings[-1] is not briefing:  # records come briefing by briefing
            briefings.append(briefing)
    return [(rec, _newest_first(bs)) for rec, bs in first.values()]


def _newest_first(briefings: list[Briefing]) -> list[Briefing]:
    if len(briefings) < 2:
        return briefings
    return sorted(briefings, key=lambda b: (b.date, b.slug), reverse=True)


def date_key(d: Any) -> tuple[int, int, int]:
    """PartialDate's order as a plain tuple: comparing dataclasses is slow in big sorts."""
    return (d.year, d.month, d.day)


def source_key(source: Source) -> str:
    """Sources are the same when their URLs are (ignoring a fragment and a trailing '/')."""
    return source.url.split("#", 1)[0].rstrip("/")


def _sources(briefings: Sequence[Briefing]) -> tuple[SourceEntry, ...]:
    found: dict[str, tuple[Source, list[Briefing]]] = {}
    for b in briefings:
        for s in b.annotations.sources:
            entry = found.setdefault(source_key(s), (s, []))
            if not entry[1] or entry[1][-1] is not b:  # identity: comparing briefings is slow
                entry[1].append(b)
    ordered = sorted(
        found.values(), key=lambda e: (e[0].publisher.casefold(), e[0].title.casefold(), e[0].url)
    )
    return tuple(
        SourceEntry(s, tuple(_newest_first(bs)), f"source-{n}")
        for n, (s, bs) in enumerate(ordered, 1)
    )


def _quotes(briefings: Sequence[Briefing]) -> tuple[QuoteEntry, ...]:
    """The same words from the same person are one quote, however many briefings carry it."""
    found: dict[tuple[str, str], tuple[Quote, Source | None, list[Briefing]]] = {}
    for b in briefings:
        if not b.annotations.quotes:
            continue
        sources = {s.id: s for s in b.annotations.sources}
        for q in b.annotations.quotes:
            entry = found.setdefault((q.who, q.text), (q, sources.get(q.source), []))
            if not entry[2] or entry[2][-1] is not b:
                entry[2].append(b)
    ordered = sorted(
        found.values(),
        key=lambda e: (e[0].who.casefold(), e[0].date is None, e[0].date or 0, e[0].text),
    )
    return tuple(QuoteEntry(q, s, tuple(_newest_first(bs))) for q, s, bs in ordered)
