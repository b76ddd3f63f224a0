"""Smart typography: curly quotes, dashes and ellipses, never inside code."""

import pytest

from dossier.markdown import BodyRenderer, MarkdownOptions

RENDERER = BodyRenderer(MarkdownOptions())


def html(text: str) -> str:
    return RENDERER.render(text, path="a.md", first_line=1, targets={}).html


@pytest.mark.parametrize(
    "source, expected",
    [
        ('He said "reckless" today.', "<p>He said “reckless” today.</p>"),
        ("It's Norway's 'very problematic' view.", "<p>It’s Norway’s ‘very problematic’ view.</p>"),
        ("In the '90s -- or so --- it grew...", "<p>In the ’90s – or so — it grew…</p>"),
        ('"*Emphasis*" inside', "<p>“<em>Emphasis</em>” inside</p>"),
        ('("quoted")', "<p>(“quoted”)</p>"),
    ],
)
def test_quotes_dashes_and_ellipses(source, expected):
    assert html(source) == expected


def test_code_is_left_alone():
    out = html('Use `"raw" -- text` here\n\n    "block" ...\n')
    assert '<code>"raw" -- text</code>' in out and '"block" ...' in out


def test_attribute_lists_and_spans_still_parse():
    out = html('A "para"\n{: title="t" }')
    assert out == '<p title="t">A “para”</p>'
