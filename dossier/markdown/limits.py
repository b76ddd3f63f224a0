"""Bounds on what Python-Markdown's inline pass is given, checked just before it runs.

The inline pass is quadratic on some inputs (docs/decisions.md has the measurements):

- each ``[`` (a link, image, reference, footnote, citation or span) and each ``(`` after
  ``]`` is matched by reading on, character by character in Python, to its closing
  bracket or to the end of the paragraph: 50,000 ``[`` took over 120 s;
- every match rebuilds the paragraph's string, so a paragraph of N marks costs N times
  its length (C speed, but 100,000 ``&amp;`` in one paragraph still take seconds).

So the text of each paragraph (each element the inline pass reads) is measured first,
in one linear scan, and a body over a bound is refused with its line instead of being
converted. The bounds are deterministic, not a timer: the same file passes or fails on
a loaded CI machine as on a laptop.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from dossier.markdown.state import DocumentState

MAX_PARAGRAPH_CHARS = 20_000
# Characters read while matching brackets: a fixed allowance plus one per character of
# text (closed links read their own text once, so real bodies stay near that).
BRACKET_READS_BASE = 2_000_000
# Marks times the length of their paragraph: each match rebuilds the paragraph's string.
REBUILD_BASE = 500_000_000
REBUILD_PER_CHAR = 100

# Lines that make a block processor split its block (a heading, a rule, an abbreviation
# or footnote definition, a definition, an admonition) times the block's length: the
# rest of the block goes back to be tested again by every processor.
SPLITS_BASE = 10_000_000
SPLITS_PER_CHAR = 1

INLINE_PRIORITY = 20
LIMITS_PRIORITY = 21  # just before the inline pass
BLOCK_LIMITS_PRIORITY = 1  # after every other preprocessor (fenced code is stashed by then)
# With allow_raw_html: characters Python's HTMLParser reads looking for the end of a tag.
TAG_READS_BASE = 2_000_000
RAW_HTML_LIMITS_PRIORITY = 35  # before normalize_whitespace (30) and html_block (20)

_BRACKETS = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_ANGLES = re.compile(r"[<>]")
_MARKS = re.compile(r"[\[\\<&!]|`+|[*_]+|  \n")
_SPLITS = re.compile(r"^ {0,3}(?:#|\*\[|\[\^|!!!|\?\?\?|:[ \t]|(?:[-*_=][ \t]*){3,}$)", re.M)


@dataclass(frozen=True, slots=True)
class TextCost:
    text: str
    reads: int  # characters read to match brackets
    open: int  # brackets never closed
    depth: int  # deepest nesting of '['
    marks: int


def measure(text: str) -> TextCost:
    """One pass over the brackets: how far Markdown reads from each '[' and link '('."""
    end = len(text)
    opened: list[int] = []
    parens: list[tuple[int, bool]] = []
    reads = depth = 0
    last_close = -2
    for m in _BRACKETS.finditer(text):
        c, p = m.group(), m.start()
        if c == "[":
            opened.append(p)
            depth = max(depth, len(opened))
        elif c == "]":
            if opened:
                reads += p - opened.pop()
            last_close = p
        elif c == "(":
            parens.append((p, last_close == p - 1))
        elif c == ")" and parens:
            start, link = parens.pop()
            if link:
                reads += p - start
    left = opened + [p for p, link in parens if link]
    reads += sum(end - p for p in left)
    return TextCost(text, reads, len(left), depth, len(_MARKS.findall(text)))


class BlockLimitsPreprocessor(Preprocessor):
    """The block parser's bound: refuses a body whose blocks it would split line by line
    (2,500 abbreviation definitions without a blank line took 2 s), and then gives the
    parser nothing to do."""

    def __init__(self, md: object, state: DocumentState) -> None:
        super().__init__(md)  # type: ignore[arg-type]
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        deepest = deepest_line("\n".join(lines))
        if deepest is not None and nesting(lines[deepest]) > MAX_NESTING:
            # refused before the parser recurses into it: "1. " 66,000 times took 3 s to
            # reach Python's recursion limit
            self.state.report(
                _needle(lines[deepest]),
                "lists, quotes or definitions are nested too deeply for Markdown",
                "nest them less deeply",
            )
            return []
        text = "\n".join(lines)
        work, worst, worst_work = 0, "", 0
        for block in text.split("\n\n"):
            splits = len(_SPLITS.findall(block))
            if splits > 1:
                cost = splits * len(block)
                work += cost
                if cost > worst_work:
                    worst, worst_work = block, cost
        limit = SPLITS_BASE + SPLITS_PER_CHAR * len(text)
        if work <= limit:
            return lines
        count = len(_SPLITS.findall(worst))
        self.state.report(
            _needle(worst),
            f"{count:,} headings, rules or definitions in one block of {len(worst):,} "
            "characters would take Markdown too long",
            "put a blank line between them",
        )
        return []


class RawHtmlLimitsPreprocessor(Preprocessor):
    """With ``allow_raw_html``, Python's HTMLParser reads from each '<' to the next '>'
    (and starts again one character on when there is none): 20,000 '<a ' took 29 s."""

    def __init__(self, md: object, state: DocumentState) -> None:
        super().__init__(md)  # type: ignore[arg-type]
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<" not in text:
            return lines
        reads, worst, worst_reads, following = 0, 0, 0, len(text)
        for m in reversed(list(_ANGLES.finditer(text))):
            if m.group() == ">":
                following = m.start()
            else:
                cost = following - m.start()
                reads += cost
                if cost > worst_reads:
                    worst, worst_reads = m.start(), cost
        limit = TAG_READS_BASE + len(text)
        if reads <= limit:
            return lines
        opened = text.count("<") - text.count(">")
        self.state.report(
            text[worst : worst + 40].split("\n", 1)[0],
            f"{max(opened, 1):,} '<' without a '>': finding the ends of the HTML tags would "
            f"make Markdown read {reads:,} characters, more than the {limit:,} allowed",
            "close each tag, or write a literal '<' as &lt;",
        )
        return []


class InlineLimitsTreeprocessor(Treeprocessor):
    """Refuses a body the inline pass would take too long on, and then leaves it nothing
    to do (every text atomic), so a refused body costs one linear scan."""

    def __init__(self, md: object, state: DocumentState) -> None:
        super().__init__(md)  # type: ignore[arg-type]
        self.state = state

    def run(self, root: etree.Element) -> None:
        texts = list(_inline_texts(root))
        total = sum(len(t) for t in texts)
        costs = [measure(t) for t in texts if "\n" in t or len(t) > 40 or _MARKS.search(t)]
        short = [c for c in costs if len(c.text) <= MAX_PARAGRAPH_CHARS]
        problems = self._too_long(costs) + self._brackets(costs, total) + self._marks(short, total)
        if problems:
            for needle, message, hint in problems:
                self.state.report(needle, message, hint)
            _make_atomic(root)

    def _too_long(self, costs: list[TextCost]) -> list[tuple[str, str, str]]:
        return [
            (
                _needle(c.text),
                f"a paragraph of {len(c.text):,} characters is longer than the "
                f"{MAX_PARAGRAPH_CHARS:,} Markdown reads in one",
                "split it with a blank line",
            )
            for c in costs
            if len(c.text) > MAX_PARAGRAPH_CHARS
        ]

    def _brackets(self, costs: list[TextCost], total: int) -> list[tuple[str, str, str]]:
        limit = BRACKET_READS_BASE + total
        reads = sum(c.reads for c in costs)
        if reads <= limit:
            return []
        worst = max(costs, key=lambda c: c.reads)
        what = (
            f"{worst.open:,} '[' or '(' left open"
            if worst.open
            else f"'[' nested {worst.depth:,} deep"
        )
        return [
            (
                _needle(worst.text),
                f"{what}: matching the brackets would make Markdown read {reads:,} "
                f"characters, more than the {limit:,} allowed for this body",
                "close each bracket, or write a literal one as \\[ or \\(",
            )
        ]

    def _marks(self, costs: list[TextCost], total: int) -> list[tuple[str, str, str]]:
        limit = REBUILD_BASE + REBUILD_PER_CHAR * total
        work = sum(c.marks * len(c.text) for c in costs)
        if not costs or work <= limit:
            return []
        worst = max(costs, key=lambda c: c.marks * len(c.text))
        return [
            (
                _needle(worst.text),
                f"{worst.marks:,} links, emphasis, code or entity marks in a paragraph of "
                f"{len(worst.text):,} characters would take Markdown too long",
                "split the long paragraphs with blank lines",
            )
        ]


def _inline_texts(root: etree.Element) -> list[str]:
    out = []
    for el in root.iter():
        for text in (el.text, el.tail):
            if text and not isinstance(text, AtomicString):
                out.append(text)
    return out


def _make_atomic(root: etree.Element) -> None:
    for el in root.iter():
        if el.text and not isinstance(el.text, AtomicString):
            el.text = AtomicString(el.text)
        if el.tail and not isinstance(el.tail, AtomicString):
            el.tail = AtomicString(el.tail)


def _needle(text: str) -> str:
    """The start of the paragraph's first line: what ``locate`` looks for in the file."""
    line = text.strip().split("\n", 1)[0]
    return line[:60].strip() or text.strip()[:60]


_CONTAINERS = re.compile(r"^(?:[ \t]*(?:[>*+:-]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*)+")


def deepest_line(text: str) -> int | None:
    """The line (counted from 0) that opens the most lists, quotes or definitions at once,
    counting indentation as nesting too: where a RecursionError most likely started."""
    best, where = 0, None
    for i, line in enumerate(text.split("\n")):
        depth = nesting(line)
        if depth > best:
            best, where = depth, i
    return where


# Real briefings nest a few levels; Python-Markdown's block parser overflows Python's
# recursion limit some 490 levels deep.
MAX_NESTING = 100


def nesting(line: str) -> int:
    """How many lists, quotes or definitions a line opens, indentation counted as nesting."""
    m = _CONTAINERS.match(line)
    depth = len(m.group().split()) if m else 0
    return depth + (len(line) - len(line.lstrip(" "))) // 4
