"""A heading's entry in the table of contents, and its id, come from its own words.

Python-Markdown's ``toc`` takes both from all of a heading's text, so a citation or an
annotation span inside a heading put "[1]" and the whole hover card ("USD 275 million ·
United States → Ukraine · …") into the contents and the anchor. This runs just before
``toc`` and gives it the heading's words alone, through the ``data-toc-label`` attribute
that ``toc`` reads, and an id made by ``toc``'s own slugify.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

HEADING_PRIORITY = 6  # after inline (20) and typography (7), before toc (5)
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NOT_WORDS = {"card", "citation", "citation-group", "citation-unknown"}


class HeadingWordsTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        if toc is None:
            return
        used = {el.get("id") for el in root.iter() if el.get("id")}
        for el in root.iter():
            if el.tag not in HEADINGS or not any(_extra(child) for child in el.iter()):
                continue
            words = " ".join("".join(_words(el)).split())
            el.set("data-toc-label", html.escape(words))
            if "id" not in el.attrib:
                el.set("id", _unique(toc.slugify(words, toc.sep), used))


def _extra(el: etree.Element) -> bool:
    return bool(NOT_WORDS & set(el.get("class", "").split()))


def _words(el: etree.Element) -> list[str]:
    out = [el.text or ""]
    for child in el:
        if not _extra(child):
            out += _words(child)
        out.append(child.tail or "")
    return out


def _unique(base: str, used: set[str | None]) -> str:
    """``base``, or ``base_1``, ``base_2``… as ``toc`` numbers repeated headings."""
    candidate, n = base, 0
    while candidate in used:
        n += 1
        candidate = f"{base}_{n}"
    used.add(candidate)
    return candidate
