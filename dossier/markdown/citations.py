"""Pandoc-style citations: ``[@amnesty]``, ``[@austin; @amnesty]``, ``[@austin, p. 2]``.

The inline processor only recognises the citation and checks its ids; numbers
and back-link ids are given later by ``crossrefs`` in document order, because
Python-Markdown's inline pass does not visit nested blocks in that order.
It is registered above ``reference`` (170) and ``link`` (160), like footnotes,
so those never take a citation's brackets for a link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from dossier.markdown.state import KEY, DocumentState

_ITEM = rf"@{KEY}(?:[ \t\n]*,[^;\[\]@]+)?"
# A citation is "[@key...]" not followed by "(" or "{": those make it a link or a span.
CITATION_RE = rf"\[({_ITEM}(?:[ \t\n]*;[ \t\n]*{_ITEM})*)\](?![({{])"
ITEM_RE = re.compile(rf"@({KEY})(?:\s*,\s*(.+))?", re.DOTALL)

CITE_ATTR = "data-dossier-cite"
LOCATOR_ATTR = "data-dossier-locator"


class CitationInlineProcessor(InlineProcessor):
    """Turns a citation into links whose text and ids ``crossrefs`` fills in."""

    def __init__(self, pattern: str, md: Markdown, state: DocumentState) -> None:
        super().__init__(pattern, md)
        self.state = state

    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        items = [ITEM_RE.fullmatch(part.strip()) for part in m.group(1).split(";")]
        links = [self._link(item.group(1), item.group(2)) for item in items if item]
        if len(links) == 1:
            return links[0], m.start(0), m.end(0)
        group = etree.Element("span", {"class": "citation-group"})
        group.extend(links)
        return group, m.start(0), m.end(0)

    def _link(self, key: str, locator: str | None) -> etree.Element:
        target = self.state.lookup(key, "source", "@" + key, is_key=True)
        if target is None:
            el = etree.Element("span", {"class": "citation citation-unknown"})
            el.text = AtomicString(f"[@{key}]")  # Markdown re-reads nested text otherwise
            return el
        self.state.citations += 1
        el = etree.Element("a", {"class": "citation", "role": "doc-biblioref"})
        el.set("href", "#" + target.anchor)
        el.set(CITE_ATTR, key)
        if locator:
            el.set(LOCATOR_ATTR, " ".join(locator.split()))
        return el
