"""Pandoc's citation syntax, read as Pandoc 2.17 reads it (``pandoc -f markdown``):

- ``[@a]``, ``[@a; @b]``: sources in brackets, each with an optional *prefix* before it and
  *suffix* after it (``[see @a, pp. 3-4; also @b]``); a suffix's locator is shown;
- ``[-@a]``: the author suppressed (with numbered references it looks like ``[@a]``);
- ``@a says``, ``@a [p. 33] says``: in text, the source's publisher and its number;
- ``\\@a``: a literal at sign.

A key starts with a letter, digit or ``_`` and may hold ``:.#$%&-+?<>~/`` between such
characters; an ``@`` right after a letter, a digit or a ``.`` (an e-mail address) starts
none. Brackets that hold something like a citation but do not parse as one (``[@]``,
``[see @]``, ``[@a;]``) are reported as a warning at their line; an unknown id in any
form is an error.

The bracketed form is registered above ``reference`` (170) and ``link`` (160), like
footnotes, so those never take its brackets; the in-text form below ``autolink`` (120), so
``<https://x.org/@user>`` stays a link, as in Pandoc. Numbers and back-link ids are given
later by ``crossrefs``, in document order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from dossier.markdown.state import DocumentState, Finding

CITE_ATTR = "data-dossier-cite"
MODE_ATTR = "data-dossier-mode"
PREFIX_ATTR = "data-dossier-prefix"
SUFFIX_ATTR = "data-dossier-suffix"
NORMAL, IN_TEXT, SUPPRESS = "NormalCitation", "AuthorInText", "SuppressAuthor"

BRACKET_RE = r"\[(?=[^\]]{0,1000}?@)"  # a bracket with an at sign before it closes
IN_TEXT_RE = r"@(?=[\w{])"
INTERNAL = set(":.#$%&-+?<>~/")
MAX_BRACKET = 2000  # a citation is short; the scan for its ']' stops here


@dataclass(frozen=True)
class Item:
    """One citation as Pandoc reads it: its prefix, key, suffix and mode."""

    prefix: str
    key: str
    suffix: str
    mode: str


def _regular(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def parse_key(text: str, pos: int) -> tuple[str, int] | None:
    """The key that starts at ``pos`` (just after the ``@``) and where it ends."""
    if pos < len(text) and text[pos] == "{":  # @{https://example.org/x}
        end = text.find("}", pos + 1)
        inner = text[pos + 1 : end] if end > 0 else ""
        if not inner or any(c.isspace() or c == "{" for c in inner):
            return None
        return inner, end + 1
    if pos >= len(text) or not (_regular(text[pos]) or text[pos] == "*"):
        return None
    i = pos + 1
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if _regular(ch):
            i += 1
        elif ch in INTERNAL and nxt and _regular(nxt):
            i += 1
        elif ch in ":/" and nxt == "/":
            i += 1
        else:
            break
    return text[pos:i], i


def starts_citation(text: str, at: int) -> bool:
    """Whether the ``@`` at ``at`` may start a citation: not inside a word or after a '.'."""
    if at > 0 and (text[at - 1].isalnum() or text[at - 1] == "."):
        return False
    return parse_key(text, at + 1) is not None


def closing_bracket(text: str, start: int) -> int:
    """The index of the ``]`` that closes the ``[`` at ``start``, or -1."""
    depth = 0
    i = start
    end = min(len(text), start + MAX_BRACKET)
    while i < end:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _split_top(content: str) -> list[str]:
    """``content`` split at the semicolons outside nested brackets."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(content):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ";" and depth == 0:
            parts.append(content[last:i])
            last = i + 1
    parts.append(content[last:])
    return parts


def parse_item(part: str) -> Item | None:
    """``see -@a, p. 3`` → prefix, key, suffix, mode; None when the part has no key."""
    at = 0
    while True:
        at = part.find("@", at)
        if at < 0:
            return None
        if starts_citation(part, at):
            break
        at += 1
    key, end = parse_key(part, at + 1)  # type: ignore[misc]
    suppress = at > 0 and part[at - 1] == "-" and (at < 2 or not part[at - 2].isalnum())
    prefix = part[: at - 1] if suppress else part[:at]
    return Item(
        " ".join(prefix.split()), key, part[end:].rstrip(), SUPPRESS if suppress else NORMAL
    )


def parse_bracketed(content: str) -> list[Item] | None:
    """The citations of ``[content]``; None when it is not a citation."""
    items = [parse_item(part) for part in _split_top(content)]
    if not items or any(i is None for i in items):
        return None
    return items  # type: ignore[return-value]


def looks_like_citation(content: str) -> bool:
    """An at sign where a citation could start, or an '@' alone at the start or end."""
    stripped = content.strip().lstrip("-")
    if stripped.startswith("@") or content.rstrip().endswith("@"):
        return True
    return any(starts_citation(content, m.start()) for m in re.finditer("@", content))


def shown_suffix(suffix: str) -> str:
    """A suffix as shown after the number: ``, p. 3`` (from ``, p. 3``, `` p. 3``, ``,p.3``)."""
    text = " ".join(suffix.split())
    text = text[1:].lstrip() if text.startswith(",") else text
    return f", {text}" if text else ""


class CitationRenderer:
    """Turns parsed citations into elements; shared by both forms."""

    def __init__(self, md: Markdown, state: DocumentState, authors: Mapping[str, str]) -> None:
        self.md, self.state, self.authors = md, state, authors

    def link(self, item: Item, raw: str) -> etree.Element:
        needle = "@" + item.key
        target = self.state.lookup(item.key, "source", needle, is_key=True)
        if target is None:
            el = etree.Element("span", {"class": "citation citation-unknown"})
            el.text = AtomicString(raw)  # Markdown re-reads nested text otherwise
            return el
        self.state.citations += 1
        el = etree.Element("a", {"class": "citation", "role": "doc-biblioref"})
        el.set("href", "#" + target.anchor)
        el.set(CITE_ATTR, item.key)
        el.set(MODE_ATTR, item.mode)
        el.set(PREFIX_ATTR, item.prefix)
        el.set(SUFFIX_ATTR, " ".join(item.suffix.split()))
        el.text = shown_suffix(item.suffix)  # crossrefs adds "[n" before and "]" after
        return el

    def group(self, items: list[Item], raws: list[str]) -> etree.Element:
        links = [self.link(item, raw) for item, raw in zip(items, raws, strict=True)]
        if len(links) == 1 and not items[0].prefix:
            return links[0]
        group = etree.Element("span", {"class": "citation-group"})
        group.text = f"{items[0].prefix} " if items[0].prefix else None
        for i, el in enumerate(links):
            group.append(el)
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is not None and nxt.prefix:
                el.tail = f"; {nxt.prefix} "
        return group

    def in_text(self, item: Item, raw: str, more: list[Item]) -> etree.Element:
        link = self.link(item, raw)
        if link.tag != "a":
            return link
        wrap = etree.Element("span", {"class": "citation-intext"})
        author = self.authors.get(item.key, item.key)
        wrap.text = AtomicString(f"{author} ")
        wrap.append(link)
        for other in more:
            wrap.append(self.link(other, f"@{other.key}"))
        return wrap


class BracketedCitationProcessor(InlineProcessor):
    """``[see @a, p. 3; -@b]``; a look-alike that does not parse is a warning."""

    def __init__(self, md: Markdown, render: CitationRenderer, warnings: list[Finding]) -> None:
        super().__init__(BRACKET_RE, md)
        self.render, self.warnings = render, warnings

    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        start = m.start(0)
        end = closing_bracket(data, start)
        if end < 0:
            return None, None, None
        after = data[end + 1 : end + 2]
        if after in ("(", "{") or (after == "[" and self._reference_follows(data, end + 1)):
            return None, None, None  # a link, a span, a reference link
        content = data[start + 1 : end]
        items = parse_bracketed(content)
        if items is None:
            if looks_like_citation(content) and not _after_in_text_key(data, start):
                self.warnings.append(
                    Finding(
                        data[start : end + 1],
                        f"{data[start : end + 1]!r} looks like a citation but is not one",
                        "write [@id], [see @id, p. 3] or [@a; @b]: each part needs an @id; "
                        "escape a literal at sign as \\@",
                    )
                )
            return None, None, None
        whole = len(items) == 1 and not items[0].prefix
        raws = [data[start : end + 1]] if whole else [f"[@{i.key}]" for i in items]
        return self.render.group(items, raws), start, end + 1

    def _reference_follows(self, data: str, at: int) -> bool:
        """``[text][]`` or ``[text][label]`` with the label defined: a reference link.
        Citations side by side (``[@a][@b]``) stay citations."""
        end = data.find("]", at)
        if end < 0:
            return False
        label = data[at + 1 : end].strip().lower()
        return not label or " ".join(label.split()) in self.md.references


def _after_in_text_key(data: str, bracket: int) -> bool:
    """``@a [p. 3; @b]``: the bracket belongs to the in-text citation before it."""
    before = data[:bracket].rstrip(" \t\n")
    if len(data[:bracket]) - len(before) > 2:
        return False
    m = re.search(r"@[^\s@\[\]]+$", before)
    return bool(m) and starts_citation(before, m.start())


class InTextCitationProcessor(InlineProcessor):
    """``@a says``, ``@a [p. 33] says``."""

    def __init__(self, md: Markdown, render: CitationRenderer) -> None:
        super().__init__(IN_TEXT_RE, md)
        self.render = render

    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        at = m.start(0)
        if not starts_citation(data, at):
            return None, None, None
        key, end = parse_key(data, at + 1)  # type: ignore[misc]
        item = Item("", key, "", IN_TEXT)
        more: list[Item] = []
        located = _locator(data, end)
        if located is not None:
            suffix, more, end = located
            item = Item("", key, suffix, IN_TEXT)
        return self.render.in_text(item, data[at:end], more), at, end


def _locator(data: str, pos: int) -> tuple[str, list[Item], int] | None:
    """``@a [p. 33]``, ``@a [p. 33; @b]``: the suffix in brackets after an in-text key."""
    i = pos
    newlines = 0
    while i < len(data) and data[i] in " \t\n":
        newlines += data[i] == "\n"
        i += 1
    if i >= len(data) or data[i] != "[" or newlines > 1 or data[i + 1 : i + 2] == "^":
        return None
    end = closing_bracket(data, i)
    if end < 0 or data[end + 1 : end + 2] in ("[", "("):
        return None
    parts = _split_top(data[i + 1 : end])
    if parse_item(parts[0]) is not None:
        return None  # citations, not a locator: the bracketed form reads them
    more = [parse_item(p) for p in parts[1:]]
    if any(x is None for x in more):
        return None
    return parts[0].strip(), more, end + 1  # type: ignore[return-value]
