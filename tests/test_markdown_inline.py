"""The inline stage tries only the patterns a text can match, and renders exactly what
Python-Markdown's own inline stage renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from dossier.markdown import BodyRenderer, MarkdownOptions, Rendered, Target
from dossier.markdown.inline import TriggeredInlineProcessor

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    ("source", "amnesty"): Target("source", "ref-amnesty"),
    ("source", "austin"): Target("source", "ref-austin"),
    ("aid", "pda"): Target("aid", "aid-pda"),
    ("quote", "q1"): Target("quote", "quote-q1"),
}
# Every construct an inline pattern matches, and the characters that start none of them.
FRAGMENTS = [
    "word ", "two words ", "[@amnesty]", "[see @austin, p. 4]", "@amnesty says ", "\\@ ",
    "[span]{.aid #pda}", "[span]{.nofact}", "[link](https://example.org)", "![img](a.png)",
    "[ref][r]", "[r]", "<https://example.org>", "<me@example.org>", "&amp; ", "&copy; ",
    "*em* ", "**strong** ", "_under_ ", "`code` ", "``two ` ticks`` ", "\\*not em\\* ",
    "line  \n", "\n\n", "[^n] ", "<b>raw</b> ", "x < y ", "! ", "[ ", "] ", "* ", "_ ",
    "émigré ", "1 000 ", "\"quoted\" ", "it's ", "-- ", "...",
]  # fmt: skip
TAIL = "\n\n[r]: https://example.org/r\n\n[^n]: A note with *em* and [@amnesty].\n"


def renderers(allow_raw_html: bool = False) -> tuple[BodyRenderer, BodyRenderer]:
    """Dossier's renderer, and the same one with Python-Markdown's own inline stage back."""
    ours = BodyRenderer(MarkdownOptions(allow_raw_html=allow_raw_html))
    stock = BodyRenderer(MarkdownOptions(allow_raw_html=allow_raw_html))
    md = stock._md
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    assert type(ours._md.treeprocessors["inline"]) is TriggeredInlineProcessor
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    return ours, stock


def rendered(renderer: BodyRenderer, text: str) -> Rendered:
    """All of it: the HTML, the contents, references, citations, links, problems."""
    return renderer.render(text, path="content/briefings/a.md", first_line=1, targets=TARGETS)


OURS, STOCK = renderers()
OURS_RAW, STOCK_RAW = renderers(allow_raw_html=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join), st.booleans())
def test_any_mix_of_inline_markup_renders_as_python_markdown_renders_it(
    text: str, raw: bool
) -> None:
    ours, stock = (OURS_RAW, STOCK_RAW) if raw else (OURS, STOCK)
    assert rendered(ours, text + TAIL) == rendered(stock, text + TAIL)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.md")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_shipped_and_fixture_body_renders_as_python_markdown_renders_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")  # front matter and all
    assert rendered(OURS, text) == rendered(STOCK, text)


def test_a_pattern_the_table_does_not_know_is_always_tried() -> None:
    """An extension's own pattern (here: ==mark==) is tried on every text, as before."""
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    ours, stock = renderers()
    for r in (ours, stock):
        r._md.inlinePatterns.register(SimpleTagInlineProcessor(r"(==)(.+?)==", "mark"), "mark", 65)
    text = "A ==marked== word and [@amnesty]."
    assert "<mark>marked</mark>" in rendered(ours, text).html
    assert rendered(ours, text) == rendered(stock, text)
