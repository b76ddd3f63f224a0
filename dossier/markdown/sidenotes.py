"""Footnotes as margin notes: each footnote's text is copied next to its reference.

Python-Markdown puts footnotes in a list at the end of the body, which CSS cannot
move back beside the sentence they explain. This treeprocessor wraps each
``<sup class="footnote-ref">`` in the same ``span.annotated`` shape an annotation
span has, followed by ``<span class="card sidenote">`` holding the note's text, so
the stylesheet shows it in the right margin on wide screens, on hover or keyboard
focus on narrow ones, and beside the text in print. The list at the end stays for
narrow screens and readers without CSS.

The copy is phrasing content (it sits inside a paragraph): paragraphs of the note
are joined by line breaks, other blocks reduced to their text, and ids, the
back-link and nested annotation cards are dropped so no id appears twice.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

# After footnotes (50), their reordering (19) and duplicate handling (15), and the
# citation numbering (18), so copies carry final numbers; before URL safety (3).
SIDENOTE_PRIORITY = 12


class SidenoteTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        notes = _footnote_items(root)
        if not notes:
            return
        for parent in list(root.iter()):
            for index, sup in enumerate(list(parent)):
                ref = sup.find("a") if sup.tag == "sup" else None
                if ref is None or "footnote-ref" not in ref.get("class", "").split():
                    continue
                key = ref.get("href", "").removeprefix("#")
                item = notes.get(key)
                if item is None:
                    continue
                _attach(parent, index, sup, ref, item, key)


def _footnote_items(root: etree.Element) -> dict[str, etree.Element]:
    items: dict[str, etree.Element] = {}
    for div in root.iter("div"):
        if "footnote" in div.get("class", "").split():
            for li in div.iter("li"):
                if li.get("id"):
                    items[li.get("id", "")] = li
    return items


def _attach(
    parent: etree.Element,
    index: int,
    sup: etree.Element,
    ref: etree.Element,
    item: etree.Element,
    key: str,
) -> None:
    note_id = "sidenote-" + key.removeprefix("fn:")
    wrap = etree.Element("span", {"class": "annotated footnoted"})
    wrap.tail, sup.tail = sup.tail, None
    parent.remove(sup)
    parent.insert(index, wrap)
    wrap.append(sup)
    ref.set("aria-describedby", note_id)
    note = etree.SubElement(
        wrap, "span", {"class": "card sidenote", "role": "tooltip", "id": note_id}
    )
    number = etree.SubElement(note, "span", {"class": "sidenote-number"})
    number.text = ref.text or ""
    number.tail = " "
    first = True
    for block in item:
        if not first:
            etree.SubElement(note, "br")
        first = False
        _append_inline(note, block)


def _append_inline(note: etree.Element, block: etree.Element) -> None:
    if block.tag != "p":
        piece = etree.SubElement(note, "span")
        piece.text = " ".join("".join(block.itertext()).split())
        return
    body = copy.deepcopy(block)
    for el in list(body.iter()):
        for child in list(el):
            classes = child.get("class", "").split()
            if "footnote-backref" in classes or "card" in classes:
                _drop(el, child)
        el.attrib.pop("id", None)
        el.attrib.pop("aria-describedby", None)
    piece = etree.SubElement(note, "span")
    piece.text = body.text
    piece.extend(list(body))


def _drop(parent: etree.Element, child: etree.Element) -> None:
    """Remove ``child`` but keep the text that followed it."""
    index = list(parent).index(child)
    if child.tail:
        if index == 0:
            parent.text = (parent.text or "") + child.tail
        else:
            prev = parent[index - 1]
            prev.tail = (prev.tail or "") + child.tail
    parent.remove(child)
