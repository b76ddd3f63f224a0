"""Facts across briefings and over time: one definition per id, references, a dated history.

An event or aid id names one fact site-wide:

- every briefing that *defines* it (in its front matter) must define it the same way, on
  every field, or it is an error naming both files and lines; identical copies are one fact;
- a briefing may *refer* to it from its body (``[text]{.aid ref=ID}``) without copying it;
- a briefing may record a change in its life (``updates:``): a later stage, a partial
  delivery, a corrected amount.

An aid fact's **history** is its definition and its updates, by date; from it comes its
amount at each stage (pledged < committed < delivered, ``stage_entries``), which is what
the totals add up, stage by stage and never across stages.

Names (donors, recipients, speakers, publishers, actors) resolve through the entity
registry to ``Party`` values: the canonical name when the registry knows it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dossier.annotations import AID_STATUSES, AidAmount, Event, Quote, Source, Update, Where
from dossier.briefing import Briefing
from dossier.dates import PartialDate
from dossier.entities import Entities, Party
from dossier.errors import Problems
from dossier.markdown import Mention
from dossier.money import Money

STAGES = AID_STATUSES  # pledged < committed < delivered
EVENT_FIELDS = ("date", "label", "place", "actors")
AID_FIELDS = (
    "amount",
    "currency",
    "donor",
    "recipient",
    "date",
    "kind",
    "instrument",
    "status",
    "package",
    "items",
)


@dataclass(frozen=True)
class HistoryEntry:
    """One dated step in the life of an aid fact: its definition, or an update."""

    date: PartialDate
    status: str
    money: Money
    note: str | None
    briefing: Briefing  # where it is written
    where: Where
    sources: tuple[str, ...]  # source ids of that briefing
    update: bool  # False for the definition

    @property
    def anchor(self) -> str:
        return f"history-{self.where.line}"


@dataclass(frozen=True)
class EventFact:
    event: Event
    briefings: tuple[Briefing, ...]  # that define it, newest first
    referrers: tuple[Briefing, ...] = ()  # that mark it in their body without defining it
    actors: tuple[Party, ...] = ()
    place: Party | None = None

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def defined_in(self) -> Briefing:
        return self.briefings[-1]

    @property
    def held(self) -> tuple[Briefing, ...]:
        """Every briefing this fact holds, anywhere in it."""
        return self.briefings + self.referrers


@dataclass(frozen=True)
class AidFact:
    aid: AidAmount  # the definition
    briefings: tuple[Briefing, ...]  # that define it, newest first
    history: tuple[HistoryEntry, ...] = ()  # the definition and every update, by date
    referrers: tuple[Briefing, ...] = ()  # that mark or update it without defining it
    donor: Party = Party("")
    recipient: Party = Party("")
    # stage → the history entry whose amount counts at that stage (see stage_entries)
    stages: Mapping[str, HistoryEntry] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def id(self) -> str:
        return self.aid.id

    @property
    def defined_in(self) -> Briefing:
        return self.briefings[-1]

    @property
    def latest(self) -> HistoryEntry:
        return self.history[-1]

    @property
    def status(self) -> str:
        return self.history[-1].status if self.history else self.aid.status

    @property
    def money(self) -> Money:
        return self.history[-1].money if self.history else self.aid.money

    @property
    def updated(self) -> bool:
        return len(self.history) > 1

    @property
    def held(self) -> tuple[Briefing, ...]:
        """Every briefing this fact holds, anywhere in it (its history's too)."""
        return self.briefings + self.referrers + tuple(e.briefing for e in self.history)


@dataclass(frozen=True)
class SourceEntry:
    """One source as cited anywhere: the same URL is one source, whatever its local id."""

    source: Source
    briefings: tuple[Briefing, ...]
    anchor: str
    publisher: Party = Party("")

    @property
    def held(self) -> tuple[Briefing, ...]:
        return self.briefings


@dataclass(frozen=True)
class QuoteEntry:
    quote: Quote
    source: Source | None
    briefings: tuple[Briefing, ...]
    speaker: Party = Party("")
    role: str = ""  # as written, or the speaker's role on the quote's date

    @property
    def held(self) -> tuple[Briefing, ...]:
        return self.briefings


@dataclass(frozen=True)
class Facts:
    events: tuple[EventFact, ...] = ()
    aid: tuple[AidFact, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    quotes: tuple[QuoteEntry, ...] = ()


def merge_facts(briefings: Sequence[Briefing], entities: Entities, problems: Problems) -> Facts:
    """Fold every briefing's annotations into site-wide facts, reporting every
    disagreement, unknown reference and doubtful update.

    Briefings are visited in path order so the 'first' file in an error is stable."""
    by_path = sorted(briefings, key=lambda b: b.path)
    names = _Names(entities, problems)
    events = _merge(
        ((b, i, e) for b in by_path for i, e in enumerate(b.annotations.events)),
        "events",
        lambda e: {
            "date": e.date,
            "label": e.label,
            "place": e.place,
            "actors": tuple(names.resolve(a).name for a in e.actors),
        },
        problems,
    )
    aid = _merge(
        ((b, i, a) for b in by_path for i, a in enumerate(b.annotations.aid)),
        "aid",
        lambda a: {
            "amount": a.amount,
            "currency": a.currency,
            "donor": names.resolve(a.donor).name,
            "recipient": names.resolve(a.recipient).name,
            "date": a.date,
            "kind": a.kind,
            "instrument": a.instrument,
            "status": a.status,
            "package": a.package,
            "items": tuple(sorted(a.items)),  # the same items in any order
        },
        problems,
    )
    event_refs, aid_refs = _references(by_path, events, aid, problems)
    updates = _updates(by_path, aid, events, problems)
    event_facts = []
    for rec, bs, (definer, index) in events.values():
        place = entities.resolve(rec.place) if rec.place else None
        event_facts.append(
            EventFact(
                rec,
                tuple(_newest_first(bs)),
                tuple(_newest_first(event_refs.get(rec.id, ()))),
                tuple(names.party(a, definer, f"events[{index}].actors") for a in rec.actors),
                Party(place.name, place.id) if place else None,
            )
        )
    aid_facts = []
    for rec, bs, (definer, index) in aid.values():
        history = _history(rec, definer, updates.get(rec.id, []), problems)
        aid_facts.append(
            AidFact(
                rec,
                tuple(_newest_first(bs)),
                history,
                tuple(
                    _newest_first(
                        dict.fromkeys(
                            [*aid_refs.get(rec.id, ()), *(e.briefing for e in history[1:])]
                        )
                    )
                ),
                names.party(rec.donor, definer, f"aid[{index}].donor"),
                names.party(rec.recipient, definer, f"aid[{index}].recipient"),
                MappingProxyType(stage_entries(history)),
            )
        )
    return Facts(
        events=tuple(sorted(event_facts, key=lambda f: (date_key(f.event.date), f.id))),
        aid=tuple(sorted(aid_facts, key=lambda f: (date_key(f.aid.date), f.id))),
        sources=_sources(by_path, names),
        quotes=_quotes(by_path, names, entities, problems),
    )


def _merge(
    records: Iterable[tuple[Briefing, int, Any]],
    field_name: str,
    values: Any,
    problems: Problems,
) -> dict[str, tuple[Any, list[Briefing], tuple[Briefing, int]]]:
    """Each id once, with every briefing that defines it; two definitions must agree on
    every compared field (the error names both files and lines)."""
    first: dict[str, tuple[Any, list[Briefing], tuple[Briefing, int]]] = {}
    compared: dict[str, dict[str, Any]] = {}
    for briefing, index, rec in records:
        seen = first.get(rec.id)
        if seen is None:
            first[rec.id] = (rec, [briefing], (briefing, index))
            compared[rec.id] = values(rec)
            continue
        original, briefings, _ = seen
        here_values, there_values = values(rec), compared[rec.id]
        for name, there in there_values.items():
            here = here_values[name]
            if here != there:
                hint = (
                    "an id names one fact across briefings; record a change as an update "
                    f"(updates: - {{ref: {rec.id}, date: …, {name}: …}}), or rename one"
                    if field_name == "aid" and name in ("status", "amount")
                    else "an id names one fact across briefings; make them agree or rename one"
                )
                problems.add(
                    rec.where.path,
                    rec.where.line,
                    f"{field_name}[{index}].{name}",
                    f"{field_name} id {rec.id!r} has {name} {_shown(here)} here but "
                    f"{_shown(there)} in {original.where.path}:{original.where.line}",
                    hint,
                )
        if briefings[-1] is not briefing:  # records come briefing by briefing
            briefings.append(briefing)
    return first


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]" if value else "[]"
    return str(value)


def _references(
    briefings: Sequence[Briefing],
    events: Mapping[str, Any],
    aid: Mapping[str, Any],
    problems: Problems,
) -> tuple[dict[str, list[Briefing]], dict[str, list[Briefing]]]:
    """Body spans that mark a fact the briefing does not define: each must name a fact
    some briefing defines; the briefing is then one of its referrers."""
    found: dict[str, dict[str, list[Briefing]]] = {"event": {}, "aid": {}}
    known = {"event": events, "aid": aid}
    for b in briefings:
        for m in b.mentions:
            if m.id in known[m.kind]:
                refs = found[m.kind].setdefault(m.id, [])
                if not refs or refs[-1] is not b:
                    refs.append(b)
                continue
            _unknown_reference(b, m, known, problems)
    return found["event"], found["aid"]


def _unknown_reference(
    b: Briefing, m: Mention, known: Mapping[str, Mapping[str, Any]], problems: Problems
) -> None:
    other = "event" if m.kind == "aid" else "aid"
    local_other = [r.id for r in getattr(b.annotations, "events" if other == "event" else "aid")]
    if m.id in known[other] or m.id in local_other:
        message = f"{m.id!r} is an {other}, not an {m.kind}"
        hint = f"mark it as [text]{{.{other} ref={m.id}}}"
    else:
        close = difflib.get_close_matches(m.id, list(known[m.kind]), n=1)
        message = f"unknown {m.kind} id {m.id!r}: no briefing defines it"
        where = "events" if m.kind == "event" else "aid"
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"define it under '{where}:' in this or another briefing"
        )
    problems.add(b.path, m.line, "body", message, hint)


