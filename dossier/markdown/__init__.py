"""The Markdown pipeline for briefing bodies.

One ``BodyRenderer`` holds one ``markdown.Markdown`` instance and resets it
between documents, which is far cheaper than building a new one per page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import markdown

from dossier.errors import Problem

Kind = Literal["source", "event", "aid", "quote"]


@dataclass(frozen=True, slots=True)
class Target:
    """What an id in the body can point at: its kind, its anchor on the page, its card."""

    kind: Kind
    anchor: str
    card_html: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A cited source: its number (order of first citation) and every back-link anchor."""

    id: str
    number: int
    backrefs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc_html: str = ""
    references: tuple[Reference, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    extensions: tuple[str, ...] = ("footnotes", "tables", "toc", "attr_list", "smarty")
    allow_raw_html: bool = False
    toc_depth: str = "2-3"
    extension_configs: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


class BodyRenderer:
    def __init__(self, options: MarkdownOptions | None = None) -> None:
        self.options = options or MarkdownOptions()
        self._md = markdown.Markdown(
            extensions=list(self.options.extensions),
            extension_configs={"toc": {"toc_depth": self.options.toc_depth}},
            output_format="html",
        )

    def render(
        self,
        text: str,
        *,
        path: str,
        first_line: int,
        targets: Mapping[str, Target],
    ) -> Rendered:
        md = self._md
        md.reset()
        html = md.convert(text)
        return Rendered(html=html, toc_html=getattr(md, "toc", ""))
