"""Money: an exact ``Decimal`` and an ISO 4217 code, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import yaml
from babel.numbers import list_currencies

from dossier.schema import BOOL, FLOAT, INT, NULL

SCALES = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}
_AMOUNT = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE]\+?\d+)?)\s*(?P<scale>[a-zA-Z]+)?$"
)
_OCTAL_LOOKING = re.compile(r"^0\d")

# The one bound on numbers (docs/decisions.md): larger than any aid figure or exchange rate,
# small enough that every sum and conversion stays exact and Babel formats it.
MAX_AMOUNT = Decimal(10) ** 15
MAX_AMOUNT_TEXT = "1,000 trillion (10^15)"


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,f}"


# A symbol written for a code: what it most often means, and what else it may.
SYMBOLS = {
    "$": ("USD", "CAD, AUD and others use $ too"),
    "US$": ("USD", ""),
    "€": ("EUR", ""),
    "£": ("GBP", ""),
    "¥": ("JPY", "or CNY for the yuan"),
    "₴": ("UAH", ""),
    "₽": ("RUB", ""),
    "₹": ("INR", ""),
    "₩": ("KRW", ""),
    "₺": ("TRY", ""),
    "zł": ("PLN", ""),
    "CHF": ("CHF", ""),
}
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}(\s*[a-zA-Z]+)?$|^\d+,\d{4,}(\s*[a-zA-Z]+)?$")


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def parse_currency(node: yaml.ScalarNode) -> str:
    raw = node.value.strip()
    if node.tag == BOOL:
        raise ValueError(f'{raw!r} was read as a boolean (YAML 1.1)|quote it, e.g. "NOK"')
    if raw in SYMBOLS and SYMBOLS[raw][0] != raw:
        code, also = SYMBOLS[raw]
        raise ValueError(
            f"{raw!r} is a currency symbol, not a code|write {code}"
            + (f"; {also}, so write the ISO 4217 code you mean" if also else "")
        )
    code = raw.upper()
    if code in known_currencies() and raw != code:
        raise ValueError(f"{raw!r} must be upper case|write {code}")
    if code not in known_currencies():
        raise ValueError(f"{raw!r} is not an ISO 4217 currency code|e.g. USD, EUR, GBP, UAH")
    return code


def parse_amount_text(raw: str) -> Decimal:
    """'275 million', '1.2 billion', '275,000,000', '1e6' into an exact Decimal."""
    text = raw.strip()
    m = _AMOUNT.match(text)
    if not m and _DECIMAL_COMMA.match(text):
        point = text.replace(",", ".", 1)
        raise ValueError(
            f"{raw!r} has a decimal comma|write {point}: amounts use a decimal point, and a "
            "comma only between thousands (1,200 million)"
        )
    if not m:
        raise ValueError(f'{raw!r} is not an amount|write a number, or e.g. "275 million"')
    num = m["num"].replace(",", "")
    scale = (m["scale"] or "").lower()
    if scale and scale not in SCALES:
        raise ValueError(f"{raw!r}: unknown scale {m['scale']!r}|use thousand, million or billion")
    try:
        value = Decimal(num)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount|write a number") from None
    check_bound(value, raw)  # before scaling: '1e999999 trillion' would overflow Decimal
    return value * SCALES.get(scale, Decimal(1))


def check_bound(value: Decimal, raw: str) -> None:
    """Refuse a number past ``MAX_AMOUNT``; comparing costs nothing even for '1e999999'."""
    if value.is_finite() and value > MAX_AMOUNT:
        shown = raw if len(raw) <= 40 else f"{raw[:20]}…{raw[-8:]}"
        raise ValueError(
            f"{shown!r} is more than {MAX_AMOUNT_TEXT}"
            f"|Dossier accepts numbers up to {MAX_AMOUNT_TEXT}; check for a typo"
        )


def parse_amount(node: yaml.ScalarNode) -> Decimal:
    """An aid amount: a positive, finite number, read exactly from the text written."""
    raw = node.value.strip()
    if node.tag in (BOOL, NULL):
        raise ValueError(f"{raw!r} is not an amount|write a number, e.g. 275000000")
    if node.tag in (INT, FLOAT) and (_OCTAL_LOOKING.match(raw) or ":" in raw):
        raise ValueError(f"{raw!r} would be misread by YAML 1.1|write it without a leading zero")
    if node.tag == FLOAT and raw.lstrip("+-").lower() in (".inf", ".nan"):
        raise ValueError(f"{raw!r} is not a finite amount|write a number")
    if node.tag in (INT, FLOAT):
        try:
            value = Decimal(raw.replace("_", ""))
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not an amount|write a plain number") from None
    else:
        value = parse_amount_text(raw)
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite amount|write a number")
    if value <= 0:
        raise ValueError(f"{raw!r} must be a positive amount|write the amount without a sign")
    check_bound(value, raw)
    if value != value.to_integral_value() and value.as_tuple().exponent < -4:
        raise ValueError(f"{raw!r} has more than 4 decimal places|round it")
    return Decimal(int(value)) if value == value.to_integral_value() else value