def _updates(
    briefings: Sequence[Briefing],
    aid: Mapping[str, Any],
    events: Mapping[str, Any],
    problems: Problems,
) -> dict[str, list[tuple[Briefing, Update]]]:
    """Every update, by the aid id it changes; an update of no known aid fact is an error."""
    found: dict[str, list[tuple[Briefing, Update]]] = {}
    for b in briefings:
        for u in b.annotations.updates:
            if u.ref in aid:
                found.setdefault(u.ref, []).append((b, u))
                continue
            key = f"updates[{u.index}].ref"
            if u.ref in events:
                problems.add(
                    b.path,
                    u.where.line,
                    key,
                    f"{u.ref!r} is an event; updates change aid facts",
                    "an event has no stage or amount to update",
                )
                continue
            close = difflib.get_close_matches(u.ref, list(aid), n=1)
            problems.add(
                b.path,
                u.where.line,
                key,
                f"unknown aid id {u.ref!r}: no briefing defines it",
                f"did you mean {close[0]!r}?" if close else "define it under 'aid:' in a briefing",
            )
    return found


def _history(
    rec: AidAmount,
    definer: Briefing,
    updates: list[tuple[Briefing, Update]],
    problems: Problems,
) -> tuple[HistoryEntry, ...]:
    """The definition, then each update in date order (a status or amount an update does
    not give is carried over from the entry before it). Reported here: an update dated
    before the definition, two updates of one date that disagree, and an amount changed
    for a stage already recorded without a note saying why."""
    first = HistoryEntry(
        rec.date, rec.status, rec.money, None, definer, rec.where, rec.sources, update=False
    )
    ordered = sorted(updates, key=lambda bu: (date_key(bu[1].date), bu[0].path, bu[1].index))
    entries = [first]
    by_date: dict[tuple[int, int, int], tuple[Briefing, Update, HistoryEntry]] = {}
    for b, u in ordered:
        key = f"updates[{u.index}]"
        if date_key(u.date) < date_key(rec.date):
            problems.add(
                b.path,
                u.where.line,
                f"{key}.date",
                f"{u.date} is before {rec.id!r} was defined ({rec.date}, "
                f"{rec.where.path}:{rec.where.line})",
                "an update follows the definition; correct the definition itself if it was wrong",
            )
            continue
        before = entries[-1]
        status = u.status or before.status
        currency = u.currency or (before.money.currency if u.amount is not None else None)
        money = Money(u.amount, currency) if u.amount is not None else before.money  # type: ignore[arg-type]
        entry = HistoryEntry(u.date, status, money, u.note, b, u.where, u.sources, update=True)
        same_day = by_date.get(date_key(u.date))
        if same_day is not None:
            ob, ou, oe = same_day
            if (oe.status, oe.money) != (entry.status, entry.money):
                problems.add(
                    b.path,
                    u.where.line,
                    f"{key}.{'status' if oe.status != entry.status else 'amount'}",
                    f"update of {rec.id!r} on {u.date} says {_step(entry)} here but "
                    f"{_step(oe)} in {ob.path}:{ou.where.line}",
                    "two updates of one fact on one date must agree; correct one of them",
                )
                continue
        by_date[date_key(u.date)] = (b, u, entry)
        if u.amount is not None and u.note is None:
            earlier = next(
                (e for e in reversed(entries) if e.status == status and e.money != money), None
            )
            if earlier is not None:
                problems.add(
                    b.path,
                    u.where.line,
                    f"{key}.amount",
                    f"changes the {status} amount of {rec.id!r} from {earlier.money} "
                    f"({earlier.where.path}:{earlier.where.line}) to {money} without a note",
                    'a correction says why: add note: "…"',
                )
        entries.append(entry)
    return tuple(entries)


