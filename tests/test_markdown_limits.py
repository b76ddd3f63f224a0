"""Bodies Python-Markdown would take minutes on are refused at their line in well under a
second; bodies just inside the bounds still convert, and quickly (docs/decisions.md)."""

from __future__ import annotations

import random
import time

import pytest
from conftest import BRIEFING
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from test_hostile_input import assert_refused, built  # noqa: F401 (a fixture)

from dossier.config import MARKDOWN_EXTENSIONS
from dossier.markdown import BodyRenderer, MarkdownOptions, Target
from dossier.markdown.codespans import IndexedBacktickInlineProcessor

ALL = BodyRenderer(MarkdownOptions(extensions=MARKDOWN_EXTENSIONS))
TARGETS = {("source", "r"): Target("source", "ref-r")}
BRACKET_HINT = "(close each bracket, or write a literal one as \\[ or \\()"


def render(body: str, renderer: BodyRenderer = ALL, limit: float = 1.0) -> list[str]:
    started = time.perf_counter()
    out = renderer.render(body, path="b.md", first_line=10, targets=TARGETS)
    assert time.perf_counter() - started < limit
    return [str(p) for p in out.problems]


def test_a_line_of_50000_brackets_is_refused_at_its_line():
    # Before: more than 120 s.
    assert render("Intro.\n\n" + "[" * 50_000 + "\n") == [
        "b.md:12: body: a paragraph of 50,000 characters is longer than the 20,000 Markdown "
        "reads in one (split it with a blank line)",
        "b.md:12: body: 50,000 '[' or '(' left open: matching the brackets would make Markdown "
        f"read 1,250,025,000 characters, more than the 2,050,006 allowed for this body {BRACKET_HINT}",
    ]


@pytest.mark.parametrize(
    "unit, count, opened, reads",
    [
        ("[", 8_000, 8_000, "32,004,000"),  # before: 10 s
        ("[@r; ", 4_000, 4_000, "40,010,000"),
        ("![", 4_000, 4_000, "16,000,000"),
        ("[a](", 4_000, 4_000, "32,004,000"),
        ("[a][", 4_000, 4_000, "32,004,000"),
    ],
)
def test_brackets_left_open_are_refused(unit, count, opened, reads):
    found = render("a\n\n" + unit * count)
    assert len(found) == 1 and found[0].startswith(
        f"b.md:12: body: {opened:,} '[' or '(' left open"
    )
    assert f"would make Markdown read {reads} characters" in found[0]
    assert found[0].endswith(BRACKET_HINT)


def test_deeply_nested_brackets_are_refused():
    assert render("[" * 2_000 + "]" * 2_000) == [
        "b.md:10: body: '[' nested 2,000 deep: matching the brackets would make Markdown read "
        f"4,000,000 characters, more than the 2,004,000 allowed for this body {BRACKET_HINT}"
    ]


def test_many_marks_in_long_paragraphs_are_refused():
    found = render(("[@r]" * 4_000 + "\n\n") * 50)
    assert found == [
        "b.md:10: body: 4,000 links, emphasis, code or entity marks in a paragraph of 16,000 "
        "characters would take Markdown too long (split the long paragraphs with blank lines)"
    ]


def test_a_block_split_line_by_line_is_refused():
    found = render("Intro.\n\n" + "*[A]: x\n" * 40_000)  # before: 580 s
    assert found == [
        "b.md:12: body: 40,000 headings, rules or definitions in one block of 319,999 "
        "characters would take Markdown too long (put a blank line between them)"
    ]


@pytest.mark.parametrize("unit", ["1. ", "+ "])
def test_nesting_too_deep_for_python_is_a_problem_not_a_traceback(unit):
    found = render("Intro.\n\n" + unit * 20_000, limit=5)
    assert found == [
        "b.md:12: body: lists, quotes or definitions are nested too deeply for Markdown "
        "(nest them less deeply)"
    ]
    # The renderer is whole again for the next briefing.
    html = ALL.render("*ok* [@r]", path="c.md", first_line=1, targets=TARGETS).html
    assert "<em>ok</em>" in html and 'href="#ref-r"' in html


