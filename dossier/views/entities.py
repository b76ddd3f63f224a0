"""A page for every entity of the registry (content/entities.yaml), and their index.

An entity's page gathers everything the record says of it: the aid it gave and received,
with totals by stage; the events it acted in or that happened there; its quotes; the
sources it published; and the briefings that mention it anywhere.

The page stays small however much the record holds: each list shows its latest
``SHOWN`` entries and links to the full one, which is a page of its own: the donor's or
recipient's aid page, the publisher's sources, the speaker's quotes, and, for events and
briefings, /entities/<id>/events/ and /entities/<id>/briefings/ (paginated).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dossier.briefing import Briefing
from dossier.entities import Entity
from dossier.facts import AidFact, EventFact, QuoteEntry, SourceEntry
from dossier.page import Page
from dossier.site import Site
from dossier.totals import Total, stage_totals
from dossier.views.aid import aid_slugs
from dossier.views.split import paginate, party_slugs, titled

SHOWN = 10  # entries of each list on an entity's page
EVENTS_PER_PAGE = 200
BRIEFINGS_PER_PAGE = 50


@dataclass(frozen=True)
class EntityRecord:
    entity: Entity
    given: tuple[AidFact, ...]
    received: tuple[AidFact, ...]
    given_total: Total
    received_total: Total
    events: tuple[EventFact, ...]
    quotes: tuple[QuoteEntry, ...]
    sources: tuple[SourceEntry, ...]
    briefings: tuple[Briefing, ...]  # newest first
    # where each full list is (site paths): given, received, quotes, sources, events, briefings
    links: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def mentions(self) -> int:
        return len(self.briefings)


def entity_records(site: Site) -> tuple[EntityRecord, ...]:
    """Each entity's part of the record, in one pass over the facts."""
    ids = [e.id for e in site.entities.entries]
    given: dict[str, list[AidFact]] = {i: [] for i in ids}
    received: dict[str, list[AidFact]] = {i: [] for i in ids}
    events: dict[str, list[EventFact]] = {i: [] for i in ids}
    quotes: dict[str, list[QuoteEntry]] = {i: [] for i in ids}
    sources: dict[str, list[SourceEntry]] = {i: [] for i in ids}
    briefings: dict[str, dict[str, Briefing]] = {i: {} for i in ids}

    def mention(entity: str | None, bs: tuple[Briefing, ...]) -> None:
        if entity in briefings:
            briefings[entity].update((b.path, b) for b in bs)

    for f in site.aid:
        for party, found in ((f.donor, given), (f.recipient, received)):
            if party.entity in found:
                found[party.entity].append(f)
                mention(party.entity, f.briefings + f.referrers)
    for ev in site.events:
        involved = {a.entity for a in ev.actors} | {ev.place.entity if ev.place else None}
        for entity in involved:
            if entity in events:
                events[entity].append(ev)
                mention(entity, ev.briefings + ev.referrers)
    for q in site.quotes:
        if q.speaker.entity in quotes:
            quotes[q.speaker.entity].append(q)
            mention(q.speaker.entity, q.briefings)
    for s in site.sources:
        if s.publisher.entity in sources:
            sources[s.publisher.entity].append(s)
            mention(s.publisher.entity, s.briefings)
    order = {b.path: n for n, b in enumerate(site.briefings)}  # newest first
    donors, recipients = aid_slugs(site, "donor"), aid_slugs(site, "recipient")
    publishers = party_slugs(s.publisher for s in site.sources)
    speakers = party_slugs(q.speaker for q in site.quotes)

    def slug_of(slugs: dict, entity: str) -> str | None:
        return next((slug for p, slug in slugs.items() if p.entity == entity), None)

    out = []
    for e in site.entities.entries:
        links = {
            "events": f"{e.url_path}events/",
            "briefings": f"{e.url_path}briefings/",
        }
        for name, slugs, base in (
            ("given", donors, "aid/donors/"),
            ("received", recipients, "aid/recipients/"),
            ("sources", publishers, "sources/"),
            ("quotes", speakers, "quotes/"),
        ):
            slug = slug_of(slugs, e.id)
            if slug is not None:
                links[name] = f"{base}{slug}/"
        out.append(
            EntityRecord(
                e,
                tuple(given[e.id]),
                tuple(received[e.id]),
                stage_totals(f"Given by {e.name}", given[e.id], site.config),
                stage_totals(f"Received by {e.name}", received[e.id], site.config),
                tuple(events[e.id]),
                tuple(quotes[e.id]),
                tuple(sources[e.id]),
                tuple(sorted(briefings[e.id].values(), key=lambda b: order.get(b.path, 0))),
                MappingProxyType(links),
            )
        )
    return tuple(sorted(out, key=lambda r: r.entity.sort_key))


def plan_entities(site: Site) -> list[Page]:
    if not site.entities.present:
        return []
    records = entity_records(site)
    pages = [Page("entities/index.html", "entities.html", "Entities", items=records)]
    for r in records:
        pages.append(
            Page(
                r.entity.url_path + "index.html",
                "entity.html",
                r.entity.name,
                data={"record": r, "shown": SHOWN},
            )
        )
        for kind, items, per_page, what in (
            ("events", tuple(reversed(r.events)), EVENTS_PER_PAGE, "Events"),
            ("briefings", r.briefings, BRIEFINGS_PER_PAGE, "Briefings that mention"),
        ):
            if len(items) <= SHOWN:  # the entity's page shows them all
                continue
            for path, chunk, pager in paginate(r.links[kind], items, per_page):
                pages.append(
                    Page(
                        path + "index.html",
                        "entity_list.html",
                        titled(
                            f"{what} {r.entity.name}"
                            if kind == "briefings"
                            else f"{r.entity.name}: events",
                            pager,
                        ),
                        items=chunk,
                        data={"record": r, "pager": pager, "kind": kind},
                    )
                )
    return pages