def _step(entry: HistoryEntry) -> str:
    return f"{entry.status} {entry.money}"


def stage_entries(history: Sequence[HistoryEntry]) -> dict[str, HistoryEntry]:
    """The entry whose amount counts at each stage:

    - the latest entry with that status;
    - failing that, when a later stage was reached, the earliest entry beyond it (a fact
      first recorded as committed was pledged at least that much);
    - otherwise the fact does not count at that stage."""
    out: dict[str, HistoryEntry] = {}
    rank = {s: i for i, s in enumerate(STAGES)}
    for stage in STAGES:
        at = [e for e in history if e.status == stage]
        if at:
            out[stage] = at[-1]
            continue
        beyond = [e for e in history if rank[e.status] > rank[stage]]
        if beyond:
            out[stage] = beyond[0]
    return out


def _newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    found = list(briefings)
    if len(found) < 2:
        return found
    return sorted(found, key=lambda b: (b.date, b.slug), reverse=True)


def date_key(d: Any) -> tuple[int, int, int]:
    """PartialDate's order as a plain tuple: comparing dataclasses is slow in big sorts."""
    return (d.year, d.month, d.day)


def day_of(d: PartialDate | dt.date) -> dt.date:
    return d.start if isinstance(d, PartialDate) else d


class _Names:
    """Names resolved through the registry; an unknown one is a warning (once per file,
    key and name) naming the closest entity, when the site has a registry."""

    def __init__(self, entities: Entities, problems: Problems) -> None:
        self.entities, self.problems = entities, problems
        self._warned: set[tuple[str, str, str]] = set()

    def resolve(self, name: str) -> Party:
        return self.entities.party(name) if name else Party("")

    def party(self, name: str, briefing: Briefing, key: str) -> Party:
        party = self.resolve(name)
        if name and party.entity is None and self.entities.present:
            where = (briefing.path, key, name)
            if where not in self._warned:
                self._warned.add(where)
                close = self.entities.closest(name)
                hint = (
                    f"did you mean {close.name!r} ({close.id})?"
                    if close
                    else "add it to content/entities.yaml"
                )
                self.problems.add(
                    briefing.path,
                    _line_of(briefing, key),
                    key,
                    f"{name!r} is not in content/entities.yaml",
                    hint,
                    severity="warning",
                )
        return party