@pytest.mark.parametrize(
    "body",
    [
        "[" * 2_000,  # at the bracket bound: 0.44 s measured
        "[a][" * 1_000,
        "[@r]" * 5_000,
        ("[@r]" * 1_350 + "a" * 14_600 + "\n\n") * 20,
        "*[A]: x\n" * 1_100,
        "`` `" * 5_000,  # before: 0.7 s, and 2.7 s at twice the length
        "`` `" * 4_999 + "\n\n" + "`` `" * 4_999,
    ],
)
def test_bodies_inside_the_bounds_still_convert_quickly(body):
    # within the per-file limit (3 s on this 2-core machine, docs/decisions.md); the
    # slowest of these takes about 1.5 s on a quiet machine
    assert render(body, limit=3.0) == []


@pytest.mark.parametrize("unit", ["`a` `` ", "`` `a` ", "``` `a` `` ", "`a` ", "```` ``` `` `"])
def test_code_spans_mixed_with_unclosed_runs_convert_quickly(unit):
    assert render(unit * (19_000 // len(unit)), BodyRenderer(), limit=0.5) == []


def test_raw_html_tags_left_open_are_refused_before_htmlparser_reads_them():
    renderer = BodyRenderer(MarkdownOptions(allow_raw_html=True))
    found = render("Intro.\n\n" + "<a " * 20_000, renderer)  # before: 29 s
    assert found == [
        "b.md:12: body: 20,000 '<' without a '>': finding the ends of the HTML tags would make "
        "Markdown read 600,030,000 characters, more than the 2,060,008 allowed "
        "(close each tag, or write a literal '<' as &lt;)"
    ]
    assert render("<b>bold</b> and <i>it</i>\n\n" * 2_000, renderer, limit=2) == []


def test_code_spans_still_render():
    html = ALL.render("a `x` b ``y ` z`` c ```", path="b.md", first_line=1, targets={}).html
    assert "<code>x</code>" in html and "<code>y ` z</code>" in html and "```" in html


ORIGINAL = BacktickInlineProcessor(BACKTICK_RE)


@settings(max_examples=400, derandomize=True, database=None)
@given(st.text(alphabet="`` a\\\n", max_size=60), st.data())
def test_indexed_code_spans_answer_as_python_markdown_does(text, data):
    ticks = [i for i, c in enumerate(text) if c == "`"]
    if not ticks:
        return
    start = data.draw(st.sampled_from(ticks + [0]))
    mine = IndexedBacktickInlineProcessor()
    assert mine.find_code_spans(start, text) == ORIGINAL.find_code_spans(start, text)


def test_indexed_code_spans_on_long_random_text():
    rng = random.Random(7)
    mine = IndexedBacktickInlineProcessor()
    for _ in range(50):
        text = "".join(rng.choice("``` ab") for _ in range(400))
        for start in (i for i, c in enumerate(text) if c == "`"):
            assert mine.find_code_spans(start, text) == ORIGINAL.find_code_spans(start, text)


def test_a_build_with_50000_brackets_is_refused_fast_and_keeps_the_site(built):  # noqa: F811
    body = "Intro [@report].\n\n" + "[" * 50_000 + "\n"
    project, out, src = built(
        {"content/briefings/good.md": BRIEFING.replace("Body text [@report].\n", body)}
    )
    started = time.perf_counter()
    assert_refused(
        project,
        out,
        src,
        "content/briefings/good.md:30: body: a paragraph of 50,000 characters",
        "content/briefings/good.md:30: body: 50,000 '[' or '(' left open",
    )
    assert time.perf_counter() - started < 10


def test_nesting_deeper_than_the_parser_can_recurse_is_refused_before_it_tries() -> None:
    """'1. 1. 1. …' 150 levels on one line: refused at its line (the parser would recurse
    into every level before failing); twenty levels still convert."""
    renderer = BodyRenderer()
    deep = "Intro.\n\n" + "1. " * 150 + "x\n"
    out = renderer.render(deep, path="a.md", first_line=10, targets={})
    assert [(p.line, p.key, p.message) for p in out.problems] == [
        (12, "body", "lists, quotes or definitions are nested too deeply for Markdown")
    ]
    shallow = renderer.render("- " * 20 + "x\n", path="a.md", first_line=1, targets={})
    assert shallow.problems == () and shallow.html.count("<ul>") == 20
