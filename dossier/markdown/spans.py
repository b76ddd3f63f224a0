"""Annotation spans: ``[$275 million]{.aid ref=pda-2024-11}``.

The marked text becomes a link to the annotation, followed by its card in a
``span role=tooltip``; CSS shows the card on ``:hover`` and ``:focus-within``
of the wrapping ``span.annotated``, so no JavaScript is needed. The text is
still inline Markdown: emphasis and citations inside it work, because
Python-Markdown runs the lower-priority patterns over it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.inlinepatterns import LinkInlineProcessor

from dossier.markdown.state import DocumentState
from dossier.markdown.targets import KINDS, Kind

SPAN_START_RE = r"\["
ATTRS_RE = re.compile(r"\{([^{}]{0,300})\}")
TOKEN_RE = re.compile(
    r"""\s*(?:\.(?P<cls>[A-Za-z][\w-]*)|(?P<key>[A-Za-z][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))"""
)
KIND_LIST = ", ".join("." + k for k in KINDS)


class AnnotationSpanInlineProcessor(LinkInlineProcessor):
    """``[text]{.kind ref=id}``; any other ``[text]{...}`` is left for others to read."""

    def __init__(self, pattern: str, md: Markdown, state: DocumentState) -> None:
        super().__init__(pattern, md)
        self.state = state

    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        end = m.end(0)
        brace = data.find("]{", end)
        if brace == -1:
            return None, None, None
        text, index, handled = self.getText(data, end)
        if not handled:
            return None, None, None
        attrs = ATTRS_RE.match(data, index)
        if attrs is None:
            return None, None, None
        parsed = _parse(attrs.group(1))
        if parsed is None:
            return None, None, None
        kinds, ref, extra, bad = parsed
        needle = attrs.group(0)
        target = None
        if bad:
            self.state.report(
                needle,
                f"annotation span: {bad} is not allowed",
                f"an annotation span takes one of {KIND_LIST} and ref=ID",
            )
        elif len(kinds) != 1 or not ref:
            self.state.report(
                needle,
                "annotation span needs exactly one kind and a ref",
                f"write [text]{{.aid ref=ID}}; kinds are {KIND_LIST}",
            )
        elif not text.strip():
            self.state.report(needle, "annotation span has no text", "put the marked words in [ ]")
        else:
            target = self.state.lookup(ref, kinds[0], needle)
        return self._render(text, kinds, extra, target), m.start(0), attrs.end(0)

    def _render(self, text: str, kinds: list[Kind], extra: list[str], target) -> etree.Element:
        classes = " ".join(["annotation", *(f"annotation-{k}" for k in kinds), *extra])
        wrap = etree.Element("span", {"class": "annotated"})
        if target is None:
            mark = etree.SubElement(wrap, "span", {"class": classes + " annotation-unknown"})
            mark.text = text
            return wrap
        mark = etree.SubElement(wrap, "a", {"class": classes, "href": "#" + target.anchor})
        mark.text = text
        if target.card:
            self.state.cards += 1
            card_id = f"card-{self.state.cards}"
            mark.set("aria-describedby", card_id)
            etree.SubElement(  # filled when the page is rendered (dossier.views.cards)
                wrap,
                "span",
                {
                    "class": "card",
                    "role": "tooltip",
                    "id": card_id,
                    "data-card": f"{target.kind}:{target.id}",
                },
            )
        return wrap


def _parse(attrs: str) -> tuple[list[Kind], str, list[str], str] | None:
    """Kinds, ref, extra classes and the first bad token; None if this is no annotation span."""
    kinds: list[Kind] = []
    extra: list[str] = []
    ref = ""
    bad = ""
    pos = 0
    for tok in TOKEN_RE.finditer(attrs):
        if tok.start() != pos:
            break
        pos = tok.end()
        if tok["cls"] in KINDS:
            kinds.append(tok["cls"])  # type: ignore[arg-type]
        elif tok["cls"]:
            extra.append(tok["cls"])
        elif tok["key"] == "ref":
            ref = tok["dq"] if tok["dq"] is not None else tok["sq"] or tok["bare"] or ""
        elif not bad:
            bad = f"attribute {tok['key']!r}"
    rest = attrs[pos:].strip()
    if not kinds and not ref:
        return None
    if rest and not bad:
        bad = f"{rest!r}"
    return kinds, ref.strip(), extra, bad
