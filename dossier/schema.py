"""Reading YAML into typed values without losing line numbers.

PyYAML's constructors drop positions and silently re-type YAML 1.1 scalars
(``NO`` becomes ``False``, ``012`` becomes ``10``). Dossier composes the YAML
into nodes instead and reads each field from its node, so every value keeps
its line and every surprise becomes an error that names the field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import yaml

from dossier.errors import Problems

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # libyaml missing: same nodes, slower
    _Loader = yaml.SafeLoader

T = TypeVar("T")

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"
SAFE_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MERGE}
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"

# Plain scalars that YAML 1.1 turns into something other than what was typed.
_RETYPED_NUMBER = re.compile(
    r"^[-+]?(0[0-9_]+|0[xXoObB].*|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$"
)
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$")

MAX_NODES = 200_000

# While a list is set here, every ``Fields`` notes what it is asked to read: the mapping's
# allowed keys and, per field, the reader (text, choice, date, …) and whether it is
# required. ``dossier.jsonschema`` runs the validators with it to write their JSON Schema,
# so the schema is made from the validator's own reads and cannot drift from it.
RECORDING: list[tuple[str, str, dict[str, object]]] | None = None


def compose(text: str, path: str, first_line: int, problems: Problems) -> yaml.Node | None:
    """Compose YAML text into a node tree; syntax errors become problems with file lines,
    in plain words (``explain``) rather than PyYAML's."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, message, hint = explain(exc, text.splitlines())
        problems.add(path, first_line + line, "yaml", message, hint)
    except yaml.YAMLError as exc:
        problems.add(path, first_line, "yaml", str(exc).strip().splitlines()[0], "fix the YAML")
    except RecursionError:
        problems.add(path, first_line, "yaml", "nesting is too deep", "flatten the structure")
    return None


