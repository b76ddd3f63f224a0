"""Numbers citations in document order and keeps links from nesting.

Runs after the inline pass (and after footnotes are moved to the end), walking
the finished tree once: the first source cited is [1], each citation link gets
an id the reference list can link back to, and a link inside an annotation
link (a citation in ``[“reckless” [@amnesty]]{.quote ref=...}``) is moved just
after it, because ``<a>`` inside ``<a>`` is invalid HTML.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from dossier.markdown.citations import CITE_ATTR, LOCATOR_ATTR
from dossier.markdown.state import DocumentState
from dossier.markdown.targets import Reference


class CrossrefTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, state: DocumentState) -> None:
        super().__init__(md)
        self.state = state
        self.references: tuple[Reference, ...] = ()

    def reset(self) -> None:
        self.references = ()

    def run(self, root: etree.Element) -> None:
        self.references = ()
        if self.state.citations:
            self.references = _number(root)
        if self.state.cards or self.state.citations:
            _unnest_links(root)


def _number(root: etree.Element) -> tuple[Reference, ...]:
    numbers: dict[str, int] = {}
    backrefs: dict[str, list[str]] = {}
    for a in root.iter("a"):
        key = a.get(CITE_ATTR)
        if key is None:
            continue
        number = numbers.setdefault(key, len(numbers) + 1)
        ids = backrefs.setdefault(key, [])
        ids.append(f"cite-{key}-{len(ids) + 1}")
        a.set("id", ids[-1])
        locator = a.attrib.pop(LOCATOR_ATTR, None)
        a.text = f"[{number}, {locator}]" if locator else f"[{number}]"
        del a.attrib[CITE_ATTR]
    return tuple(Reference(k, n, tuple(backrefs[k])) for k, n in numbers.items())


def _unnest_links(root: etree.Element) -> None:
    for wrap in list(root.iter("span")):
        if wrap.get("class") != "annotated" or not len(wrap) or wrap[0].tag != "a":
            continue
        mark = wrap[0]
        nested = [child for child in mark if child.tag == "a" or child.find(".//a") is not None]
        for offset, child in enumerate(nested, start=1):
            _remove_keeping_tail(mark, child)
            wrap.insert(offset, child)


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    """Remove ``child`` but keep the text after it in ``parent``."""
    tail, child.tail = child.tail, None
    index = list(parent).index(child)
    parent.remove(child)
    if not tail:
        return
    if index:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
