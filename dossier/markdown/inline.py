"""Python-Markdown's inline stage, trying only the patterns a text can match.

Python-Markdown runs every inline pattern's regular expression over every text of the tree:
18 patterns here, some 590 tries per briefing, most of them on texts without the one character
the pattern needs (a link needs ``[``, an entity ``&``, emphasis ``*`` or ``_``). That was a
third of Python-Markdown's time on the benchmark corpus. This processor skips a pattern when the
text holds none of the characters its expression cannot match without; everything else, and the
order in which patterns are tried, is Python-Markdown's own.

The characters are keyed by the expression's source text, not by the pattern's class, so a
pattern this table does not know (an extension's, or one whose expression changed in a new
Python-Markdown) is always tried: the table can only make the stage faster, never different.
"""

from __future__ import annotations

from markdown import inlinepatterns as ip
from markdown import util
from markdown.treeprocessors import InlineProcessor

from dossier.markdown.citations import BRACKET_RE, IN_TEXT_RE
from dossier.markdown.nofact import NOFACT_RE
from dossier.markdown.spans import SPAN_START_RE

INLINE_PRIORITY = 20  # Python-Markdown's own "inline", which this replaces

# expression source → the characters of which a match holds at least one
REQUIRED: dict[str, str] = {
    ip.BACKTICK_RE: "`",  # code spans (a backtick, after escaped backslashes)
    ip.ESCAPE_RE: "\\",
    r"\[\^([^\]]*)\]": "[",  # footnote reference (python-markdown's footnotes extension)
    NOFACT_RE: "[",
    SPAN_START_RE: "[",  # annotation span
    BRACKET_RE: "[",  # bracketed citation
    ip.LINK_RE: "[",  # also reference and short reference
    ip.IMAGE_LINK_RE: "!",  # also image reference and short image reference
    ip.AUTOLINK_RE: "<",
    IN_TEXT_RE: "@",  # in-text citation
    ip.AUTOMAIL_RE: "<",
    ip.LINE_BREAK_RE: "\n",
    ip.ENTITY_RE: "&",
    ip.HTML_RE: "<",  # raw HTML, where a site allows it
    r"\*|_": "*_",  # emphasis and strong (python-markdown's em_strong)
}


class TriggeredInlineProcessor(InlineProcessor):
    """Python-Markdown's ``InlineProcessor``, registered in its place as ``inline``."""

    def run(self, tree, ancestors=None):  # noqa: ANN001, ANN201 (Python-Markdown's signature)
        patterns = list(self.inlinePatterns)
        self._patterns = patterns
        self._required = [REQUIRED.get(p.compiled_re.pattern) for p in patterns]
        return super().run(tree, ancestors)

    # Python-Markdown calls this by its private name, from run() and from __applyPattern
    # (for the text inside a match); the loop is its own, with the skip added.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns, required = self._patterns, self._required
        apply = self._InlineProcessor__applyPattern
        start = 0
        count = len(patterns)
        tried = -1  # the pattern whose characters were looked for last
        while patternIndex < count:
            if patternIndex != tried:  # after a match the same pattern goes on, as before
                tried = patternIndex
                chars = required[patternIndex]
                if chars is not None and chars[0] not in data and not any(c in data for c in chars):
                    patternIndex += 1
                    start = 0  # what a try without a match returns
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
