"""What a briefing body can point at, and what its citations add up to.

These frozen values cross the boundary between the annotation stage (which
builds ``Target``s from the front matter) and the templates (which render the
``Reference`` list), so they live apart from the Markdown machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["source", "event", "aid", "quote"]
KINDS: tuple[Kind, ...] = ("source", "event", "aid", "quote")


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Target:
    """What an id in the body can point at: its kind, its anchor on the page, its card.

    ``card_html`` is trusted, already-escaped HTML made by Dossier itself; it is
    placed inside a paragraph, so it must be phrasing content (spans, not divs).
    """

    kind: Kind
    anchor: str
    card_html: str = ""


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Reference:
    """A cited source: its number (order of first citation) and every back-link anchor."""

    id: str
    number: int
    backrefs: tuple[str, ...]


def keyed_by_kind(
    targets: Mapping[str, Target] | Mapping[tuple[str, str], Target],
) -> dict[tuple[str, str], Target]:
    """Targets keyed by ``(kind, id)``: each kind has its own ids (a source and a quote may
    both be ``amnesty``). Plain-id keys are accepted for a single namespace."""
    return {(key if isinstance(key, tuple) else (t.kind, key)): t for key, t in targets.items()}
