"""Each citation form, read by Dossier as Debian's Pandoc reads it (`pandoc -f markdown`:
the citations' ids, modes, prefixes and suffixes, in order). Pandoc's JSON is the same
tree as `-t native`, easier to read back."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from dossier.markdown import BodyRenderer, Target

IDS = ("a", "b", "report", "zz")
TARGETS = {i: Target("source", f"ref-{i}") for i in IDS if i != "zz"}


def pandoc_citations(text: str) -> list[tuple[str, str, str, str]]:
    if shutil.which("pandoc") is None:
        pytest.fail("pandoc is missing: tests/run.sh installs Debian's pandoc")
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"], input=text, capture_output=True,
        text=True, check=True, timeout=60,
    )  # fmt: skip
    found: list[tuple[str, str, str, str]] = []

    def words(inlines: list) -> str:
        return "".join(
            i["c"] if i["t"] == "Str" else " " if i["t"] in ("Space", "SoftBreak") else
            words(i["c"]) if i["t"] in ("Emph", "Strong") else ""
            for i in inlines
        )  # fmt: skip

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                for c in node["c"][0]:
                    found.append(
                        (
                            c["citationMode"]["t"],
                            c["citationId"],
                            norm(words(c["citationPrefix"])),
                            norm(words(c["citationSuffix"])),
                        )
                    )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out.stdout)["blocks"])
    return found


def norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("*", "").split())


def dossier_citations(text: str) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    out = BodyRenderer().render(
        text, path="content/briefings/x.md", first_line=1, targets=TARGETS,
        authors={"a": "Agency A", "b": "Bureau B", "report": "Wire"},
    )  # fmt: skip
    cites = [(c.mode, c.key, norm(c.prefix), norm(c.suffix)) for c in out.citations]
    unknown = [c for c in IDS if f"'{c}'" in " ".join(p.message for p in out.problems)]
    return cites, unknown


FORMS = {
    "normal": "As said [@a].",
    "locator": "As said [@a, p. 2].",
    "prefix, locator and several sources": "[see @a, pp. 3-4; also @b]",
    "several sources": "[@a; @b] and [@a;@b]",
    "suppress author": "The agency [-@a] said so.",
    "suppress author with a prefix and locator": "[see -@a, p. 3]",
    "in-text": "@a says so.",
    "in-text with a locator": "@a [p. 33] says so.",
    "in-text at the end of a sentence": "As reported by @report.",
    "in-text in parentheses and quotes": 'See (@a) and "@b".',
    "markup in prefix and suffix": "[*see* @a, **p. 3**]",
    "a space before the key": "[ @a]",
    "a locator without a comma": "[@a p. 3]",
    "an e-mail address is not a citation": "Write to press@example.org.",
    "an escaped at sign is not a citation": r"Write \@a, not @b.",
    "a citation in code is not one": "Type `[@a]` or `@b`.",
    "an autolink keeps its at sign": "<https://example.org/@a>",
    "a key with internal punctuation": "[@report] and @a.b later",
}


@pytest.mark.parametrize("form", FORMS)
def test_each_citation_form_reads_as_pandoc_reads_it(form: str) -> None:
    text = FORMS[form]
    cites, _ = dossier_citations(text)
    # a key Dossier has no source for ('a.b') is still read, as an error
    expected = pandoc_citations(text)
    assert [c for c in cites] == [c for c in expected if c[1] in TARGETS]
    assert {c[1] for c in expected} - set(TARGETS) <= {"a.b"}


@pytest.mark.parametrize("text", ["[see @zz]", "[-@zz]", "@zz says", "[@a; @zz]", "@a [p. 3; @zz]"])
def test_an_unknown_id_is_an_error_in_every_form(text: str) -> None:
    assert any(c[1] == "zz" for c in pandoc_citations(text))  # Pandoc reads a citation
    out = BodyRenderer().render(text, path="x.md", first_line=7, targets=TARGETS)
    errors = [p for p in out.problems if p.severity == "error"]
    assert [(p.line, p.message) for p in errors] == [(7, "unknown source id 'zz'")]


@pytest.mark.parametrize("text", ["Text [@] here.", "And [see @] here.", "Or [@a;] here."])
def test_a_look_alike_that_does_not_parse_is_a_warning_at_its_line(text: str) -> None:
    bracket = text[text.index("[") : text.index("]") + 1]
    cites = pandoc_citations(text)
    assert all(c[0] == "AuthorInText" for c in cites)  # Pandoc: no bracketed citation
    out = BodyRenderer().render("Intro.\n\n" + text, path="x.md", first_line=3, targets=TARGETS)
    warnings = [p for p in out.problems if p.severity == "warning"]
    assert [(p.line, p.key) for p in warnings] == [(5, "body")]
    assert warnings[0].message == f"{bracket!r} looks like a citation but is not one"


def test_in_text_citations_name_the_source_and_link_its_number() -> None:
    out = BodyRenderer().render(
        "@a says, as @a [p. 3] said.", path="x.md", first_line=1, targets=TARGETS,
        authors={"a": "Agency A"},
    )  # fmt: skip
    assert out.html == (
        '<p><span class="citation-intext">Agency A <a class="citation" href="#ref-a" '
        'id="cite-a-1" role="doc-biblioref">[1]</a></span> says, as '
        '<span class="citation-intext">Agency A <a class="citation" href="#ref-a" '
        'id="cite-a-2" role="doc-biblioref">[1, p. 3]</a></span> said.</p>'
    )


def test_citations_side_by_side_are_each_a_citation() -> None:
    # The one place Dossier does not follow Pandoc (docs/decisions.md): Pandoc reads the
    # first of "[@a][@b]" as a failed reference link around an in-text citation.
    assert pandoc_citations("[@a][@b]")[0][0] == "AuthorInText"
    cites, _ = dossier_citations("[@a][@b] and [@a][] and [@b][x]\n\n[x]: https://example.org/")
    assert cites == [
        ("NormalCitation", "a", "", ""),
        ("NormalCitation", "b", "", ""),
        ("AuthorInText", "a", "", ""),
        ("AuthorInText", "b", "", ""),
    ]
    assert cites[2:] == pandoc_citations("[@a][] and [@b][x]\n\n[x]: https://example.org/")
