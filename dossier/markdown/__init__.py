"""The Markdown pipeline for briefing bodies.

One ``BodyRenderer`` holds one ``markdown.Markdown`` instance and resets it
between documents, which is far cheaper than building a new one per page.
Dossier's own syntax (citations, annotation spans) and the HTML safety rules
come from ``BriefingExtension``; the standard extensions are chosen in site.yaml.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension

from dossier.errors import Problem
from dossier.markdown.citations import Item
from dossier.markdown.extension import AnyTarget, BriefingExtension
from dossier.markdown.limits import deepest_line
from dossier.markdown.links import LinkContext, PageLink
from dossier.markdown.safety import check_raw_html
from dossier.markdown.state import Finding, locate, mentions
from dossier.markdown.targets import Kind, Mention, Reference, Target
from dossier.markdown.typography import SmartTypographyExtension

__all__ = [
    "AnyTarget",
    "LinkContext",
    "PageLink",
    "SUPPORTED_EXTENSIONS",
    "BodyRenderer",
    "Kind",
    "MarkdownOptions",
    "Mention",
    "Reference",
    "Rendered",
    "Target",
]

# Python-Markdown's own extensions a site may switch on; the rest either
# change how front matter or links work (meta, wikilinks) or are obsolete.
SUPPORTED_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
    }
)


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc_html: str = ""
    references: tuple[Reference, ...] = ()
    problems: tuple[Problem, ...] = ()
    citations: tuple[Item, ...] = ()  # every citation as Pandoc reads it, in document order
    links: tuple[PageLink, ...] = ()  # links to pages, to check against the planned site
    mentions: tuple[Mention, ...] = ()  # spans marking facts other briefings define


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    extensions: tuple[str, ...] = ("footnotes", "tables", "toc", "attr_list", "smarty")
    allow_raw_html: bool = False
    toc_depth: str = "2-3"
    extension_configs: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.extensions) - SUPPORTED_EXTENSIONS)
        if unknown:
            raise ValueError(
                f"unknown Markdown extension(s): {', '.join(unknown)}; "
                f"choose from {', '.join(sorted(SUPPORTED_EXTENSIONS))}"
            )


class BodyRenderer:
    def __init__(self, options: MarkdownOptions | None = None) -> None:
        self.options = options or MarkdownOptions()
        configs: dict[str, dict[str, object]] = {"toc": {"toc_depth": self.options.toc_depth}}
        for name, config in self.options.extension_configs.items():
            configs[name] = {**configs.get(name, {}), **config}
        self._configs = configs
        self._make()

    def _make(self) -> None:
        self._ext = BriefingExtension(allow_raw_html=self.options.allow_raw_html)
        extensions: list[str | Extension] = [
            SmartTypographyExtension() if name == "smarty" else name
            for name in self.options.extensions
        ]
        self._md = markdown.Markdown(
            extensions=[*extensions, self._ext],
            extension_configs=self._configs,
            output_format="html",
        )

    def render(
        self,
        text: str,
        *,
        path: str,
        first_line: int,
        targets: Mapping[str, Target] | Mapping[tuple[str, str], Target],
        authors: Mapping[str, str] | None = None,
        links: LinkContext | None = None,
    ) -> Rendered:
        """Body Markdown to HTML; problems carry file lines, counted from ``first_line``.

        ``targets`` is keyed by ``(kind, id)`` (each kind has its own ids, so a source and a
        quote may both be ``amnesty``) or, for a single namespace, by plain id.
        """
        md = self._md
        self._ext.targets = targets
        self._ext.authors = authors or {}
        md.reset()
        if self._ext.links is not None:
            self._ext.links.context = links
        state = self._ext.state
        try:
            html = md.convert(text)
        except RecursionError:
            # Python-Markdown's block parser recurses once per level of nesting: lists,
            # quotes or definitions nested some hundreds deep on one line ("1. 1. 1. …").
            self._make()  # the instance may be left half-way through a document
            line = deepest_line(text)
            problem = Problem(
                path,
                first_line + line if line is not None else None,
                "body",
                "lists, quotes or definitions are nested too deeply for Markdown",
                "nest them less deeply",
            )
            return Rendered(html="", problems=(problem,))
        if self.options.allow_raw_html:
            check_raw_html([b for b in md.htmlStash.rawHtmlBlocks if isinstance(b, str)], state)
        problems = locate(state.findings, text, path=path, first_line=first_line)
        problems += [
            dataclasses.replace(p, severity="warning")
            for p in locate(self._ext.warnings, text, path=path, first_line=first_line)
        ]
        crossrefs = self._ext.crossrefs
        page_links: tuple[PageLink, ...] = ()
        if links is not None and links.links:
            lines = locate(
                [Finding(pl.needle, "") for pl in links.links], text, path=path,
                first_line=first_line,
            )  # fmt: skip
            page_links = tuple(
                dataclasses.replace(pl, line=p.line)
                for pl, p in zip(links.links, lines, strict=True)
            )
        return Rendered(
            html=html,
            toc_html=getattr(md, "toc", ""),
            references=crossrefs.references if crossrefs else (),
            problems=tuple(problems),
            citations=crossrefs.citations if crossrefs else (),
            links=page_links,
            mentions=mentions(state.outside, text, first_line),
        )
