"""The card beside a marked span: what the site knows of the fact, in one line.

A body's HTML holds each card empty, marked ``data-card="kind:id"`` (dossier.markdown):
a card shows canonical names, the fact's latest stage and the briefing that defines it,
which only the whole site knows. ``fill_cards`` writes them in when a page is rendered,
from the page's ``Record``; it reads nothing but the record, so what a page shows is
exactly what its planned value holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from dossier.dates import PartialDate
from dossier.money import Money
from dossier.views.record import AidView, EventView, QuoteView, Record, SourceView

EMPTY_CARD = re.compile(r'(<span class="card"[^>]*? data-card="([a-z]+:[^"]+)"[^>]*>)(</span>)')

Money_ = Callable[[Money], str]
Date_ = Callable[[PartialDate], str]


def fill_cards(html: str, record: Record, money: Money_, date: Date_) -> Markup:
    """The body with every card written in (a card whose fact the record lacks stays
    empty; the build has already refused an unknown id)."""

    def fill(m: re.Match[str]) -> str:
        view = record.card(m.group(2))
        return m.group(1) + (card_html(view, money, date) if view else "") + m.group(3)

    return Markup(EMPTY_CARD.sub(fill, html) if 'data-card="' in html else html)


def card_html(
    view: AidView | EventView | SourceView | QuoteView, money: Money_, date: Date_
) -> str:
    """One card's escaped text: phrasing content, as it sits inside a paragraph."""
    if isinstance(view, AidView):
        f = view.fact
        parts = [
            money(f.aid.money),
            f"{f.donor} → {f.recipient}",
            date(f.aid.date),
            f.aid.status,
        ]
        if f.updated:
            latest = f.latest
            parts.append(f"now {latest.status}: {money(latest.money)}, {date(latest.date)}")
        parts.append("Source: " + _publishers(view.sources))
        if not view.here:
            parts.append(f"from “{view.defined_in.title}”")
    elif isinstance(view, EventView):
        parts = [date(view.fact.event.date), view.fact.event.label]
        parts.append("Source: " + _publishers(view.sources))
        if not view.here:
            parts.append(f"from “{view.defined_in.title}”")
    elif isinstance(view, QuoteView):
        who = f"{view.speaker}, {view.role}" if view.role else str(view.speaker)
        parts = [
            who,
            "Source: " + (str(view.publisher or view.source.publisher) if view.source else ""),
        ]
    else:
        parts = [f"{view.publisher}: {view.source.title}"]
    return str(escape(" · ".join(p for p in parts if p)))


def _publishers(sources: tuple[SourceView, ...]) -> str:
    return ", ".join(dict.fromkeys(s.publisher.name for s in sources))
