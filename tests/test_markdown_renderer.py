"""BodyRenderer: standard extensions from site.yaml, one Markdown instance, no leaks."""

from __future__ import annotations

import pytest

from dossier.markdown import BodyRenderer, MarkdownOptions, Target

TARGETS = {
    "amnesty": Target("source", "ref-amnesty"),
    "austin": Target("source", "ref-austin"),
    "pda": Target("aid", "aid-pda"),
}


def render(
    renderer: BodyRenderer, text: str, targets=TARGETS, path: str = "content/briefings/a.md"
):
    return renderer.render(text, path=path, first_line=1, targets=targets)


def test_standard_extensions_are_on_by_default() -> None:
    out = render(
        BodyRenderer(),
        '## Funding\n\nA "note".[^n]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'
        "### Detail {: #detail .wide }\n\n[^n]: The note.",
    )
    assert '<h2 id="funding">Funding</h2>' in out.html
    assert "“note”" in out.html  # smart typography
    assert 'id="fnref:n"' in out.html and 'class="footnote"' in out.html  # footnotes
    assert "<table>" in out.html  # tables
    assert '<h3 class="wide" id="detail">Detail</h3>' in out.html  # attr_list
    assert '<a href="#funding">Funding</a>' in out.toc_html  # toc
    assert '<a href="#detail">Detail</a>' in out.toc_html


def test_extensions_and_toc_depth_are_configurable() -> None:
    renderer = BodyRenderer(
        MarkdownOptions(
            extensions=("toc", "fenced_code"),
            toc_depth="2",
            extension_configs={"toc": {"permalink": True}},
        )
    )
    out = render(renderer, '## A\n\n### B\n\n```\n[@amnesty]\n```\n\n"q" | x |')
    assert "&para;" in out.html  # toc permalink from extension_configs
    assert "#a" in out.toc_html and "#b" not in out.toc_html  # toc_depth 2 only
    assert "<pre><code>[@amnesty]\n</code></pre>" in out.html  # fenced code, untouched
    assert '"q"' in out.html and "<table>" not in out.html  # no smarty, no tables


def test_an_unknown_extension_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown Markdown extension.*meta.*choose from"):
        MarkdownOptions(extensions=("tables", "meta"))


def test_one_renderer_serves_many_documents_without_leaking_state() -> None:
    renderer = BodyRenderer()
    first = render(renderer, "[@austin] [@amnesty] [x]{.aid ref=pda}[^1] [@nobody]\n\n[^1]: n")
    second = render(
        renderer, "Only [@amnesty] and [y]{.aid ref=pda}.", path="content/briefings/b.md"
    )
    assert [(r.id, r.number, r.backrefs) for r in second.references] == [
        ("amnesty", 1, ("cite-amnesty-1",))
    ]
    assert 'id="card-1"' in second.html and "card-2" not in second.html
    assert "footnote" not in second.html
    assert second.problems == ()
    assert len(first.problems) == 1 and first.problems[0].path == "content/briefings/a.md"
    third = render(renderer, "[@austin]", targets={})  # targets belong to one document only
    assert len(third.problems) == 1 and third.references == ()


def test_rendering_the_same_text_twice_gives_the_same_result() -> None:
    renderer = BodyRenderer()
    text = "## H\n\n[@austin; @amnesty, p. 3] [a]{.aid ref=pda} [@x]"
    assert render(renderer, text) == render(renderer, text)


def test_a_raw_html_renderer_and_a_safe_one_can_coexist() -> None:
    unsafe = BodyRenderer(MarkdownOptions(allow_raw_html=True))
    safe = BodyRenderer()
    assert render(unsafe, "<b>x</b>").html == "<p><b>x</b></p>"
    assert render(safe, "<b>x</b>").html == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_a_heading_s_toc_entry_and_id_leave_out_its_citations_and_cards() -> None:
    out = render(
        BodyRenderer(),
        "## Funding of [$5]{.aid ref=pda} [@amnesty]\n\nText [@austin].\n\n"
        "## Funding of [$5]{.aid ref=pda}\n\n## Plain heading\n\nMore.",
    )
    assert '<a href="#funding-of-5">Funding of $5</a>' in out.toc_html
    assert '<a href="#funding-of-5_1">Funding of $5</a>' in out.toc_html  # repeated: numbered
    assert "card" not in out.toc_html and "[1]" not in out.toc_html
    assert '<h2 id="funding-of-5">Funding of <span class="annotated">' in out.html
    assert "data-toc-label" not in out.html  # toc consumed it
    assert '<a href="#plain-heading">Plain heading</a>' in out.toc_html  # unchanged
    assert 'data-card="aid:pda"' in out.html and "[1]" in out.html  # the heading keeps both
