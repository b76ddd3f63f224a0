"""What a briefing body can point at, and what its citations add up to.

These frozen values cross the boundary between the annotation stage (which
builds ``Target``s from the front matter) and the templates (which render the
``Reference`` list), so they live apart from the Markdown machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["source", "event", "aid", "quote"]
KINDS: tuple[Kind, ...] = ("source", "event", "aid", "quote")


@dataclass(frozen=True, slots=True)
class Target:
    """What an id in the body can point at: its kind, its anchor on the page, its card.

    ``card_html`` is trusted, already-escaped HTML made by Dossier itself; it is
    placed inside a paragraph, so it must be phrasing content (spans, not divs).
    """

    kind: Kind
    anchor: str
    card_html: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A cited source: its number (order of first citation) and every back-link anchor."""

    id: str
    number: int
    backrefs: tuple[str, ...]
