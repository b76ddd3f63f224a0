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
    """What an id in the body can point at: its kind, its anchor on the page, and whether
    a marked span gets a card.

    The card is left empty in the body's HTML, marked ``data-card="kind:id"``: what it
    says comes from the whole site (canonical names, a fact's history, the briefing that
    defines it), so it is filled in when the page is rendered (``dossier.views.cards``),
    and a body converts the same whatever other briefings say.
    """

    kind: Kind
    anchor: str
    card: bool = True

    @property
    def id(self) -> str:
        """The annotation's id: the anchor without its kind's prefix (``aid-x`` → ``x``)."""
        return self.anchor.partition("-")[2] or self.anchor


# Kinds a body may mark without defining them: a fact defined in any briefing.
SITE_WIDE: tuple[Kind, ...] = ("event", "aid")


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Mention:
    """A body span marking an event or aid fact this briefing does not define; the site
    checks that some briefing defines it."""

    kind: Kind
    id: str
    line: int | None


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
