"""Annotation spans: [text]{.aid ref=id} links to its annotation and carries its card.

The card is left empty, marked with the fact it shows (``data-card="aid:id"``): what it
says comes from the whole site and is written in when the page renders
(tests/test_views_cards.py). An event or aid id the briefing does not define is a
mention of a fact defined elsewhere, which the site checks (tests/test_facts.py)."""

from __future__ import annotations

from markdown.test_tools import TestCase

from dossier.markdown import BodyRenderer, Mention, Target
from dossier.markdown.extension import BriefingExtension

TARGETS = {
    "pda-2024-11": Target("aid", "aid-pda-2024-11"),
    "announcement": Target("event", "event-announcement"),
    "amnesty-q": Target("quote", "quote-amnesty-q", card=False),
    "amnesty": Target("source", "ref-amnesty"),
}


def aid_span(text: str, card: int = 1, ref: str = "pda-2024-11") -> str:
    return (
        f'<span class="annotated"><a aria-describedby="card-{card}" '
        'class="annotation annotation-aid"'
        f' href="#aid-{ref}">{text}</a><span class="card" data-card="aid:{ref}" '
        f'id="card-{card}" role="tooltip"></span></span>'
    )


class TestAnnotationSpans(TestCase):
    def setUp(self) -> None:
        self.default_kwargs = {"extensions": [BriefingExtension(targets=TARGETS)]}

    def test_aid_span_links_to_its_annotation_with_its_card(self) -> None:
        self.assertMarkdownRenders(
            "A [$275 million]{.aid ref=pda-2024-11} grant.",
            f"<p>A {aid_span('$275 million')} grant.</p>",
        )

    def test_event_span(self) -> None:
        self.assertMarkdownRenders(
            "On [20 November]{.event ref=announcement}.",
            '<p>On <span class="annotated"><a aria-describedby="card-1" class="annotation '
            'annotation-event" href="#event-announcement">20 November</a><span class="card" '
            'data-card="event:announcement" id="card-1" role="tooltip"></span></span>.</p>',
        )

    def test_quote_span_without_a_card_is_just_the_link(self) -> None:
        self.assertMarkdownRenders(
            "It was [“reckless”]{.quote ref=amnesty-q}.",
            '<p>It was <span class="annotated"><a class="annotation annotation-quote" '
            'href="#quote-amnesty-q">“reckless”</a></span>.</p>',
        )

    def test_benchmark_form_with_a_currency_code(self) -> None:
        self.assertMarkdownRenders(
            "The [USD 12,000,000]{.aid ref=pda-2024-11} tranche.",
            f"<p>The {aid_span('USD 12,000,000')} tranche.</p>",
        )

    def test_quoted_ref_extra_classes_and_any_token_order(self) -> None:
        self.assertMarkdownRenders(
            '[x]{ref="pda-2024-11" .aid .big}',
            aid_span("x")
            .replace("annotation annotation-aid", "annotation annotation-aid big")
            .join(["<p>", "</p>"]),
        )

    def test_emphasis_inside_a_span_still_works(self) -> None:
        self.assertMarkdownRenders(
            "[$275 *million*]{.aid ref=pda-2024-11}",
            f"<p>{aid_span('$275 <em>million</em>')}</p>",
        )

    def test_a_citation_inside_a_span_works_and_is_moved_out_of_the_link(self) -> None:
        self.assertMarkdownRenders(
            "[“reckless” [@amnesty]]{.quote ref=amnesty-q}",
            '<p><span class="annotated"><a class="annotation annotation-quote" '
            'href="#quote-amnesty-q">“reckless” </a><a class="citation" href="#ref-amnesty" '
            'id="cite-amnesty-1" role="doc-biblioref">[1]</a></span></p>',
        )

    def test_a_citation_mid_span_splits_the_link_and_keeps_the_text_order(self) -> None:
        self.assertMarkdownRenders(
            "[a [@amnesty] b]{.quote ref=amnesty-q}",
            '<p><span class="annotated"><a class="annotation annotation-quote" '
            'href="#quote-amnesty-q">a </a><a class="citation" href="#ref-amnesty" '
            'id="cite-amnesty-1" role="doc-biblioref">[1]</a><a class="annotation '
            'annotation-quote" href="#quote-amnesty-q"> b</a></span></p>',
        )

    def test_cards_get_distinct_ids(self) -> None:
        self.assertMarkdownRenders(
            "[a]{.aid ref=pda-2024-11} [b]{.aid ref=pda-2024-11}",
            f"<p>{aid_span('a', 1)} {aid_span('b', 2)}</p>",
        )

    def test_other_bracketed_attributes_and_links_are_left_alone(self) -> None:
        self.assertMarkdownRenders(
            "[x]{.smallcaps} and [y](https://example.org/) and [z] {.aid ref=pda-2024-11}",
            '<p>[x]{.smallcaps} and <a href="https://example.org/">y</a> and [z] '
            "{.aid ref=pda-2024-11}</p>",
        )

    def test_spans_in_code_are_not_touched(self) -> None:
        self.assertMarkdownRenders(
            "`[a]{.aid ref=pda-2024-11}`", "<p><code>[a]{.aid ref=pda-2024-11}</code></p>"
        )

    def test_an_aid_id_defined_elsewhere_links_to_it_on_this_page(self) -> None:
        """The referring page shows the fact in its record, under the same anchor."""
        self.assertMarkdownRenders(
            "[*a*]{.aid ref=nope}", f"<p>{aid_span('<em>a</em>', ref='nope')}</p>"
        )

    def test_an_unknown_quote_keeps_the_text_without_a_link(self) -> None:
        self.assertMarkdownRenders(
            "[*a*]{.quote ref=nope}",
            '<p><span class="annotated"><span class="annotation annotation-quote '
            'annotation-unknown"><em>a</em></span></span></p>',
        )


