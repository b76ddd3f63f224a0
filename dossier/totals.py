"""Aid totals: exact per-currency sums, and one total converted to the reporting currency.

Amounts in different currencies are never added together as they stand. The
converted figure uses the rates declared in site.yaml (`exchange_rates`, units of
the reporting currency per unit) and is always labelled as converted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from dossier.config import SiteConfig
from dossier.errors import Problems
from dossier.facts import AidFact
from dossier.money import Money

DIMENSIONS: tuple[tuple[str, str, Callable[[AidFact], str]], ...] = (
    ("donor", "Donor", lambda f: f.aid.donor or "(unknown)"),
    ("recipient", "Recipient", lambda f: f.aid.recipient or "(unknown)"),
    ("year", "Year", lambda f: str(f.aid.date.year)),
    ("kind", "Kind", lambda f: f.aid.kind),
    ("status", "Status", lambda f: f.aid.status),
)


@dataclass(frozen=True, slots=True)
class Total:
    """Sums for one group: per currency (exact), and converted to the reporting currency."""

    label: str
    facts: int
    by_currency: tuple[Money, ...]
    converted: Money


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    heading: str
    rows: tuple[Total, ...]


@dataclass(frozen=True, slots=True)
class AidTotals:
    reporting_currency: str
    overall: Total
    breakdowns: tuple[Breakdown, ...]
    rates_used: Mapping[str, Decimal]

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def rate_for(currency: str, config: SiteConfig) -> Decimal | None:
    if currency == config.reporting_currency:
        return Decimal(1)
    return config.exchange_rates.get(currency)


def convert(money: Money, config: SiteConfig) -> Money | None:
    rate = rate_for(money.currency, config)
    if rate is None:
        return None
    return Money(money.amount * rate, config.reporting_currency)


def check_rates(facts: Sequence[AidFact], config: SiteConfig, problems: Problems) -> None:
    """A needed rate that is missing is an error, reported once per currency at its first use."""
    missing: dict[str, list[AidFact]] = defaultdict(list)
    for f in facts:
        if rate_for(f.aid.currency, config) is None:
            missing[f.aid.currency].append(f)
    for currency, uses in sorted(missing.items()):
        first = min(uses, key=lambda f: (f.aid.where.path, f.aid.where.line))
        others = f" (and {len(uses) - 1} more aid amounts)" if len(uses) > 1 else ""
        problems.add(
            first.aid.where.path,
            first.aid.where.line,
            "exchange_rates",
            f"no exchange rate from {currency} to {config.reporting_currency} in site.yaml "
            f"for aid {first.id!r}{others}",
            f'add it to site.yaml, e.g. exchange_rates: {{{currency}: "1.08"}} '
            f"(units of {config.reporting_currency} per {currency})",
        )


def compute_totals(facts: Sequence[AidFact], config: SiteConfig) -> AidTotals:
    """Totals over facts (each counted once); call check_rates first."""
    reporting = config.reporting_currency
    breakdowns = []
    for key, heading, group_of in DIMENSIONS:
        groups: dict[str, list[AidFact]] = defaultdict(list)
        for f in facts:
            groups[group_of(f)].append(f)
        rows = [_total(label, fs, config) for label, fs in groups.items()]
        if key == "year":
            rows.sort(key=lambda t: t.label)
        else:
            rows.sort(key=lambda t: (-t.converted.amount, t.label))
        breakdowns.append(Breakdown(key, heading, tuple(rows)))
    used = sorted({f.aid.currency for f in facts} - {reporting})
    return AidTotals(
        reporting_currency=reporting,
        overall=_total("All aid", facts, config),
        breakdowns=tuple(breakdowns),
        rates_used=MappingProxyType({c: config.exchange_rates[c] for c in used}),
    )


def _total(label: str, facts: Iterable[AidFact], config: SiteConfig) -> Total:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    converted = Decimal(0)
    count = 0
    for f in facts:
        count += 1
        sums[f.aid.currency] += f.aid.amount
        money = convert(f.aid.money, config)
        converted += money.amount if money else Decimal(0)
    return Total(
        label=label,
        facts=count,
        by_currency=tuple(Money(sums[c], c) for c in sorted(sums)),
        converted=Money(converted, config.reporting_currency),
    )