def _line_of(briefing: Briefing, key: str) -> int | None:
    """The line of the record a key path such as ``aid[2].donor`` names."""
    kind, _, rest = key.partition("[")
    index = int(rest.split("]", 1)[0]) if rest else 0
    records = getattr(briefing.annotations, kind, ())
    return records[index].where.line if index < len(records) else briefing.line


def source_key(source: Source) -> str:
    """Sources are the same when their URLs are (ignoring a fragment and a trailing '/')."""
    return source.url.split("#", 1)[0].rstrip("/")


def _sources(briefings: Sequence[Briefing], names: _Names) -> tuple[SourceEntry, ...]:
    found: dict[str, tuple[Source, list[Briefing], Party]] = {}
    for b in briefings:
        for i, s in enumerate(b.annotations.sources):
            key = source_key(s)
            if key not in found:
                found[key] = (s, [], names.party(s.publisher, b, f"sources[{i}].publisher"))
            entry = found[key]
            if not entry[1] or entry[1][-1] is not b:  # identity: comparing briefings is slow
                entry[1].append(b)
    ordered = sorted(
        found.values(), key=lambda e: (e[2].name.casefold(), e[0].title.casefold(), e[0].url)
    )
    return tuple(
        SourceEntry(s, tuple(_newest_first(bs)), f"source-{n}", publisher)
        for n, (s, bs, publisher) in enumerate(ordered, 1)
    )