def render(text: str, first_line: int = 1):
    return BodyRenderer().render(
        text, path="content/briefings/b.md", first_line=first_line, targets=TARGETS
    )


def test_an_aid_or_event_id_not_defined_here_is_a_mention_with_its_line() -> None:
    out = render("Intro.\n\nA [grant]{.aid ref=pda-2024-12}.\n[x]{.event ref=e}", first_line=20)
    assert out.problems == ()
    assert out.mentions == (Mention("aid", "pda-2024-12", 22), Mention("event", "e", 23))


def test_an_unknown_quote_or_source_is_an_error_with_file_line_and_closest_id() -> None:
    out = render("Intro.\n\nIt was [rash]{.quote ref=amnesty-r}.", first_line=20)
    [p] = out.problems
    assert (p.path, p.line, p.key, p.severity) == ("content/briefings/b.md", 22, "body", "error")
    assert p.message == "unknown quote id 'amnesty-r'"
    assert p.hint == "did you mean 'amnesty-q'?"


def test_a_span_without_kind_or_with_stray_attributes_is_an_error() -> None:
    out = render(
        "[a]{ref=pda-2024-11}\n\n[b]{.aid ref=pda-2024-11 onclick=x}\n\n[]{.aid ref=pda-2024-11}"
    )
    assert [(p.line, p.message) for p in out.problems] == [
        (1, "annotation span needs exactly one kind and a ref"),
        (3, "annotation span: attribute 'onclick' is not allowed"),
        (5, "annotation span has no text"),
    ]
    assert "onclick" not in out.html


def test_a_span_broken_across_lines_is_still_found() -> None:
    out = render("A [long\nphrase]{.quote\nref=pda-2024-11}.", first_line=3)
    assert [p.line for p in out.problems] == [4]
    out = render("A [long\nphrase]{.event\nref=pda-2024-11}.", first_line=3)
    assert [m.line for m in out.mentions] == [4]
