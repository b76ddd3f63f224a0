"""HTML safety: raw HTML escaped unless allowed; dangerous URL schemes refused everywhere."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.test_tools import TestCase

from dossier.markdown import BodyRenderer, MarkdownOptions, Target
from dossier.markdown.extension import BriefingExtension
from dossier.markdown.safety import unsafe_scheme

HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "<java\nscript:alert(1)>",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#9;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "&amp;#106;avascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
]


def render(text: str, *, allow_raw_html: bool = False, first_line: int = 1):
    renderer = BodyRenderer(MarkdownOptions(allow_raw_html=allow_raw_html))
    return renderer.render(text, path="content/briefings/h.md", first_line=first_line, targets={})


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_hostile_link_is_neutralised_and_reported(url: str) -> None:
    out = render(f"Intro.\n\nClick [here]({url}) now.", first_line=7)
    assert out.html == "<p>Intro.</p>\n<p>Click <a>here</a> now.</p>"
    [p] = out.problems
    assert (p.line, p.key, p.severity) == (9, "body", "error")
    assert "URLs are not allowed in href" in p.message


@pytest.mark.parametrize("url", HOSTILE_LINKS[:4] + HOSTILE_LINKS[-3:])
def test_a_hostile_image_source_is_neutralised_and_reported(url: str) -> None:
    out = render(f"![chart]({url})")
    assert out.html == '<p><img alt="chart"></p>'
    assert len(out.problems) == 1


def test_a_hostile_reference_definition_is_reported_on_its_line() -> None:
    out = render("See [the report][r].\n\n[r]: javascript:alert(1)", first_line=4)
    assert out.html == "<p>See <a>the report</a>.</p>"
    assert [p.line for p in out.problems] == [6]


def test_attribute_lists_cannot_add_a_dangerous_href_or_src() -> None:
    out = render('[x](https://example.org/){: href="javascript:alert(1)" }')
    assert out.html == "<p><a>x</a></p>"
    out = render('![i](a.png){: src="data:image/svg+xml,x" srcset="ok.png 1x, javascript:x 2x" }')
    assert out.html == '<p><img alt="i"></p>'
    assert len(out.problems) == 2


@pytest.mark.parametrize(
    "source",
    [
        'Para\n{: onclick="alert(1)" }',
        "## Heading {: onmouseover=alert(1) }",
        '*x*{: OnClick="alert(1)" }',
    ],
)
def test_attribute_lists_cannot_add_event_handlers(source: str) -> None:
    out = render(source)
    assert "alert" not in out.html
    assert re.search(r"\son\w+=", out.html, re.IGNORECASE) is None
    [p] = out.problems
    assert "event handler attribute" in p.message


def test_attribute_lists_cannot_add_a_scripted_style_but_may_add_a_plain_one() -> None:
    bad = render('Para\n{: style="background:url(javascript:alert(1))" }')
    assert bad.html == "<p>Para</p>" and len(bad.problems) == 1
    good = render('Para\n{: style="color: red" title="t" }')
    assert good.html == '<p style="color: red" title="t">Para</p>' and good.problems == ()


def test_safe_urls_pass_untouched() -> None:
    out = render(
        "[a](https://example.org/x) [b](http://example.org) [c](mailto:a@example.org) "
        "[d](../other/) [e](#frag) [f](page.html?next=javascript:1) <https://example.org/auto>"
    )
    assert out.problems == ()
    for href in [
        "https://example.org/x",
        "http://example.org",
        "mailto:a@example.org",
        "../other/",
        "#frag",
        "page.html?next=javascript:1",
        "https://example.org/auto",
    ]:
        assert f'href="{href}"' in out.html


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("ftp://x", "ftp"), ("file:///etc/passwd", "file"), ("JAVA\u0000SCRIPT:x", "javascript")],
)
def test_only_http_https_and_mailto_schemes_are_allowed(url: str, scheme: str) -> None:
    assert unsafe_scheme(url) == scheme


class TestRawHtml(TestCase):
    def test_block_html_is_escaped_by_default(self) -> None:
        self.assertMarkdownRenders(
            '<script>alert(1)</script>\n\n<div onclick="x">hi</div>',
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
            '<p>&lt;div onclick="x"&gt;hi&lt;/div&gt;</p>',
            extensions=[BriefingExtension()],
        )

    def test_inline_html_is_escaped_by_default(self) -> None:
        self.assertMarkdownRenders(
            'A <img src=x onerror="alert(1)"> and <b>bold</b> &amp; &copy;.',
            '<p>A &lt;img src=x onerror="alert(1)"&gt; and '
            "&lt;b&gt;bold&lt;/b&gt; &amp; &copy;.</p>",
            extensions=[BriefingExtension()],
        )

    def test_smarty_does_not_bring_inline_html_back(self) -> None:
        self.assertMarkdownRenders(
            "A <b>bold</b> <<word>>.",
            "<p>A &lt;b&gt;bold&lt;/b&gt; &laquo;word&raquo;.</p>",
            extensions=["smarty", BriefingExtension()],
            extension_configs={"smarty": {"smart_angled_quotes": True}},
        )

    def test_raw_html_passes_when_the_site_allows_it(self) -> None:
        self.assertMarkdownRenders(
            '<div class="box">hi</div>\n\nA <b>bold</b> word.',
            '<div class="box">hi</div>\n\n<p>A <b>bold</b> word.</p>',
            extensions=[BriefingExtension(allow_raw_html=True)],
        )


def test_dangerous_urls_in_allowed_raw_html_are_still_reported() -> None:
    out = render(
        'Intro.\n\n<div>\n<a href="JaVa&#x53;cript:alert(1)">x</a>\n</div>\n\n'
        'Inline <img src="vbscript:x"> too.',
        allow_raw_html=True,
        first_line=3,
    )
    assert sorted((p.line, p.message) for p in out.problems) == [
        (6, "javascript: URLs are not allowed in raw HTML href"),
        (9, "vbscript: URLs are not allowed in raw HTML src"),
    ]


def test_escaped_raw_html_is_not_reported() -> None:
    assert render('<a href="javascript:alert(1)">x</a>').problems == ()


FRAGMENTS = [
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "@",
    "@amnesty",
    "<",
    ">",
    "&",
    "#",
    ";",
    ":",
    "*",
    "`",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "> ",
    "|",
    "^",
    "!",
    '"',
    "=",
    " ",
    "javascript:",
    "JaVa\tScRiPt:",
    "&#106;",
    "data:",
    "on",
    "onclick=",
    "script",
    "href",
    ".aid",
    "ref=",
    "x",
    "1",
]


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_body_renders_without_a_crash_and_without_script(text: str) -> None:
    targets = {"amnesty": Target("source", "ref-amnesty"), "x": Target("aid", "aid-x")}
    out = _SHARED.render(text, path="p.md", first_line=1, targets=targets)
    lowered = out.html.lower()
    assert "<script" not in lowered
    assert re.search(r"<[^>]*\son\w*=", lowered) is None
    for url in re.findall(r'(?:href|src)="([^"]*)"', out.html):
        assert unsafe_scheme(url) is None, url
    assert all(p.key == "body" for p in out.problems)


_SHARED = BodyRenderer()
