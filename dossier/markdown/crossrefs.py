"""Numbers citations in document order and keeps links from nesting.

Runs after the inline pass (and after footnotes are moved to the end), walking
the finished tree once: the first source cited is [1], each citation link gets
an id the reference list can link back to, and a link inside an annotation
link (a citation in ``[“reckless” [@amnesty]]{.quote ref=...}`` or in an
ordinary link's text) is moved just after it, because ``<a>`` inside ``<a>``
is invalid HTML.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from dossier.markdown.citations import CITE_ATTR, MODE_ATTR, PREFIX_ATTR, SUFFIX_ATTR, Item
from dossier.markdown.state import DocumentState
from dossier.markdown.targets import Reference


class CrossrefTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, state: DocumentState) -> None:
        super().__init__(md)
        self.state = state
        self.references: tuple[Reference, ...] = ()
        self.citations: tuple[Item, ...] = ()

    def reset(self) -> None:
        self.references = ()
        self.citations = ()

    def run(self, root: etree.Element) -> None:
        self.references = ()
        self.citations = ()
        if self.state.citations:
            self.references, self.citations = _number(root)
        if self.state.cards or self.state.citations:
            _unnest_links(root)


def _number(root: etree.Element) -> tuple[tuple[Reference, ...], tuple[Item, ...]]:
    """Numbers in document order; each link's text becomes ``[n`` + its suffix + ``]``."""
    numbers: dict[str, int] = {}
    backrefs: dict[str, list[str]] = {}
    items: list[Item] = []
    for a in root.iter("a"):
        key = a.get(CITE_ATTR)
        if key is None:
            continue
        number = numbers.setdefault(key, len(numbers) + 1)
        ids = backrefs.setdefault(key, [])
        ids.append(f"cite-{key}-{len(ids) + 1}")
        a.set("id", ids[-1])
        a.text = f"[{number}{a.text or ''}"
        if len(a):
            a[-1].tail = (a[-1].tail or "") + "]"
        else:
            a.text += "]"
        mode = a.attrib.pop(MODE_ATTR, "")
        items.append(Item(a.attrib.pop(PREFIX_ATTR, ""), key, a.attrib.pop(SUFFIX_ATTR, ""), mode))
        del a.attrib[CITE_ATTR]
    references = tuple(Reference(k, n, tuple(backrefs[k])) for k, n in numbers.items())
    return references, tuple(items)


def _unnest_links(root: etree.Element) -> None:
    nests = [
        (parent, outer)
        for parent in root.iter()
        for outer in parent
        if outer.tag == "a" and any(_holds_link(c) for c in outer)
    ]
    for parent, outer in nests:
        _split(parent, outer)


def _holds_link(el: etree.Element) -> bool:
    return el.tag == "a" or el.find(".//a") is not None


def _split(parent: etree.Element, outer: etree.Element) -> None:
    """``<a>x <a/> y</a>`` becomes ``<a>x </a><a/><a> y</a>``: text order is kept."""
    pieces: list[etree.Element] = []
    current: etree.Element | None = outer
    for child in list(outer):
        if _holds_link(child):
            outer.remove(child)
            pieces.append(child)
            rest, child.tail = child.tail, None
            current = None
            if rest and rest.strip():
                current = _copy(outer)
                current.text = rest
                pieces.append(current)
            else:
                child.tail = rest
        elif current is not outer:
            outer.remove(child)
            if current is None:
                current = _copy(outer)
                pieces.append(current)
            current.append(child)
    at = list(parent).index(outer)
    pieces[-1].tail, outer.tail = outer.tail, None
    for offset, piece in enumerate(pieces, start=1):
        parent.insert(at + offset, piece)
    if not (outer.text or "").strip() and not len(outer):  # an empty link helps nobody
        parent.remove(outer)


def _copy(link: etree.Element) -> etree.Element:
    return etree.Element("a", {k: v for k, v in link.attrib.items() if k != "id"})