def _quotes(
    briefings: Sequence[Briefing], names: _Names, entities: Entities, problems: Problems
) -> tuple[QuoteEntry, ...]:
    """The same words from the same person are one quote, however many briefings carry
    it. A quote without a role takes the speaker's role on the quote's date (or the
    briefing's) from the registry; with neither, it is an error."""
    found: dict[tuple[str, str], tuple[Quote, Source | None, list[Briefing], Party, str]] = {}
    for b in briefings:
        if not b.annotations.quotes:
            continue
        sources = {s.id: s for s in b.annotations.sources}
        for i, q in enumerate(b.annotations.quotes):
            speaker = names.party(q.who, b, f"quotes[{i}].who")
            role = q.role
            if not role and not q.review:
                entity = entities.by_id.get(speaker.entity) if speaker.entity else None
                day = day_of(q.date) if q.date else b.date
                role = (entity.role_on(day) if entity else None) or ""
                if not role:
                    problems.add(
                        b.path,
                        q.where.line,
                        f"quotes[{i}].role",
                        "required field is missing"
                        + (
                            f" (content/entities.yaml has no role for {entity.name} on {day})"
                            if entity
                            else ""
                        ),
                        "add 'role:' to this entry"
                        + (", or a role with its dates in content/entities.yaml" if entity else ""),
                    )
            key = (speaker.entity or q.who, q.text)
            entry = found.setdefault(key, (q, sources.get(q.source), [], speaker, role))
            if not entry[2] or entry[2][-1] is not b:
                entry[2].append(b)
    ordered = sorted(
        found.values(),
        key=lambda e: (
            _speaker_key(e[3], entities),
            e[0].date is None,
            date_key(e[0].date) if e[0].date else (0, 0, 0),
            e[0].text,
        ),
    )
    return tuple(QuoteEntry(q, s, tuple(_newest_first(bs)), p, r) for q, s, bs, p, r in ordered)


def _speaker_key(party: Party, entities: Entities) -> tuple[str, str]:
    """People by family name where the registry knows them ("Eide, Espen Barth")."""
    entity = entities.by_id.get(party.entity) if party.entity else None
    if entity is not None:
        return entity.sort_key
    first, _, last = party.name.rpartition(" ")
    return (f"{last}, {first}".casefold() if first else party.name.casefold(), party.name)
