"""The registry of who is who: ``content/entities.yaml``.

Donors, recipients, speakers and publishers are written as free text in briefings. With a
registry, each name (an entity's id, name or one of its aliases, in any case) resolves to
one entity, every page shows its canonical name and links to its page, and a quote
without a role takes the speaker's role in force on the quote's date. A site without the
file behaves as before: names are shown as written.

```yaml
- id: lloyd-austin
  name: Lloyd Austin
  kind: person
  aliases: [Austin, Lloyd J. Austin III]
  wikidata: Q1456361
  roles:
    - {role: US Secretary of Defense, of: united-states, from: 2021-01-22, to: 2025-01-20}
```
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from dossier.dates import parse_date
from dossier.errors import Problem, Problems
from dossier.frontmatter import decode
from dossier.schema import Ctx, Fields, check_safe, compose

ENTITIES_FILE = "content/entities.yaml"
ENTITY_KINDS = ("country", "organisation", "person")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_KEYS = ("id", "name", "kind", "aliases", "wikidata", "roles", "sort_name")
_ROLE_KEYS = ("role", "of", "from", "to")


@dataclass(frozen=True)  # no slots: they make pickling (the memory) slower
class Role:
    role: str
    of: str | None  # an entity id
    start: dt.date
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    roles: tuple[Role, ...] = ()
    sort_name: str = ""
    line: int = 0

    @property
    def url_path(self) -> str:
        return f"entities/{self.id}/"

    @property
    def sort_key(self) -> tuple[str, str]:
        """People by family name ("Eide, Espen Barth" sorts under E), the rest by name."""
        if self.sort_name:
            return (self.sort_name.casefold(), self.name.casefold())
        if self.kind == "person" and " " in self.name:
            first, _, last = self.name.rpartition(" ")
            return (f"{last}, {first}".casefold(), self.name.casefold())
        return (self.name.casefold(), "")

    def role_on(self, day: dt.date) -> str | None:
        """The role in force on ``day``: the latest begun, if several overlap."""
        held = [r for r in self.roles if r.holds_on(day)]
        return max(held, key=lambda r: r.start).role if held else None


@dataclass(frozen=True)
class Party:
    """A name as a page shows it: the entity's canonical name when the registry knows it,
    else the name as written."""

    name: str
    entity: str | None = None  # the entity's id

    @property
    def url_path(self) -> str | None:
        return f"entities/{self.entity}/" if self.entity else None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Entities:
    """Every entity, and each of its names (id, name, aliases), case-folded."""

    entries: tuple[Entity, ...] = ()
    by_name: Mapping[str, Entity] = field(default_factory=lambda: MappingProxyType({}))
    present: bool = False  # the site has an entities.yaml
    by_id: Mapping[str, Entity] = field(default_factory=lambda: MappingProxyType({}))

    def resolve(self, name: str) -> Entity | None:
        return self.by_name.get(name.strip().casefold())

    def party(self, name: str) -> Party:
        entity = self.resolve(name)
        return Party(entity.name, entity.id) if entity else Party(name)

    def closest(self, name: str) -> Entity | None:
        found = difflib.get_close_matches(name.casefold(), list(self.by_name), n=1, cutoff=0.75)
        return self.by_name[found[0]] if found else None


def load_entities(project: Path) -> tuple[Entities, list[Problem]]:
    """The registry, with every problem in the file; an empty one when there is no file."""
    path = project / ENTITIES_FILE
    problems = Problems()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Entities(), []
    except OSError as exc:
        return Entities(), [Problem(ENTITIES_FILE, None, "", f"cannot read: {exc.strerror}")]
    text = decode(data, ENTITIES_FILE, problems)
    root = compose(text, ENTITIES_FILE, 1, problems) if text is not None else None
    if root is None:
        return Entities(present=True), list(problems)
    ctx = Ctx(ENTITIES_FILE, 1, problems)
    if not check_safe(root, ctx):
        return Entities(present=True), list(problems)
    if not isinstance(root, yaml.SequenceNode):
        ctx.error(root, "", "must be a list of entities", "start each entity with '- id: ...'")
        return Entities(present=True), list(problems)
    entries: list[Entity] = []
    for i, node in enumerate(root.value):
        entity = _entity(Fields(node, f"[{i}]", ctx, _KEYS), i)
        if entity is not None:
            entries.append(entity)
    registry = _index(entries, ctx)
    return registry, list(problems)


def _entity(f: Fields, index: int) -> Entity | None:
    if not f.is_mapping:
        return None
    id_ = f.text("id")
    if id_ is not None and not ID.match(id_):
        f.fail("id", f"{id_!r} is not a valid id", "lower-case letters, digits and '-'")
    name = f.text("name")
    kind = f.choice("kind", ENTITY_KINDS)
    aliases = f.text_list("aliases")
    wikidata = f.text("wikidata", required=False)
    if wikidata is not None and not WIKIDATA.match(wikidata):
        f.fail("wikidata", f"{wikidata!r} is not a Wikidata id", "e.g. Q30 (from wikidata.org)")
    sort_name = f.text("sort_name", required=False) or ""
    roles = []
    for j, node in f.items("roles"):
        role = _role(Fields(node, f"{f.key}.roles[{j}]", f.ctx, _ROLE_KEYS))
        if role is None:
            f.ok = False
        else:
            roles.append(role)
    if not f.ok or id_ is None or name is None or kind is None:
        return None
    return Entity(id_, name, kind, aliases, wikidata, tuple(roles), sort_name, f.line)


def _role(f: Fields) -> Role | None:
    if not f.is_mapping:
        return None
    role = f.text("role")
    of = f.text("of", required=False)
    start = f.converted("from", parse_date, True, "a date")
    end = f.converted("to", parse_date, False, "a date")
    if start and end and end < start:
        f.fail("to", f"{end} is before {start}", "'to' is the last day the role was held")
    if not f.ok or role is None or start is None:
        return None
    return Role(role, of, start, end)


def _index(entries: list[Entity], ctx: Ctx) -> Entities:
    """Each name once: two entities that share an id, a name or an alias are an error
    naming both lines (a name must resolve to one entity)."""
    by_id: dict[str, Entity] = {}
    by_name: dict[str, Entity] = {}
    kept: list[Entity] = []
    for e in entries:
        if e.id in by_id:
            ctx.problems.add(
                ENTITIES_FILE,
                e.line,
                "id",
                f"duplicate entity id {e.id!r} (first on line {by_id[e.id].line})",
                "each entity once; add the other names as aliases",
            )
            continue
        by_id[e.id] = e
        kept.append(e)
        for name in dict.fromkeys((e.id, e.name, *e.aliases)):
            key = name.casefold()
            other = by_name.get(key)
            if other is not None and other is not e:
                ctx.problems.add(
                    ENTITIES_FILE,
                    e.line,
                    "aliases",
                    f"{name!r} already names {other.name!r} (line {other.line})",
                    "a name resolves to one entity; keep it on one of them",
                )
                continue
            by_name[key] = e
    for e in kept:
        for role in e.roles:
            if role.of is not None and role.of not in by_id and role.of.casefold() not in by_name:
                guess = difflib.get_close_matches(role.of, list(by_id), n=1)
                ctx.problems.add(
                    ENTITIES_FILE,
                    e.line,
                    "roles.of",
                    f"unknown entity {role.of!r}",
                    f"did you mean {guess[0]!r}?" if guess else "use another entity's id",
                )
    return Entities(tuple(kept), MappingProxyType(by_name), True, MappingProxyType(by_id))


NO_ENTITIES = Entities()  # a site without content/entities.yaml
