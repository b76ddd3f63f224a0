"""Per-document state shared by the body extensions, and where their findings sit in the file.

Python-Markdown keeps no line numbers, so a processor records *what* it found
(a needle to look for in the raw body) and the renderer turns that into a file
line afterwards. The search only runs when something is wrong, so a clean
document pays nothing for it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from dossier.errors import Problem
from dossier.markdown.targets import SITE_WIDE, Kind, Mention, Target

KEY = r"[A-Za-z0-9_](?:[\w.:/+-]*\w)?"
KEY_RE = re.compile(KEY)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem without a line yet: ``needle`` is the raw text that shows where it is."""

    needle: str
    message: str
    hint: str = ""
    is_key: bool = False  # needle is "@key": an occurrence must not run on into a longer key


@dataclass(slots=True)
class DocumentState:
    """Everything one conversion learns; ``reset`` makes the next document start clean."""

    targets: Mapping[tuple[str, str], Target] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    outside: list[tuple[Kind, str, Finding]] = field(default_factory=list)
    cards: int = 0
    citations: int = 0

    def reset(self) -> None:
        self.targets = {}
        self.findings = []
        self.outside = []
        self.cards = 0
        self.citations = 0

    def report(self, needle: str, message: str, hint: str = "", *, is_key: bool = False) -> None:
        self.findings.append(Finding(needle, message, hint, is_key))

    def lookup(self, ref: str, kind: Kind, needle: str, *, is_key: bool = False) -> Target | None:
        """The target ``ref`` of ``kind``, or None after reporting why not."""
        target = self.targets.get((kind, ref))
        if target is not None:
            return target
        if kind in SITE_WIDE:  # perhaps defined in another briefing: the site checks
            self.outside.append((kind, ref, Finding(needle, "", is_key=is_key)))
            return Target(kind, f"{kind}-{ref}")
        target = next((t for (_, i), t in self.targets.items() if i == ref), None)
        if target is None:
            same_kind = [i for (k, i) in self.targets if k == kind]
            close = difflib.get_close_matches(ref, same_kind, n=1)
            hint = f"did you mean {close[0]!r}?" if close else _known(kind, same_kind)
            self.report(needle, f"unknown {kind} id {ref!r}", hint, is_key=is_key)
        else:
            self.report(
                needle,
                f"{ref!r} is {_article(target.kind)} {target.kind}, not {_article(kind)} {kind}",
                _kind_hint(ref, target.kind),
                is_key=is_key,
            )
        return None


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _known(kind: Kind, ids: list[str]) -> str:
    if not ids:
        return f"add it to the {kind} list in the front matter"
    shown = ", ".join(sorted(ids)[:5]) + (", …" if len(ids) > 5 else "")
    return f"known {kind} ids: {shown}"


def _kind_hint(ref: str, kind: Kind) -> str:
    if kind == "source":
        return f"cite a source as [@{ref}]"
    return f"mark it as [text]{{.{kind} ref={ref}}}"


def locate(findings: Iterable[Finding], text: str, *, path: str, first_line: int) -> list[Problem]:
    """Give each finding a file line: the n-th finding for a needle gets its n-th occurrence."""
    found = list(findings)
    return [
        Problem(path, line, "body", f.message, f.hint)
        for f, line in zip(found, lines_of(found, text, first_line), strict=True)
    ]


def mentions(
    outside: Iterable[tuple[Kind, str, Finding]], text: str, first_line: int
) -> tuple[Mention, ...]:
    """The spans marking facts defined elsewhere, each with its file line."""
    found = list(outside)
    lines = lines_of([f for _, _, f in found], text, first_line)
    return tuple(Mention(k, i, line) for (k, i, _), line in zip(found, lines, strict=True))


def lines_of(findings: Iterable[Finding], text: str, first_line: int) -> list[int | None]:
    """Each finding's file line: the n-th finding for a needle gets its n-th occurrence."""
    seen: dict[Finding, int] = {}
    found: dict[tuple[str, bool], list[int]] = {}
    out: list[int | None] = []
    for f in findings:
        lines = found.get((f.needle, f.is_key))
        if lines is None:
            lines = found[(f.needle, f.is_key)] = _lines_of(text, f.needle, f.is_key, first_line)
        n = seen.get(f, 0)
        seen[f] = n + 1
        out.append(lines[min(n, len(lines) - 1)] if lines else None)
    return out


def _lines_of(text: str, needle: str, is_key: bool, first_line: int) -> list[int]:
    accept: Callable[[int], bool] = (
        (lambda i: _key_at(text, i + 1) == needle[1:]) if is_key else (lambda i: True)
    )
    lines = []
    line, counted = first_line, 0
    start = text.find(needle)
    while start != -1:  # lines counted on from the last hit: linear however many hits
        if accept(start):
            line += text.count("\n", counted, start)
            counted = start
            lines.append(line)
        start = text.find(needle, start + 1)
    if not lines and not is_key and len(parts := needle.split()) > 1:
        # Markdown expands tabs and joins lines, so match any run of whitespace.
        loose = r"\s+".join(map(re.escape, parts))
        lines = [first_line + text.count("\n", 0, m.start()) for m in re.finditer(loose, text)]
    return lines


def _key_at(text: str, pos: int) -> str:
    m = KEY_RE.match(text, pos)
    return m.group() if m else ""