def _open_quote(line: str) -> str:
    """The quote a line leaves open ('"' or "'"), or ""."""
    text = line.split(" #", 1)[0]
    value = text.split(": ", 1)[1] if ": " in text else text.lstrip(" -")
    value = value.strip()
    for quote in ('"', "'"):
        if value.startswith(quote):
            body = value[1:].replace('\\"', "") if quote == '"' else value[1:].replace("''", "")
            return "" if quote in body else quote
    return ""


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str, str]:
    """The line (0-based in the YAML) and a message and hint an author can act on, for
    the mistakes people make: tabs, indentation, unquoted colons, unclosed quotes and
    brackets. Anything else keeps PyYAML's words, at its line."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    context, problem = (exc.context or "").strip(), (exc.problem or "").strip()
    here = lines[at] if at < len(lines) else ""
    col = mark.column if mark else 0
    start = exc.context_mark.line if exc.context_mark else at
    opened = lines[start] if start < len(lines) else ""
    tabbed = next(
        (
            i
            for i in range(min(at, len(lines) - 1), -1, -1)
            if "\t" in lines[i][: _indent(lines[i]) + 1]
        ),
        None,
    )
    if "tab" in problem or (tabbed is not None and tabbed >= at - 1):
        where = tabbed if tabbed is not None else at
        return (
            where,
            "a tab character indents this line",
            "YAML indents with spaces: replace the tab with spaces",
        )
    if context == "while scanning a quoted scalar" and exc.context_mark:
        quote = opened[exc.context_mark.column : exc.context_mark.column + 1] or '"'
        return (
            start,
            f"the {quote} opened here is never closed",
            f"end the value with {quote} on the same line"
            + (
                '; write \\" for a quote inside it'
                if quote == '"'
                else "; write '' for one inside it"
            ),
        )
    if context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        bracket, close = ("[", "]") if "sequence" in context else ("{", "}")
        return (
            start,
            f"the '{bracket}' opened here is never closed",
            f"close it with '{close}' on the same line, or write the entries one per line"
            + (" as '- item'" if bracket == "[" else ""),
        )
    if problem.startswith("mapping values are not allowed"):
        first = here.find(": ")
        key = here[:first].strip(" -") if first >= 0 else ""
        if 0 <= first < col - 1 and key:
            value = here[first + 2 :].strip()
            return (
                at,
                f"the value of '{key}' has an unquoted ': ' in it",
                f'put the whole value in quotes: {key}: "{value}"' if '"' not in value
                else f"put the whole value in single quotes: {key}: '{value}'",
            )  # fmt: skip
        above = next((lines[i] for i in range(at - 1, -1, -1) if lines[i].strip()), "")
        return (
            at,
            "this line is indented more than the key above it",
            f"indent '{key or here.strip()}' by {_spaces(_indent(above))}, like the line above",
        )
    if problem.startswith("did not find expected '-' indicator"):
        item = opened[exc.context_mark.column :] if exc.context_mark else ""
        column = (exc.context_mark.column if exc.context_mark else 0) + (
            len(item) - len(item[1:].lstrip(" ")) if item.startswith("-") else 2
        )
        return (
            at,
            "this line is indented differently from the list entry it belongs to",
            f"indent it by {_spaces(column)}, like the first key after '- ' above",
        )
    if problem.startswith("did not find expected key"):
        unclosed = next(
            (i for i in range(start, min(at, len(lines))) if _open_quote(lines[i])), None
        )
        if unclosed is not None:
            quote = _open_quote(lines[unclosed])
            return (
                unclosed,
                f"the {quote} opened on this line is not closed on it",
                f"end the value with {quote} on the same line",
            )
        above = next((lines[i] for i in range(at - 1, -1, -1) if lines[i].strip()), "")
        if _indent(here) > _indent(above) and not above.rstrip().endswith(":"):
            key = here.split(":", 1)[0].strip(" -")
            return (
                at,
                "this line is indented more than the key above it",
                f"indent '{key}' by {_spaces(_indent(above))}, like the line above",
            )
        if at == start or (
            here and col > _indent(here) and not here[col:].lstrip().startswith("-")
        ):
            if '"' in here[:col] or "'" in here[:col]:
                return (
                    at,
                    "text after the closing quote",
                    "put the whole value in the quotes, or remove what follows them",
                )
        above = next((lines[i] for i in range(at - 1, -1, -1) if lines[i].strip()), "")
        return (
            at,
            f"this line is indented by {_spaces(_indent(here))}, which matches no key above it",
            f"indent it like the keys it belongs with: the line above has {_spaces(_indent(above))}",
        )
    column = f" (column {mark.column + 1})" if mark else ""
    message = (problem or context or "invalid YAML") + column
    return at, message, "check the indentation, quotes and brackets on this line and the one above"


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where a node lives: file, line offset of the YAML block, problem sink."""

    path: str
    first_line: int
    problems: Problems

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def error(self, node: yaml.Node | None, key: str, message: str, hint: str = "") -> None:
        line = self.line(node) if node is not None else self.first_line
        self.problems.add(self.path, line, key, message, hint)

    def warn(self, node: yaml.Node | None, key: str, message: str, hint: str = "") -> None:
        line = self.line(node) if node is not None else self.first_line
        self.problems.add(self.path, line, key, message, hint, severity="warning")


def check_safe(root: yaml.Node, ctx: Ctx, key: str = "") -> bool:
    """Refuse aliases, merge keys, explicit tags and oversize documents, once, up front.

    Aliases are the "billion laughs" vector: the composer keeps them shared, so
    refusing any node seen twice keeps memory and time linear in the text.
    """
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    ok = True
    while stack:
        node = stack.pop()
        if id(node) in seen:
            ctx.error(
                node,
                key or "yaml",
                "YAML aliases (*name) are not supported",
                "write the value out in full",
            )
            return False
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            ctx.error(
                root,
                key or "yaml",
                f"front matter has more than {MAX_NODES} values",
                "split the briefing",
            )
            return False
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in SAFE_TAGS:
                ctx.error(
                    node,
                    key or "yaml",
                    f"the YAML tag {node.tag!r} is not allowed",
                    "remove the '!!' tag; plain values are enough",
                )
                ok = False
            elif node.tag == MERGE:
                ctx.error(
                    node,
                    key or "yaml",
                    "YAML merge keys (<<) are not supported",
                    "write the keys out in full",
                )
                ok = False
        else:
            mapping = isinstance(node, yaml.MappingNode)
            if node.tag != (MAP if mapping else SEQ):
                ctx.error(
                    node,
                    key or "yaml",
                    f"the YAML tag {node.tag!r} is not allowed",
                    "remove the '!!' tag",
                )
                ok = False
            if mapping:
                for k, v in node.value:
                    stack.append(v)
                    stack.append(k)
            else:
                stack.extend(node.value)
    return ok


