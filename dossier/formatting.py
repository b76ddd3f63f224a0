"""Money and dates in the site's language, through Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_currency_symbol,
)

from dossier.dates import PartialDate
from dossier.money import Money

_COMPACT_FROM = Decimal(1_000_000)


@lru_cache(maxsize=64)
def locale_of(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


@lru_cache(maxsize=64)
def _symbol_first(language: str) -> bool:
    pattern = locale_of(language).currency_formats["standard"].pattern
    return pattern.lstrip("-").startswith("¤")


@lru_cache(maxsize=65536)
def format_money(money: Money, language: str) -> str:
    """The exact figure, for tables: '$275,000,000', '$12,500.50'.

    Babel rounds in the current decimal context (28 digits), which raises on a total of
    more digits; amounts are bounded (``MAX_AMOUNT``) but sums and conversions of many
    are not, so this formats in a wider one."""
    with localcontext(prec=80):
        return _format_exact(money, language)


@lru_cache(maxsize=65536)
def format_money_compact(money: Money, language: str) -> str:
    """The compact figure, for cards, key facts and charts: '$275 million',
    '$63.99 billion' (two decimals at most); below a million, the exact one."""
    with localcontext(prec=80):
        loc = locale_of(language)
        amount = money.amount
        if amount < _COMPACT_FROM:
            return _format_exact(money, language)
        compact = format_compact_decimal(amount, format_type="long", locale=loc, fraction_digits=2)
        symbol = get_currency_symbol(money.currency, loc)
        nbsp = "" if len(symbol) == 1 else "\u00a0"
        if _symbol_first(language):
            return f"{symbol}{nbsp}{compact}"
        return f"{compact}\u00a0{symbol}"


def _format_exact(money: Money, language: str) -> str:
    loc = locale_of(language)
    amount = money.amount
    if amount == amount.to_integral_value():
        return format_currency(
            amount,
            money.currency,
            locale=loc,
            currency_digits=False,
            format=_integral_pattern(language),
        )
    return format_currency(amount, money.currency, locale=loc)


@lru_cache(maxsize=64)
def _integral_pattern(language: str) -> str:
    pattern = locale_of(language).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "").replace(",00", "")


def format_amount(amount: Decimal, language: str) -> str:
    with localcontext(prec=80):
        return format_decimal(amount, locale=locale_of(language))


@lru_cache(maxsize=65536)  # Babel takes ~30 µs a call; a site formats the same dates often
def format_day(day: dt.date, language: str, pattern: str = "long") -> str:
    return format_date(day, pattern, locale=locale_of(language))


@lru_cache(maxsize=65536)
def format_partial(date: PartialDate, language: str, pattern: str = "long") -> str:
    """A partial date shown at its own precision: '2024', 'November 2024', '20 November 2024'."""
    if date.precision == "day":
        return format_day(date.start, language, pattern)
    if date.precision == "month":
        return format_skeleton("yMMMM", date.start, locale=locale_of(language))
    return str(date.year)


@lru_cache(maxsize=64)
def og_locale(language: str) -> str:
    """The site's language as OpenGraph wants it, language_TERRITORY: 'en' is 'en_US',
    'uk' is 'uk_UA', 'en-GB' stays 'en_GB' (CLDR's likely subtags fill a missing
    territory, e.g. 'zh-Hant' → 'zh_TW')."""
    loc = locale_of(language)
    territory = loc.territory
    if not territory:
        likely = get_global("likely_subtags")
        guess = likely.get(str(loc)) or likely.get(loc.language) or ""
        parts = [p for p in guess.split("_")[1:] if p.isupper() or p.isdigit()]
        territory = next((p for p in parts if len(p) in (2, 3) and not p.istitle()), "")
    return f"{loc.language}_{territory}" if territory else loc.language


def language_name(language: str) -> str:
    """A language's name in itself, as a switcher shows it: English, Українська."""
    parsed = Locale.parse(language.replace("-", "_"))
    name = parsed.get_display_name(parsed) or language
    return name[:1].upper() + name[1:]
