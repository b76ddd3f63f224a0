"""What the site already knows, read when the importer runs inside one: its aid facts
(``content/briefings/*.md``) and its entity registry (``content/entities.yaml``).

Read-only and forgiving: a briefing whose front matter does not parse is skipped (the
build reports it); the importer only needs ids, amounts, parties, dates and packages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from dossier.entities import Entities, Entity, load_entities
from dossier.errors import Problems
from dossier.frontmatter import decode, split
from dossier.money import parse_amount_text


@dataclass(frozen=True)
class KnownAid:
    id: str
    amount: Decimal
    currency: str
    donor: str  # canonical: the entity id when the registry knows the name
    recipient: str
    date: str  # as written: YYYY, YYYY-MM or YYYY-MM-DD
    package: str
    status: str
    path: str


@dataclass(frozen=True)
class Known:
    aid: tuple[KnownAid, ...] = ()
    entities: Entities = field(default_factory=Entities)

    def entity(self, name: str) -> Entity | None:
        return self.entities.resolve(name) if name else None

    def canonical(self, name: str) -> str:
        """The entity id for a name the registry knows, else the name as written."""
        found = self.entity(name)
        return found.id if found else name

    def match(
        self, amount: Decimal, currency: str, donor: str, day: str, package: str
    ) -> KnownAid | None:
        """The site's aid fact this amount is: same value and currency, a donor that does
        not contradict it, and the same date (to the month) or the same package."""
        for fact in self.aid:
            if (fact.amount, fact.currency) != (amount, currency):
                continue
            if donor and self.canonical(donor) != fact.donor:
                continue
            # the same day when both give one; else the same month (or year) as written
            width = min(len(fact.date), len(day), 10)
            same_day = bool(day) and fact.date[:width] == day[:width]
            same_package = bool(package) and package.casefold() == fact.package.casefold()
            if same_day or same_package:
                return fact
        return None


def read_site(project: Path) -> Known:
    """Everything the importer matches against; empty outside a site."""
    if not (project / "content").is_dir():
        return Known()
    entities, _ = load_entities(project)
    facts: list[KnownAid] = []
    folder = project / "content" / "briefings"
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        facts += _aid_of(path, project, entities)
    return Known(tuple(facts), entities)


def _aid_of(path: Path, project: Path, entities: Entities) -> list[KnownAid]:
    rel = path.relative_to(project).as_posix()
    problems = Problems()
    try:
        text = decode(path.read_bytes(), rel, problems)
        parts = split(text, rel, problems) if text is not None else None
        meta = yaml.safe_load(parts.yaml_text) if parts is not None else None
    except (OSError, yaml.YAMLError, ValueError):
        return []
    if not isinstance(meta, dict) or not isinstance(meta.get("aid"), list):
        return []

    def canon(name: object) -> str:
        found = entities.resolve(str(name)) if name else None
        return found.id if found else str(name or "")

    found: list[KnownAid] = []
    for rec in meta["aid"]:
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
            continue
        try:
            amount = parse_amount_text(str(rec.get("amount")))
        except ValueError:  # a bad amount is the build's to report
            continue
        day = rec.get("date")
        found.append(
            KnownAid(
                rec["id"],
                amount,
                str(rec.get("currency", "")),
                canon(rec.get("donor")),
                canon(rec.get("recipient")),
                day.isoformat() if isinstance(day, dt.date) else str(day or ""),
                str(rec.get("package") or ""),
                str(rec.get("status") or ""),
                rel,
            )
        )
    return found