def kind_name(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        NULL: "empty",
        BOOL: "a boolean",
        INT: "a number",
        FLOAT: "a number",
        TIMESTAMP: "a date",
    }.get(node.tag, "text")


def closest(name: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return match[0] if match else ""


class Fields:
    """One YAML mapping, read field by field.

    Every reader returns ``None`` after recording a problem, so a caller reads all
    fields, then builds its object only if nothing went wrong.
    """

    def __init__(self, node: yaml.Node, key: str, ctx: Ctx, allowed: Iterable[str]) -> None:
        self.node = node
        self.key = key
        self.ctx = ctx
        self.ok = True
        self._values: dict[str, yaml.Node] = {}
        self._keys: dict[str, yaml.Node] = {}
        self.allowed = allowed if isinstance(allowed, tuple) else tuple(allowed)
        self.is_mapping = isinstance(node, yaml.MappingNode)
        if RECORDING is not None:
            RECORDING.append((key, "", {"allowed": self.allowed}))
        if not self.is_mapping:
            self._fail(
                node,
                key,
                f"must be a mapping of fields, not {kind_name(node)}",
                "write 'name: value' lines",
            )
            return
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag == NULL:
                self._fail(knode, key, "a key must be plain text", "")
                continue
            name = knode.value
            if name in self._values:
                first = self.ctx.line(self._keys[name])
                self._fail(
                    knode,
                    self.sub(name),
                    f"duplicate key (first defined on line {first})",
                    "keep one; YAML would silently use the last",
                )
                continue
            self._keys[name] = knode
            self._values[name] = vnode
            if name not in self.allowed:
                guess = closest(name, self.allowed)
                hint = (
                    f"did you mean '{guess}'?"
                    if guess
                    else "valid keys: " + ", ".join(self.allowed)
                )
                self._fail(knode, self.sub(name), "unknown key", hint)

    def _note(self, name: str, reader: str, required: bool, **more: object) -> None:
        if RECORDING is not None:
            RECORDING.append((self.key, name, {"reader": reader, "required": required, **more}))

    def sub(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def _fail(self, node: yaml.Node | None, key: str, message: str, hint: str = "") -> None:
        self.ok = False
        self.ctx.error(node if node is not None else self.node, key, message, hint)

    def fail(self, name: str, message: str, hint: str = "") -> None:
        self._fail(self._values.get(name, self.node), self.sub(name), message, hint)

    def has(self, name: str) -> bool:
        node = self._values.get(name)
        return node is not None and not (isinstance(node, yaml.ScalarNode) and node.tag == NULL)

    def node_of(self, name: str) -> yaml.Node | None:
        return self._values.get(name)

    def line_of(self, name: str) -> int:
        node = self._keys.get(name)
        return self.ctx.line(node) if node is not None else self.ctx.line(self.node)

    @property
    def line(self) -> int:
        return self.ctx.line(self.node)

    def _missing(self, name: str, required: bool) -> bool:
        if self.has(name):
            return False
        if required:
            self._fail(
                self.node,
                self.sub(name),
                "required field is missing",
                f"add '{name}:' to this {'entry' if '[' in self.key else 'block'}",
            )
        return True

    def scalar(self, name: str, required: bool, what: str) -> yaml.ScalarNode | None:
        if self._missing(name, required):
            return None
        node = self._values[name]
        if not isinstance(node, yaml.ScalarNode):
            self._fail(node, self.sub(name), f"must be {what}, not {kind_name(node)}")
            return None
        return node

    def text(self, name: str, required: bool = True, empty_ok: bool = False) -> str | None:
        """A string field; YAML 1.1 booleans and re-typed numbers are errors, not guesses."""
        if RECORDING is not None:
            self._note(name, "text", required, empty_ok=empty_ok)
        node = self.scalar(name, required, "text")
        if node is None:
            return None
        value = node.value
        if node.tag == BOOL:
            self._fail(
                node,
                self.sub(name),
                f"{value!r} was read as a boolean (YAML 1.1)",
                f'quote it: "{value}"',
            )
            return None
        if node.tag in (INT, FLOAT) and (
            _RETYPED_NUMBER.match(value) or _SPECIAL_FLOAT.match(value)
        ):
            self._fail(
                node,
                self.sub(name),
                f"{value!r} would be re-typed as a number by YAML 1.1",
                f'quote it: "{value}"',
            )
            return None
        value = value.strip()
        if not value and not empty_ok:
            self._fail(node, self.sub(name), "must not be empty", "")
            return None
        return value

    def boolean(self, name: str, default: bool) -> bool:
        if RECORDING is not None:
            self._note(name, "boolean", False, default=default)
        if not self.has(name):
            return default
        node = self._values[name]
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self._fail(node, self.sub(name), f"must be true or false, not {kind_name(node)}")
        return default

    def choice(
        self, name: str, options: tuple[str, ...], required: bool = True, default: str | None = None
    ) -> str | None:
        if RECORDING is not None:
            self._note(name, "choice", required, options=options)
        if not self.has(name) and not required:
            return default
        value = self.text(name, required)
        if value is None:
            return None
        if value not in options:
            guess = closest(value.lower(), options)
            hint = f"did you mean '{guess}'?" if guess else ""  # the message lists them
            self._fail(
                self._values[name],
                self.sub(name),
                f"{value!r} is not one of {', '.join(options)}",
                hint,
            )
            return None
        return value

    def converted(
        self, name: str, parse: Callable[[yaml.ScalarNode], T], required: bool, what: str
    ) -> T | None:
        """A scalar turned into a value by ``parse``, which raises ValueError with a hint."""
        if RECORDING is not None:
            self._note(name, "converted", required, parse=parse)
        node = self.scalar(name, required, what)
        if node is None:
            return None
        try:
            return parse(node)
        except ValueError as exc:
            message, _, hint = str(exc).partition("|")
            self._fail(node, self.sub(name), message, hint)
            return None

    def items(self, name: str, required: bool = False) -> list[tuple[int, yaml.Node]]:
        """The entries of a list field, with their index."""
        if RECORDING is not None:
            self._note(name, "items", required)
        if self._missing(name, required):
            return []
        node = self._values[name]
        if not isinstance(node, yaml.SequenceNode):
            self._fail(
                node,
                self.sub(name),
                f"must be a list, not {kind_name(node)}",
                "start each entry with '- '",
            )
            return []
        return list(enumerate(node.value))

    def text_list(self, name: str, required: bool = False) -> tuple[str, ...]:
        """A list of strings; a single string is accepted as a one-item list."""
        if RECORDING is not None:
            self._note(name, "text_list", required)
        if self.has(name) and isinstance(self._values[name], yaml.ScalarNode):
            one = self.text(name, required)
            return (one,) if one is not None else ()
        out: list[str] = []
        for i, item in self.items(name, required):
            key = f"{self.sub(name)}[{i}]"
            if not isinstance(item, yaml.ScalarNode) or item.tag in (NULL,):
                self._fail(item, key, f"must be text, not {kind_name(item)}")
            elif item.tag == BOOL:
                self._fail(
                    item,
                    key,
                    f"{item.value!r} was read as a boolean (YAML 1.1)",
                    f'quote it: "{item.value}"',
                )
            elif item.value.strip():
                out.append(item.value.strip())
        return tuple(out)
