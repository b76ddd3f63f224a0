"""The publish gate: nothing marked ``review: true`` is published.

The importer marks every value it could not settle with ``review: true`` and a comment
naming the fields (``review: true  # donor: the text names no donor; date: …``). A
briefing with ``draft: false`` that still carries one fails the build, with one error
per field at that field's line; a draft gets the same list as warnings (``check``).
"""

from __future__ import annotations

import re

import yaml

from dossier.frontmatter import Split
from dossier.schema import Ctx

LISTS = ("sources", "events", "aid", "quotes")
# Fields an importer may leave empty under review: empty means "still to fill in".
MAY_BE_EMPTY = ("donor", "recipient", "publisher", "url", "role", "who")
_FIELD = re.compile(r"^\s*([a-z_]+)\s*:\s*(.*)$")


def check_review(root: yaml.Node, ctx: Ctx, parts: Split, *, draft: bool) -> None:
    """Report every field still to review: an error unless the briefing is a draft."""
    if not isinstance(root, yaml.MappingNode):
        return
    lines = parts.yaml_text.splitlines()
    severity = "warning" if draft else "error"
    hint = (
        "check it against its evidence, fix it, then delete 'review: true' (line {line})"
        if draft
        else "a briefing with 'draft: false' is published: check the value against its "
        "evidence and delete 'review: true' (line {line}), or keep 'draft: true'"
    )
    for key_node, value in root.value:
        if key_node.value not in LISTS or not isinstance(value, yaml.SequenceNode):
            continue
        for i, item in enumerate(value.value):
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            review = fields.get("review")
            if review is None or not _true(review[1]):
                continue
            review_line = ctx.line(review[0])
            comment = _comment(lines, review[0].start_mark.line)
            named = _named(comment)
            for name, (_, v) in fields.items():
                if name in MAY_BE_EMPTY and isinstance(v, yaml.ScalarNode) and not v.value.strip():
                    named.setdefault(name, "empty")
            ident = _scalar(fields.get("id"))
            label = f"{ident!r}" if ident else f"{key_node.value}[{i}]"
            if not named:
                named = {"review": comment or "marked 'review: true'"}
            for name, reason in named.items():
                node = fields[name][0] if name in fields else review[0]
                ctx.problems.add(
                    ctx.path,
                    ctx.line(node),
                    f"{key_node.value}[{i}].{name}",
                    f"{label}: {name} still to review ({reason})"
                    if name != "review"
                    else f"{label} is marked 'review: true' ({reason})",
                    hint.format(line=review_line),
                    severity=severity,
                )


def _true(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value.strip().lower() in {"true", "yes", "on"}


def _scalar(pair: tuple[yaml.Node, yaml.Node] | None) -> str:
    if pair is None or not isinstance(pair[1], yaml.ScalarNode):
        return ""
    return str(pair[1].value)


def _comment(lines: list[str], index: int) -> str:
    """The ``# …`` comment on the review line, if any (YAML drops comments; the text keeps them)."""
    if not 0 <= index < len(lines):
        return ""
    line = lines[index]
    m = re.search(r"\s#\s?(.*)$", line)
    return m.group(1).strip() if m else ""


def _named(comment: str) -> dict[str, str]:
    """``donor: the text names no donor; date: …`` -> {donor: …, date: …}."""
    found: dict[str, str] = {}
    for part in comment.split(";"):
        m = _FIELD.match(part)
        if m:
            found.setdefault(m.group(1), m.group(2).strip() or "to check")
    return found
