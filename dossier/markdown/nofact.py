"""``[€33 billion]{.nofact}``: a figure that is not a fact of its own (a breakdown of an
annotated total, a number in a table), so `check` does not ask for an annotation.

The text is shown as written, in a plain ``span``; `check`'s coverage scan skips it like
every other ``[text]{...}`` span (``dossier.markdown.coverage``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

NOFACT_RE = r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\{\s*\.nofact\s*\}"
NOFACT_PRIORITY = 174  # above annotation spans (173), which leave {.nofact} alone


class NoFactInlineProcessor(InlineProcessor):
    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        el = etree.Element("span", {"class": "nofact"})
        el.text = m.group(1)  # still inline Markdown: emphasis works inside
        return el, m.start(0), m.end(0)
