"""One small error family: every problem knows its file, line and key path.

A stage collects problems in a ``Problems`` list and raises ``DossierError``
once at its boundary, so an author sees every mistake in one report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)  # no slots: they make pickling (the build cache) 4x slower
class Problem:
    path: str
    line: int | None
    key: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        if self.severity == "warning":
            text = f"{where}: warning: {text[len(where) + 2 :]}"
        return f"{text} ({self.hint})" if self.hint else text


class DossierError(Exception):
    """Raised at a stage boundary with every problem found in that stage."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_order))
        super().__init__(self.report())

    def report(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''} found")
        return "\n".join(lines)


def _order(p: Problem) -> tuple[str, int, str]:
    return (p.path, p.line or 0, p.key)


class Problems:
    """A collector: append problems while working, ``raise_if_errors`` at the end."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        path: str,
        line: int | None,
        key: str,
        message: str,
        hint: str = "",
        severity: Severity = "error",
    ) -> None:
        self._items.append(Problem(str(path), line, key, message, hint, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DossierError(self._items)
