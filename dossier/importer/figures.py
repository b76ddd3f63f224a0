"""How an amount stands in its sentence: new money, a running total, or a conversion of
the amount beside it.

A running total ("since 2022", "in total", "so far", "to date", "cumulative", "brings
the total to") is not new aid: the draft keeps it as a note, never as an aid fact.
A conversion printed beside an amount ("$725 million (€690 million)", "€500m ($540m)",
"NOK 3.5 billion, or about $330 million") is the same money: a note on that amount.
"""

from __future__ import annotations

import re

from dossier.importer.money import MoneyHit

_RUNNING = re.compile(
    r"\b(?:cumulative(?:ly)?|in total|a total of|the total|"
    r"so far|to date|thus far|altogether|all told|since (?:the (?:start|beginning)|the war|the "
    r"full-scale|(?:early |late |mid-)?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)?\s*(?:19|20)\d\d|it began|(?:\w+\s+){0,3}?(?:invaded|"
    r"invasion|began|started|the start|the outbreak|the war)\b|(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b)|brings? (?:the|its|their) "
    r"(?:total|overall|tally)|bringing (?:the|its|their) (?:total|overall|tally)|(?:has|have) now "
    r"(?:committed|provided|given|pledged|allocated)|in all|over the past (?:\w+ )?years|"
    r"running total|(?:fell|rose|dropped|climbed|grew|declined|increased|decreased|jumped|slipped)"
    r" (?:to|by)|(?:down|up) from|(?:has|have) reached|amounts? to|totall?ed|"
    r"between (?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)?\s*(?:19|20)\d\d and)",
    re.I,
)
_BETWEEN = r"\s*\(\s*(?:about|around|roughly|approximately|approx\.|some|nearly|almost|c\.|~)?\s*"
_OR = (
    r"\s*,?\s*(?:or|equivalent to|the equivalent of|worth)\s+"
    r"(?:about|around|roughly|some|nearly|almost|approximately)?\s*"
)


_CLAUSE = re.compile(
    r";|,\s+(?:bringing|taking|raising|pushing|which brings|which takes|which raises)\b"
)


def conversions(text: str, hits: list[MoneyHit]) -> dict[int, int]:
    """Index of each hit that converts another -> index of the amount it converts."""
    found: dict[int, int] = {}
    for i in range(1, len(hits)):
        prev, hit = hits[i - 1], hits[i]
        if i - 1 in found or prev.currency == hit.currency:
            continue
        gap = text[prev.end : hit.start]
        if re.fullmatch(_BETWEEN, gap) and re.match(r"\s*\)", text[hit.end : hit.end + 3]):
            found[i] = i - 1
        elif re.fullmatch(_OR, gap):
            found[i] = i - 1
    return found


def is_running_total(sentence: str, amount_text: str) -> bool:
    """The clause around the amount says it is a total over time, not a new amount."""
    pos = sentence.find(amount_text)
    if pos < 0:
        return bool(_RUNNING.search(sentence))
    # ", bringing the total to X": that clause is the next amount's, not this one's
    cuts = [m.start() for m in _CLAUSE.finditer(sentence)]
    left = max([c for c in cuts if c < pos] + [0])
    right_cut = re.search(r";| but |, (?:while|whereas)\b|" + _CLAUSE.pattern, sentence[pos:])
    right = pos + right_cut.start() if right_cut else len(sentence)
    # a later amount in the clause belongs to its own clause: "X, against Y since 2022"
    return bool(_RUNNING.search(sentence[left:right]))
