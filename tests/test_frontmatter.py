"""Front matter: found, decoded and composed with file line numbers."""

import pytest

from dossier.errors import Problems
from dossier.frontmatter import decode, parse, split


def run(data: bytes):
    problems = Problems()
    text = decode(data, "b.md", problems)
    parts = split(text, "b.md", problems) if text is not None else None
    root = parse(parts, "b.md", problems) if parts is not None else None
    return parts, root, [str(p) for p in problems]


def test_split_finds_yaml_and_body_with_line_numbers():
    parts, root, found = run(b"---\ntitle: x\ndate: 2024-01-01\n---\nBody\n")
    assert found == []
    assert parts.yaml_first_line == 2 and parts.body_first_line == 5
    assert parts.body == "Body\n"
    assert [k.value for k, _ in root.value] == ["title", "date"]


@pytest.mark.parametrize(
    "data",
    [b"\xef\xbb\xbf---\ntitle: x\n---\nB\n", b"---\r\ntitle: x\r\n---\r\nB\r\n"],
    ids=["bom", "crlf"],
)
def test_bom_and_crlf_are_accepted(data):
    parts, root, found = run(data)
    assert found == [] and parts.body == "B\n"


def test_file_with_only_front_matter_has_an_empty_body():
    parts, root, found = run(b"---\ntitle: x\n---")
    assert found == [] and parts.body == ""


def test_missing_opening_line_is_an_error():
    assert run(b"title: x\n")[2] == [
        "b.md:1: front matter: a briefing must start with a '---' line "
        "(put the YAML annotations between two '---' lines at the top)"
    ]


def test_unclosed_block_is_an_error():
    assert "never closed" in run(b"---\ntitle: x\nBody\n")[2][0]


def test_yaml_syntax_error_names_the_file_line_not_the_block_line():
    # the bracket opened on file line 3 (YAML line 2) is the mistake, and is named there
    found = run(b"---\ntitle: x\nsummary: [unclosed\ndate: 2024-01-01\n---\n")[2]
    assert len(found) == 1 and found[0].startswith("b.md:3: yaml:")
    assert "the '[' opened here is never closed" in found[0]


def test_tab_indentation_names_its_line():
    found = run(b"---\nsources:\n\t- id: x\n---\n")[2]
    assert found[0].startswith("b.md:3: yaml:") and "replace the tab" in found[0]


def test_not_utf8_is_an_error_with_its_line():
    found = run(b"---\ntitle: caf\xe9\n---\n")[2]
    assert found == ["b.md:2: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"]


def test_binary_file_is_refused():
    assert "NUL byte" in run(b"---\x00\x01\x02")[2][0]


@pytest.mark.parametrize("body", [b"", b"[]\n", b"just text\n"], ids=["empty", "list", "scalar"])
def test_front_matter_must_be_a_non_empty_mapping(body):
    found = run(b"---\n" + body + b"---\n")[2]
    assert len(found) == 1 and "front matter" in found[0]


def test_aliases_are_refused_before_they_can_expand():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    found = run((bomb + "---\n").encode())[2]
    assert found and "aliases" in found[0]


def test_python_tags_are_refused():
    found = run(b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n")[2]
    assert len(found) == 1 and "not allowed" in found[0] and found[0].startswith("b.md:")
