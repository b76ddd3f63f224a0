"""Aid totals, stage by stage: exact per-currency sums, and one figure converted to the
reporting currency, labelled as such.

Money is never added across stages (a pledge is not a delivery: the Kiel Institute's
Ukraine Support Tracker keeps commitments and deliveries apart), and never across
currencies except in the converted figure. A fact counts at a stage with the amount of
the history entry ``dossier.facts.stage_entries`` picks for it; that entry's date picks
the exchange rate in force (``exchange_rates`` in site.yaml may be dated).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dossier.config import Rate, SiteConfig
from dossier.errors import Problems
from dossier.facts import STAGES, AidFact, HistoryEntry, day_of
from dossier.money import Money

NOT_GIVEN = "(not given)"


def _year(fact: AidFact, entry: HistoryEntry) -> str:
    return str(entry.date.year)


# How the aid page breaks the totals down: (key, heading, group of a fact at a stage)
DIMENSIONS: tuple[tuple[str, str, Callable[[AidFact, HistoryEntry], str]], ...] = (
    ("donor", "Donor", lambda f, e: f.donor.name or "(unknown)"),
    ("recipient", "Recipient", lambda f, e: f.recipient.name or "(unknown)"),
    ("year", "Year", _year),
    ("kind", "Kind", lambda f, e: f.aid.kind),
    ("instrument", "Instrument", lambda f, e: f.aid.instrument or NOT_GIVEN),
)


@dataclass(frozen=True)
class StageTotal:
    """One stage of one group: how many facts count there, their exact sums per
    currency, and the converted figure."""

    stage: str
    facts: int
    by_currency: tuple[Money, ...]
    converted: Money


@dataclass(frozen=True)
class Total:
    label: str
    stages: tuple[StageTotal, ...]  # in STAGES order
    facts: int  # facts in the group, at any stage

    def stage(self, name: str) -> StageTotal:
        return next(s for s in self.stages if s.stage == name)

    @property
    def largest(self) -> Decimal:
        """The largest converted stage (to order rows): the furthest stage is often 0."""
        return max((s.converted.amount for s in self.stages), default=Decimal(0))


@dataclass(frozen=True)
class Breakdown:
    key: str
    heading: str
    rows: tuple[Total, ...]


@dataclass(frozen=True)
class RateUse:
    """A rate a total was converted at: from which date (None: the only rate)."""

    currency: str
    rate: Decimal
    start: dt.date | None


@dataclass(frozen=True)
class AidTotals:
    reporting_currency: str
    overall: Total
    breakdowns: tuple[Breakdown, ...]
    rates_used: tuple[RateUse, ...]

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def rate_on(currency: str, day: dt.date, config: SiteConfig) -> Rate | None:
    """The rate in force on ``day``; None when there is none (no rate, or ``day`` is
    before the first dated one)."""
    if currency == config.reporting_currency:
        return Rate(None, Decimal(1))
    rates = config.exchange_rates.get(currency, ())
    found = None
    for r in rates:
        if r.start is None or r.start <= day:
            found = r
    return found


def convert(money: Money, day: dt.date, config: SiteConfig) -> Money | None:
    rate = rate_on(money.currency, day, config)
    if rate is None:
        return None
    return Money(money.amount * rate.rate, config.reporting_currency)


def check_rates(facts: Sequence[AidFact], config: SiteConfig, problems: Problems) -> None:
    """Every amount of every history entry must be convertible: a missing rate is an
    error once per currency, at its first use; an entry dated before a currency's first
    dated rate is an error at that entry."""
    missing: dict[str, list[HistoryEntry]] = defaultdict(list)
    for f in facts:
        for e in f.history:
            currency = e.money.currency
            if currency == config.reporting_currency:
                continue
            rates = config.exchange_rates.get(currency)
            if not rates:
                missing[currency].append(e)
            elif rate_on(currency, day_of(e.date), config) is None:
                first = rates[0]
                problems.add(
                    e.where.path,
                    e.where.line,
                    "date" if not e.update else "updates.date",
                    f"{e.date} is before the first {currency} rate in site.yaml "
                    f"(from {first.start}) for aid {f.id!r}",
                    f"add an earlier rate: exchange_rates: {{{currency}: "
                    f'[{{from: {e.date.start}, rate: "…"}}, …]}}',
                )
    for currency, uses in sorted(missing.items()):
        first = min(uses, key=lambda e: (e.where.path, e.where.line))
        others = f" (and {len(uses) - 1} more aid amounts)" if len(uses) > 1 else ""
        problems.add(
            first.where.path,
            first.where.line,
            "exchange_rates",
            f"no exchange rate from {currency} to {config.reporting_currency} in site.yaml "
            f"for this aid amount{others}",
            f'add it to site.yaml, e.g. exchange_rates: {{{currency}: "1.08"}} '
            f"(units of {config.reporting_currency} per {currency})",
        )


def compute_totals(facts: Sequence[AidFact], config: SiteConfig) -> AidTotals:
    """Stage totals over facts (each counted once); call check_rates first."""
    used: dict[tuple[str, dt.date | None], RateUse] = {}
    breakdowns = []
    for key, heading, group_of in DIMENSIONS:
        groups: dict[str, list[tuple[AidFact, str, HistoryEntry]]] = defaultdict(list)
        members: dict[str, set[str]] = defaultdict(set)
        for f in facts:
            for stage, entry in f.stages.items():
                label = group_of(f, entry)
                groups[label].append((f, stage, entry))
                members[label].add(f.id)
        rows = [_total(label, g, len(members[label]), config, used) for label, g in groups.items()]
        if key == "year":
            rows.sort(key=lambda t: t.label)
        else:
            rows.sort(key=lambda t: (-t.largest, t.label))
        breakdowns.append(Breakdown(key, heading, tuple(rows)))
    overall = _total(
        "All aid",
        [(f, stage, e) for f in facts for stage, e in f.stages.items()],
        len(facts),
        config,
        used,
    )
    return AidTotals(
        reporting_currency=config.reporting_currency,
        overall=overall,
        breakdowns=tuple(breakdowns),
        rates_used=tuple(sorted(used.values(), key=lambda r: (r.currency, r.start or dt.date.min))),
    )


def _total(
    label: str,
    entries: Iterable[tuple[AidFact, str, HistoryEntry]],
    facts: int,
    config: SiteConfig,
    used: dict[tuple[str, dt.date | None], RateUse],
) -> Total:
    sums: dict[str, dict[str, Decimal]] = {s: defaultdict(Decimal) for s in STAGES}
    converted: dict[str, Decimal] = dict.fromkeys(STAGES, Decimal(0))
    counts: dict[str, int] = dict.fromkeys(STAGES, 0)
    for _, stage, entry in entries:
        money = entry.money
        counts[stage] += 1
        sums[stage][money.currency] += money.amount
        rate = rate_on(money.currency, day_of(entry.date), config)
        if rate is not None:
            converted[stage] += money.amount * rate.rate
            if money.currency != config.reporting_currency:
                used.setdefault(
                    (money.currency, rate.start), RateUse(money.currency, rate.rate, rate.start)
                )
    return Total(
        label,
        tuple(
            StageTotal(
                s,
                counts[s],
                tuple(Money(sums[s][c], c) for c in sorted(sums[s])),
                Money(converted[s], config.reporting_currency),
            )
            for s in STAGES
        ),
        facts,
    )


def stage_totals(label: str, facts: Sequence[AidFact], config: SiteConfig) -> Total:
    """One group's totals by stage (an entity's aid given or received)."""
    used: dict[tuple[str, dt.date | None], RateUse] = {}
    return _total(
        label,
        [(f, stage, e) for f in facts for stage, e in f.stages.items()],
        len(facts),
        config,
        used,
    )
