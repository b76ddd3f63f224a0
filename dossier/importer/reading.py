"""Reading an article from a file or stdin, refusing what cannot be an article.

Everything here treats the input as untrusted: its size is bounded before it is
read, binary data is refused, and HTML is reduced to its visible main text with
the standard library parser (no network, no script ever runs).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# C0 and C1 controls (a Latin-1 fallback turns bytes 0x80-0x9f into C1), but not
# tab, line feed, carriage return, form feed or NEL, which split paragraphs and words.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class ArticleError(Exception):
    """The input cannot become a draft; the message says why and what to do."""


@dataclass(frozen=True)
class Article:
    """The article's paragraphs plus whatever metadata the input itself carried."""

    paragraphs: tuple[str, ...]
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def read_article(name: str, stdin: BinaryIO | None = None) -> Article:
    """Read ARTICLE (a path, or ``-`` for stdin) into paragraphs."""
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_BYTES + 1)
        label, suffix = "<stdin>", ""
    else:
        path = Path(name)
        suffix = path.suffix.lower()
        if not path.exists():
            raise ArticleError(f"{name}: no such file")
        if not path.is_file():
            raise ArticleError(f"{name}: not a regular file")
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise ArticleError(f"{name}: unsupported file type {suffix!r} (use .txt, .md or .html)")
        if path.stat().st_size > MAX_BYTES:
            raise ArticleError(f"{name}: larger than 5 MB; is this really one article?")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        label = name
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{label}: larger than 5 MB; is this really one article?")
    text, warnings = decode_bytes(data, label)
    is_html = suffix in HTML_SUFFIXES or (
        suffix == "" and re.match(r"\s*<(!doctype|html|head|body|article)\b", text, re.I)
    )
    article = (
        parse_html(text) if is_html else parse_text(text, markdown=suffix in {".md", ".markdown"})
    )
    if not article.paragraphs:
        raise ArticleError(f"{label}: no article text found")
    paragraphs = tuple(piece for p in article.paragraphs for piece in split_long(p))
    return Article(paragraphs, article.title, article.meta, tuple(warnings))


# Well under the 20,000 characters a built paragraph may have (dossier.markdown.limits):
# escaping and annotation spans lengthen the text in the draft.
PARAGRAPH_CHARS = 5_000


def split_long(paragraph: str) -> list[str]:
    """A paragraph longer than PARAGRAPH_CHARS, cut after the last sentence (or else the
    last space) that keeps each piece within it."""
    pieces: list[str] = []
    rest = paragraph
    while len(rest) > PARAGRAPH_CHARS:
        window = rest[:PARAGRAPH_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > 0 else window.rfind(" ")
        cut = cut if cut > 0 else PARAGRAPH_CHARS
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [p for p in (*pieces, rest) if p]


def decode_bytes(data: bytes, label: str) -> tuple[str, list[str]]:
    """UTF-8 first; legacy encodings are accepted with a warning, binary is refused."""
    if not data.strip():
        raise ArticleError(f"{label}: the file is empty")
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise ArticleError(f"{label}: looks like UTF-16 but does not decode") from exc
    if b"\x00" in data:
        raise ArticleError(f"{label}: binary file (contains NUL bytes); give a text or HTML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            warnings.append(f"{label}: not UTF-8; decoded as cp1252 (Windows-1252), check accents")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings.append(f"{label}: not UTF-8; decoded as Latin-1 (ISO-8859-1), check accents")
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise ArticleError(f"{label}: binary file (control characters); give a text or HTML file")
    return _CONTROL.sub("", text), warnings


def parse_text(text: str, *, markdown: bool = False) -> Article:
    """Blank lines separate paragraphs; without any, every line is one (the seed's layout)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        chunks = [" ".join(c.split()) for c in re.split(r"\n[ \t]*\n", text)]
    else:
        chunks = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = [c for c in chunks if c]
    title = ""
    if paragraphs and markdown and paragraphs[0].startswith("#"):
        title = paragraphs.pop(0).lstrip("#").strip()
    elif paragraphs and len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        title = paragraphs.pop(0)
    return Article(tuple(paragraphs), title)


def _looks_like_headline(line: str) -> bool:
    return len(line) <= 140 and not re.search(r"[.!?\"”:]$", line)


_SKIP = {
    "nav", "header", "footer", "script", "style", "aside", "form", "noscript",
    "template", "svg", "iframe", "button", "select", "textarea", "figure",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "br",
    "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "pre", "hr", "dd", "dt",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source"}


class _MainText(HTMLParser):
    """Collect visible text per block, remembering which blocks sit in <article>/<main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.blocks: list[tuple[bool, str, str]] = []  # (in main, tag, text)
        self.current: list[str] = []
        self.current_tag = "p"
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.in_title = False
        self.ld_parts: list[str] = []  # JSON-LD blocks, read as data, never run
        self.in_ld = False

    def _in_main(self) -> bool:
        return "article" in self.stack or "main" in self.stack

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append((self._in_main(), self.current_tag, text))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {k: v or "" for k, v in attrs}
            key = values.get("property") or values.get("name") or ""
            if key and "content" in values:
                self.meta.setdefault(key.lower(), values["content"])
            return
        if tag == "title":
            self.in_title = True
        if tag == "script" and dict(attrs).get("type", "").lower() == "application/ld+json":
            self.in_ld = True
            self.ld_parts.append("")
        if tag in _VOID:
            if tag in _BLOCK and not self.skip_depth:
                self.flush()
            return
        if tag in _SKIP:
            self.skip_depth += 1
        if tag in _BLOCK and not self.skip_depth:
            self.flush()
            self.current_tag = tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.in_ld = False
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top in _SKIP:
                self.skip_depth -= 1
            if top in _BLOCK and not self.skip_depth:
                self.flush()
                self.current_tag = "p"
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_ld:
            self.ld_parts[-1] += data
        elif self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth and "head" not in self.stack:
            self.current.append(data)


def parse_html(text: str) -> Article:
    """Main text of a page: <article>/<main> when present, otherwise every visible block."""
    parser = _MainText()
    parser.feed(text)
    parser.close()
    parser.flush()
    blocks = parser.blocks
    if any(in_main for in_main, _, _ in blocks):
        blocks = [b for b in blocks if b[0]]
    title = ""
    paragraphs: list[str] = []
    for _, tag, content in blocks:
        if tag == "h1" and not title:
            title = content
        elif tag in {"h2", "h3", "h4", "h5", "h6"} and len(content.split()) < 4:
            continue
        else:
            paragraphs.append(content)
    meta = parser.meta
    title = title or meta.get("og:title", "") or " ".join("".join(parser.title_parts).split())
    found = {
        "date": meta.get("article:published_time", "")[:10],
        "url": meta.get("og:url", ""),
        "publisher": meta.get("og:site_name", ""),
        "ld_date": _ld_published(parser.ld_parts),
    }
    return Article(tuple(paragraphs), title, {k: v for k, v in found.items() if v})


def _ld_published(blocks: list[str]) -> str:
    """The first ``datePublished`` in the page's JSON-LD (also inside ``@graph``), or ""."""
    import json

    def walk(node: object, depth: int = 0) -> str:
        if depth > 6:
            return ""
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value.strip()
            node = list(node.values())
        if isinstance(node, list):
            for item in node[:50]:
                found = walk(item, depth + 1)
                if found:
                    return found
        return ""

    for block in blocks:
        try:
            found = walk(json.loads(block))
        except (ValueError, RecursionError):
            continue
        if found:
            return found
    return ""
