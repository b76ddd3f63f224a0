"""Money amounts in running text, as Decimal plus an ISO 4217 code.

An amount needs a currency marker (symbol, code or currency word); a bare
"50 million" is a count, not money.  Ranges keep their lower bound and say so,
so a reviewer never finds a figure larger than the article claimed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies

from dossier.money import MAX_AMOUNT

ISO_CODES = frozenset(list_currencies()) - {"ALL", "TOP", "CUP", "MOP", "BOB", "PEN", "TRY"}
SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "U.S. $": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD",
    "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH",
    "₹": "INR", "₽": "RUB", "₩": "KRW", "zł": "PLN",
}  # fmt: skip
WORDS = [
    (r"(?:U\.?S\.?|American) dollars?", "USD"), (r"Canadian dollars?", "CAD"),
    (r"Australian dollars?", "AUD"), (r"dollars?", "$"), (r"euros?", "EUR"),
    (r"(?:pounds?|pounds? sterling|sterling)", "GBP"), (r"yen", "JPY"), (r"yuan|renminbi", "CNY"),
    (r"Danish kroner?", "DKK"), (r"Swedish kronor|kronor", "SEK"),
    (r"(?:Norwegian )?kroner?", "NOK"), (r"(?:Swiss )?francs?", "CHF"),
    (r"zlotys?|złoty", "PLN"), (r"hryvnias?|hryvnyas?", "UAH"), (r"r(?:o)?ubles?", "RUB"),
]  # fmt: skip
MULTIPLIERS = {
    "thousand": 3, "k": 3, "million": 6, "mln": 6, "mn": 6, "m": 6, "billion": 9, "bln": 9,
    "bn": 9, "b": 9, "trillion": 12, "tn": 12,
}  # fmt: skip

_SYM = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True)) + r"|\$"
_PREFIX = rf"(?P<sym>{_SYM})|\b(?P<code>[A-Z]{{3}})\s?"
_NUM = r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = r"(?:\s?(?i:thousand|million|billion|trillion|mln|bln|mn|bn|tn)\b|(?:m|bn|b|k)\b)"
_SUFFIX = "|".join(f"(?:{w})" for w, _ in WORDS)
_PREFIXED = re.compile(
    rf"(?:{_PREFIX})\s?(?P<num>{_NUM})(?P<mult_a>{_MULT})?"
    rf"(?:(?P<sep>\s?[-–]\s?|\s+to\s+|\s+and\s+)(?:{_SYM}|[A-Z]{{3}}\s?)?(?P<num2>{_NUM})"
    rf"(?P<mult_b>{_MULT})?)?"
)
_SUFFIXED = re.compile(
    rf"\b(?P<num>{_NUM})(?:\s?[-–]\s?(?P<num2>{_NUM}))?(?P<mult_a>{_MULT})?\s+"
    rf"(?:(?P<word>{_SUFFIX})\b|(?P<code>[A-Z]{{3}})\b)"
)


@dataclass(frozen=True)
class MoneyHit:
    start: int
    end: int
    text: str
    amount: Decimal
    currency: str
    note: str = ""


def parse_number(raw: str) -> Decimal | None:
    """'1,000' is a thousand, '6,1' is six point one, '1.000.000' a million."""
    raw = raw.replace("\u00a0", "").replace("\u202f", "")
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        raw = raw.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in raw:
        groups = raw.split(",")
        raw = "".join(groups) if all(len(g) == 3 for g in groups[1:]) else raw.replace(",", ".")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _scale(value: Decimal, mult: str | None) -> Decimal:
    if not mult:
        return value
    exponent = MULTIPLIERS[mult.strip().lower()]
    return (value * Decimal(10) ** exponent).normalize()


def _currency_of_word(word: str, default: str) -> str:
    for pattern, code in WORDS:
        if re.fullmatch(pattern, word, re.I):
            return default if code == "$" else code
    return default


def find_amounts(text: str, default_currency: str = "USD") -> list[MoneyHit]:
    """Every money amount in ``text``, non-overlapping, in reading order."""
    hits: list[MoneyHit] = []
    for m in _PREFIXED.finditer(text):
        if m.group("code") and m.group("code") not in ISO_CODES:
            continue
        hit = _build(m, text, default_currency, prefixed=True)
        if hit:
            hits.append(hit)
    for m in _SUFFIXED.finditer(text):
        if m.group("code") and m.group("code") not in ISO_CODES:
            continue
        if any(not (m.end() <= h.start or m.start() >= h.end) for h in hits):
            continue
        hit = _build(m, text, default_currency, prefixed=False)
        if hit:
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


def _build(m: re.Match[str], text: str, default: str, *, prefixed: bool) -> MoneyHit | None:
    g = m.groupdict()
    note = ""
    if g.get("code"):
        currency = g["code"]
    elif prefixed:
        currency = SYMBOLS.get(g["sym"], default)
        if g["sym"] == "$" and default == "USD":
            note = "bare '$' read as USD (use --currency otherwise)"
        if g["sym"] == "¥":
            note = "'¥' read as JPY; it may be Chinese yuan (CNY)"
    else:
        currency = _currency_of_word(g["word"], default)
    first = parse_number(g["num"])
    if first is None or first <= 0:
        return None
    end = m.end()
    mult_a, mult_b = g.get("mult_a"), g.get("mult_b")
    second = parse_number(g["num2"]) if g.get("num2") else None
    if second is not None and prefixed:
        sep = g["sep"].strip()
        between = re.search(r"\bbetween\s+\S*$", text[: m.start()])
        ok = second > first or mult_b and mult_a
        if sep == "and" and not between or sep == "to" and not (mult_b or mult_a) or not ok:
            second = None
            end = m.end("mult_a") if mult_a else m.end("num")
    mult = mult_a or (mult_b if second is not None else None)
    if not prefixed:
        mult = mult_a
    amount = _scale(first, mult)
    if second is not None:
        upper = _scale(second, mult_b or mult_a)
        if upper > amount:
            note = _join(note, f"range {m.group(0).strip()}: lower bound taken")
        else:
            amount = _scale(first, mult_a or mult_b)
    if currency not in ISO_CODES or not _buildable(amount):
        return None
    return MoneyHit(m.start(), end, text[m.start() : end], amount, currency, note)


def _buildable(amount: Decimal) -> bool:
    """What the build accepts (dossier.money.parse_amount): at most MAX_AMOUNT and at most
    four decimal places; a draft with anything else could not build."""
    if not amount.is_finite() or amount > MAX_AMOUNT:
        return False
    return amount == amount.to_integral_value() or amount.as_tuple().exponent >= -4


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


def format_amount(amount: Decimal) -> int | str:
    """An integral amount is written as an int; a fractional one as a quoted string."""
    if amount == amount.to_integral_value():
        return int(amount)
    return format(amount.normalize(), "f")
