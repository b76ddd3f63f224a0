"""The one Python-Markdown extension that adds Dossier's syntax and safety to a body.

It owns the per-document state and clears it in ``reset()``, which
``Markdown.reset()`` calls between documents, so nothing leaks from one
briefing into the next. List it last: smarty re-registers the ``html``
pattern, and raw HTML must stay off after every other extension has run.
"""

from __future__ import annotations

from collections.abc import Mapping

from markdown import Markdown
from markdown.extensions import Extension

from dossier.markdown.citations import (
    BracketedCitationProcessor,
    CitationRenderer,
    InTextCitationProcessor,
)
from dossier.markdown.codespans import BACKTICK_PRIORITY, IndexedBacktickInlineProcessor
from dossier.markdown.crossrefs import CrossrefTreeprocessor
from dossier.markdown.headings import HEADING_PRIORITY, HeadingWordsTreeprocessor
from dossier.markdown.inline import INLINE_PRIORITY, TriggeredInlineProcessor
from dossier.markdown.limits import (
    BLOCK_LIMITS_PRIORITY,
    LIMITS_PRIORITY,
    RAW_HTML_LIMITS_PRIORITY,
    BlockLimitsPreprocessor,
    InlineLimitsTreeprocessor,
    RawHtmlLimitsPreprocessor,
)
from dossier.markdown.links import LINKS_PRIORITY, LinksTreeprocessor
from dossier.markdown.nofact import NOFACT_PRIORITY, NOFACT_RE, NoFactInlineProcessor
from dossier.markdown.safety import UrlSafetyTreeprocessor
from dossier.markdown.sidenotes import SIDENOTE_PRIORITY, SidenoteTreeprocessor
from dossier.markdown.spans import SPAN_START_RE, AnnotationSpanInlineProcessor
from dossier.markdown.state import DocumentState, Finding
from dossier.markdown.targets import Target, keyed_by_kind

# Above footnotes' neighbours "reference" (170) and "link" (160); the span must
# outrank the citation so a citation inside a span's text is still found.
SPAN_PRIORITY = 173
CITATION_PRIORITY = 172
IN_TEXT_CITATION_PRIORITY = 115  # after autolink (120), as in Pandoc; before automail (110)
CROSSREF_PRIORITY = 18  # after inline (20) and footnote reordering (19)
SAFETY_PRIORITY = 3  # after attr_list (8) and toc (5), before unescape (0)


class BriefingExtension(Extension):
    def __init__(
        self, *, allow_raw_html: bool = False, targets: Mapping[str, Target] | None = None
    ) -> None:
        super().__init__()
        self.allow_raw_html = allow_raw_html
        self.targets: Mapping[str, Target] = targets or {}
        self.state = DocumentState()
        self.crossrefs: CrossrefTreeprocessor | None = None
        self.authors: Mapping[str, str] = {}  # source id → who an in-text citation names
        self.warnings: list[Finding] = []  # look-alike citations, reported as warnings
        self.links: LinksTreeprocessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", INLINE_PRIORITY)
        state = self.state
        spans = AnnotationSpanInlineProcessor(SPAN_START_RE, md, state)
        md.inlinePatterns.register(spans, "annotation_span", SPAN_PRIORITY)
        md.inlinePatterns.register(NoFactInlineProcessor(NOFACT_RE, md), "nofact", NOFACT_PRIORITY)
        md.inlinePatterns.register(IndexedBacktickInlineProcessor(), "backtick", BACKTICK_PRIORITY)
        md.treeprocessors.register(
            InlineLimitsTreeprocessor(md, state), "inline_limits", LIMITS_PRIORITY
        )
        md.preprocessors.register(
            BlockLimitsPreprocessor(md, state), "block_limits", BLOCK_LIMITS_PRIORITY
        )
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # \@ is a literal at sign, as in Pandoc
        cites = CitationRenderer(md, state, _Authors(self))
        md.inlinePatterns.register(
            BracketedCitationProcessor(md, cites, self.warnings), "citation", CITATION_PRIORITY
        )
        md.inlinePatterns.register(
            InTextCitationProcessor(md, cites), "citation_in_text", IN_TEXT_CITATION_PRIORITY
        )
        self.crossrefs = CrossrefTreeprocessor(md, state)
        md.treeprocessors.register(self.crossrefs, "crossrefs", CROSSREF_PRIORITY)
        md.treeprocessors.register(SidenoteTreeprocessor(md), "sidenotes", SIDENOTE_PRIORITY)
        md.treeprocessors.register(HeadingWordsTreeprocessor(md), "heading_words", HEADING_PRIORITY)
        self.links = LinksTreeprocessor(md, state)
        md.treeprocessors.register(self.links, "links", LINKS_PRIORITY)
        md.treeprocessors.register(UrlSafetyTreeprocessor(md, state), "url_safety", SAFETY_PRIORITY)
        if self.allow_raw_html:
            md.preprocessors.register(
                RawHtmlLimitsPreprocessor(md, state), "raw_html_limits", RAW_HTML_LIMITS_PRIORITY
            )
        else:
            md.preprocessors.deregister("html_block", strict=False)
            md.inlinePatterns.deregister("html", strict=False)

    def reset(self) -> None:
        """Forget the last document; the next one sees only ``self.targets``."""
        self.state.reset()
        self.warnings.clear()
        targets = self.targets
        self.state.targets = targets if isinstance(targets, AnyTarget) else keyed_by_kind(targets)
        if self.crossrefs is not None:
            self.crossrefs.reset()


class AnyTarget(dict):  # type: ignore[type-arg]
    """Targets when the front matter could not be read: every id is taken as written, so
    only the body's own mistakes (syntax, links, limits) are reported."""

    def get(self, key, default=None):  # type: ignore[no-untyped-def,override]
        kind, ident = key if isinstance(key, tuple) else ("source", key)
        return Target(kind, f"{'ref' if kind == 'source' else kind}-{ident}")


class _Authors(Mapping[str, str]):
    """The extension's current ``authors``, read when a citation is rendered."""

    def __init__(self, ext: BriefingExtension) -> None:
        self.ext = ext

    def __getitem__(self, key: str) -> str:
        return self.ext.authors[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.ext.authors)

    def __len__(self) -> int:
        return len(self.ext.authors)
