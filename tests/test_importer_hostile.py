"""Whatever the article, the importer writes a draft that builds: no character YAML
refuses, no URL the build refuses, no date, amount or paragraph outside the bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_importer_cli import check_draft, run, split_draft

ARTICLE = "Aid convoy\n\nThe ministry said on 20 November 2024 that $275 million was pledged.\n"


def imported(tmp_path: Path, name: str, data: bytes, *options: str) -> str:
    article = tmp_path / name
    article.write_bytes(data)
    assert run(tmp_path, "import", str(article), "--date", "2024-11-21", *options) == 0
    (draft,) = (tmp_path / "content/briefings").glob("*.md")
    return draft.read_text("utf-8")


@pytest.mark.parametrize(
    "data",
    [
        # C1 controls present in UTF-8 (before: YAML 'unacceptable character #x0080')
        "Aid\u0080 convoy\u009f\n\nThe ministry\u0085 said on 20 November 2024 that $275 "
        "million\u0090 was pledged.\n".encode(),
        # Not cp1252 (0x81, 0x8d are undefined there): the Latin-1 fallback makes them C1
        b"Aid\x81 convoy\x8d\n\nThe ministry said on 20 November 2024 that $275 million "
        b"was pledged \x9d.\n",
    ],
)
def test_c1_control_characters_never_reach_the_draft(tmp_path, data):
    text = imported(tmp_path, "a.txt", data)
    assert not [ch for ch in text if 0x80 <= ord(ch) <= 0x9F]
    meta = check_draft(text)
    assert meta["title"].startswith("Aid")


def test_c1_entities_in_html_never_reach_the_yaml(tmp_path):
    page = (
        "<html><head><title>T</title></head><body><article><h1>Aid&#x81; convoy&#x9F;</h1>"
        "<p>The ministry said on 20 November 2024 that $275 million was pledged.</p>"
        "</article></body></html>"
    )
    meta = check_draft(imported(tmp_path, "a.html", page.encode()))
    assert meta["title"] == "Aid convoy\u0178"  # HTML maps &#x9F; to Ÿ; &#x81; stays C1


@pytest.mark.parametrize(
    "og_url", ["javascript:alert(1)", "https://", "https://exa mple.org/", "ftp://e.org/x"]
)
def test_an_og_url_gets_the_check_url_gets(tmp_path, og_url, capsys):
    page = (
        f'<html><head><meta property="og:url" content="{og_url}">'
        '<meta property="og:site_name" content="Wire"></head><body><article>'
        "<h1>Aid convoy</h1><p>The ministry said on 20 November 2024 that $275 million was "
        "pledged.</p></article></body></html>"
    )
    meta = check_draft(imported(tmp_path, "a.html", page.encode()))  # before: refused build
    assert meta["sources"][0]["url"] == "" and meta["sources"][0]["review"] is True
    assert f"og:url {og_url!r} is not an http(s) URL; ignored" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["https://", "https://exa mple.org/", "http://e.org/\x01"])
def test_url_option_is_checked_as_the_build_checks_it(tmp_path, url):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    assert run(tmp_path, "import", str(article), "--url", url) == 2
    assert not (tmp_path / "content").exists()


def test_dates_and_amounts_outside_the_bounds_are_left_out(tmp_path):
    text = (
        "Aid convoy\n\nOn 9999-12-31 and on 0999-01-01 donors pledged "
        "$5,000,000,000,000,000,000 and $0.123456 and $275 million on 20 November 2024.\n"
    )
    meta = check_draft(imported(tmp_path, "a.txt", text.encode()))
    assert [e["date"] for e in meta["events"]] == [__import__("datetime").date(2024, 11, 20)]
    assert [a["amount"] for a in meta["aid"]] == [275000000]


def test_a_date_option_outside_the_years_is_a_usage_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    assert run(tmp_path, "import", str(article), "--date", "9999-12-31") == 2


def test_a_paragraph_too_long_for_the_build_is_split_at_sentences(tmp_path):
    sentence = "The convoy reached the district after the bridge repairs were finished. "
    text = "Aid convoy\n\n" + sentence * 600 + "\n"  # 43,000 characters in one paragraph
    draft = imported(tmp_path, "a.txt", text.encode())
    check_draft(draft)  # before: 'a paragraph of 43,… characters is longer than the 20,000'
    _, body = split_draft(draft)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 9 and all(len(p) <= 5_000 for p in paragraphs)
    assert all(p.rstrip().endswith(".") for p in paragraphs)
