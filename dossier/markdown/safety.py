"""No script gets onto a page through a briefing body.

Raw HTML is escaped unless the site allows it (the extension deregisters the
``html_block`` preprocessor and the ``html`` inline pattern). Whatever the
setting, every URL that reaches an ``href``/``src`` is checked the way a
browser would read it (entities decoded, tabs, newlines and control characters
dropped, case folded) and only http, https, mailto, relative URLs and
fragments pass. Attribute lists cannot add event handlers or scripted styles.
Each refusal is also reported, so the build fails instead of quietly
publishing a dead link.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from dossier.markdown.state import DocumentState

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "cite",
        "background",
        "data",
        "xlink:href",
        "srcset",
        "longdesc",
        "manifest",
        "ping",
    }
)
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_IGNORED_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_STYLE_RE = re.compile(r"expression\s*\(|url\s*\(|@import|behavior\s*:|-moz-binding")
URL_HINT = "use an http, https or mailto link, or a relative URL"


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` if a browser would run or load it unsafely, else None.

    >>> unsafe_scheme(" JaVa\\tScript:alert(1)")
    'javascript'
    """
    value = url.replace(AMP_SUBSTITUTE, "&")
    for _ in range(3):  # entities may be nested: &amp;#106; is decoded once per pass
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    value = _IGNORED_RE.sub("", value).lower()
    m = _SCHEME_RE.match(value)
    if m is None or m.group(1) in ALLOWED_SCHEMES:
        return None
    return m.group(1)


def _unsafe_srcset(value: str) -> str | None:
    for candidate in value.split(","):
        parts = candidate.split()
        if parts and (scheme := unsafe_scheme(parts[0])):
            return scheme
    return unsafe_scheme(value)


def unsafe_style(value: str) -> bool:
    """True for a style that can load or run something (``url()``, ``expression()``)."""
    decoded = _IGNORED_RE.sub("", html.unescape(value)).lower()
    return _STYLE_RE.search(decoded) is not None or "script:" in decoded


class UrlSafetyTreeprocessor(Treeprocessor):
    """Runs after attr_list and toc, so it sees every attribute that will be written."""

    def __init__(self, md: Markdown, state: DocumentState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.attrib:
                self._check(el)

    def _check(self, el: etree.Element) -> None:
        for name in list(el.attrib):
            value = el.attrib[name]
            lname = name.lower()
            if lname.startswith("on"):
                del el.attrib[name]
                self.state.report(
                    name, f"event handler attribute {name!r} is not allowed", "remove it"
                )
            elif lname == "style" and unsafe_style(value):
                del el.attrib[name]
                self.state.report(
                    value, "a style that loads or runs code is not allowed", "remove the style"
                )
            elif lname in URL_ATTRS:
                scheme = _unsafe_srcset(value) if lname == "srcset" else unsafe_scheme(value)
                if scheme:
                    del el.attrib[name]
                    self.state.report(value, f"{scheme}: URLs are not allowed in {lname}", URL_HINT)


class _RawUrlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in URL_ATTRS:
                scheme = _unsafe_srcset(value) if name == "srcset" else unsafe_scheme(value)
                if scheme:
                    self.bad.append((self.getpos()[0], name, scheme))

    handle_startendtag = handle_starttag


def check_raw_html(blocks: list[str], state: DocumentState) -> None:
    """Report dangerous URLs in raw HTML the site chose to allow: it is not rewritten."""
    for block in blocks:
        if "<" not in block:
            continue
        scanner = _RawUrlScanner()
        scanner.feed(block)
        scanner.close()
        lines = block.splitlines() or [block]
        for line, name, scheme in scanner.bad:
            needle = lines[line - 1].strip() or block
            state.report(needle, f"{scheme}: URLs are not allowed in raw HTML {name}", URL_HINT)
