"""Pandoc-style citations: [@id], [@a; @b], [@id, p. 2], numbered by first citation."""

from __future__ import annotations

from markdown.test_tools import TestCase

from dossier.markdown import BodyRenderer, Target
from dossier.markdown.extension import BriefingExtension

TARGETS = {
    "amnesty": Target("source", "ref-amnesty"),
    "austin": Target("source", "ref-austin"),
    "pda-2024-11": Target("aid", "aid-pda-2024-11"),
}


def cite(key: str, n: int, number: int, locator: str = "") -> str:
    text = f"[{number}, {locator}]" if locator else f"[{number}]"
    return (
        f'<a class="citation" href="#ref-{key}" id="cite-{key}-{n}" role="doc-biblioref">{text}</a>'
    )


class TestCitations(TestCase):
    def setUp(self) -> None:
        self.default_kwargs = {"extensions": [BriefingExtension(targets=TARGETS)]}

    def test_a_citation_is_a_numbered_link_to_its_reference(self) -> None:
        self.assertMarkdownRenders(
            "As reported [@amnesty].", f"<p>As reported {cite('amnesty', 1, 1)}.</p>"
        )

    def test_several_sources_in_one_citation(self) -> None:
        self.assertMarkdownRenders(
            "Both [@austin; @amnesty].",
            '<p>Both <span class="citation-group">'
            f"{cite('austin', 1, 1)}{cite('amnesty', 1, 2)}</span>.</p>",
        )

    def test_a_locator_is_kept_and_shown(self) -> None:
        self.assertMarkdownRenders(
            "See [@austin, p. 2] and [@austin; @amnesty, pp. 3-4].",
            f'<p>See {cite("austin", 1, 1, "p. 2")} and <span class="citation-group">'
            f"{cite('austin', 2, 1)}{cite('amnesty', 1, 2, 'pp. 3-4')}</span>.</p>",
        )

    def test_numbers_follow_first_citation_and_repeats_get_new_back_link_ids(self) -> None:
        self.assertMarkdownRenders(
            "[@amnesty] then [@austin] then [@amnesty].",
            f"<p>{cite('amnesty', 1, 1)} then {cite('austin', 1, 2)} then "
            f"{cite('amnesty', 2, 1)}.</p>",
        )

    def test_numbering_is_in_document_order_even_in_nested_blocks(self) -> None:
        # Python-Markdown's inline pass visits nested lists after later paragraphs.
        self.assertMarkdownRenders(
            "- item [@austin]\n\nAfter [@amnesty].",
            f"<ul>\n<li>item {cite('austin', 1, 1)}</li>\n</ul>\n"
            f"<p>After {cite('amnesty', 1, 2)}.</p>",
        )

    def test_emails_and_empty_brackets_are_not_citations(self) -> None:
        self.assertMarkdownRenders(
            "Write to user@example.org, not [@].",
            "<p>Write to user@example.org, not [@].</p>",
        )

    def test_a_space_or_a_prefix_inside_the_brackets_is_still_a_citation(self) -> None:
        # Pandoc reads both as citations; the prefix is shown before the number.
        self.assertMarkdownRenders(
            "[ @amnesty] and [see @austin]",
            f"<p>{cite('amnesty', 1, 1)} and "
            f'<span class="citation-group">see {cite("austin", 1, 2)}</span></p>',
        )

    def test_code_spans_and_blocks_are_never_touched(self) -> None:
        self.assertMarkdownRenders(
            "Type `[@amnesty]`.\n\n    [@austin]",
            "<p>Type <code>[@amnesty]</code>.</p>\n<pre><code>[@austin]\n</code></pre>",
        )

    def test_an_escaped_at_sign_is_not_a_citation(self) -> None:
        self.assertMarkdownRenders(r"[\@amnesty] and \@austin", "<p>[@amnesty] and @austin</p>")

    def test_an_escaped_bracket_leaves_an_in_text_citation(self) -> None:
        # Pandoc: "\[@a]" is a literal bracket around the in-text citation @a.
        self.assertMarkdownRenders(
            r"\[@amnesty]",
            f'<p>[<span class="citation-intext">amnesty {cite("amnesty", 1, 1)}</span>]</p>',
        )

    def test_brackets_followed_by_a_url_are_a_link_not_a_bracketed_citation(self) -> None:
        # Pandoc reads the link text "@amnesty" as an in-text citation; links never nest.
        self.assertMarkdownRenders(
            "[@amnesty](https://example.org/)",
            f'<p><span class="citation-intext">amnesty {cite("amnesty", 1, 1)}</span></p>',
        )

    def test_a_citation_in_link_text_is_not_nested_inside_the_link(self) -> None:
        self.assertMarkdownRenders(
            "[the report [@amnesty]](https://example.org/)",
            '<p><a href="https://example.org/">the report </a>' + cite("amnesty", 1, 1) + "</p>",
        )

    def test_unknown_id_renders_visibly_and_plainly(self) -> None:
        self.assertMarkdownRenders(
            "See [@amnesti].",
            '<p>See <span class="citation citation-unknown">[@amnesti]</span>.</p>',
        )


def render(text: str, first_line: int = 1):
    return BodyRenderer().render(
        text, path="content/briefings/x.md", first_line=first_line, targets=TARGETS
    )


def test_references_list_sources_in_order_with_every_back_link() -> None:
    out = render("[@austin] and [@amnesty; @austin].\n\nAgain [@austin, p. 9].")
    assert [(r.id, r.number, r.backrefs) for r in out.references] == [
        ("austin", 1, ("cite-austin-1", "cite-austin-2", "cite-austin-3")),
        ("amnesty", 2, ("cite-amnesty-1",)),
    ]
    assert out.problems == ()


def test_citations_in_footnotes_come_after_the_body() -> None:
    out = render("Text.[^1] Then [@austin].\n\n[^1]: Per [@amnesty].")
    assert [r.id for r in out.references] == ["austin", "amnesty"]


def test_unknown_id_is_an_error_with_the_file_line_and_a_hint() -> None:
    out = render("Intro.\n\nAs said [@amnesti].\n\nAnd [@nobody; @austin].", first_line=12)
    assert [(p.path, p.line, p.key, p.severity) for p in out.problems] == [
        ("content/briefings/x.md", 14, "body", "error"),
        ("content/briefings/x.md", 16, "body", "error"),
    ]
    assert "amnesti" in out.problems[0].message
    assert out.problems[0].hint == "did you mean 'amnesty'?"
    assert "known source ids: amnesty, austin" in out.problems[1].hint


def test_each_occurrence_of_an_unknown_id_gets_its_own_line() -> None:
    out = render("[@zed]\n\n[@zed.x] is another key.\n\n[@zed]", first_line=1)
    assert sorted(p.line for p in out.problems if "'zed'" in p.message) == [1, 5]


def test_citing_an_annotation_that_is_not_a_source_is_an_error() -> None:
    out = render("See [@pda-2024-11].")
    assert len(out.problems) == 1
    assert "is an aid, not a source" in out.problems[0].message
    assert out.problems[0].hint == "mark it as [text]{.aid ref=pda-2024-11}"
