"""site.yaml: every key validated, all problems at once, hints that name the fix."""

import pytest

from dossier.config import load_config
from dossier.errors import DossierError


def load(tmp_path, text):
    (tmp_path / "site.yaml").write_text(text)
    return load_config(tmp_path)


def problems(tmp_path, text):
    with pytest.raises(DossierError) as exc:
        load(tmp_path, text)
    return [str(p) for p in exc.value.problems]


def test_minimal_config_gets_documented_defaults(tmp_path):
    c = load(tmp_path, "title: T\nbase_url: https://example.org/briefings\n")
    assert c.base_url == "https://example.org/briefings/"
    assert c.base_path == "/briefings/"
    assert (c.language, c.output_dir, c.timezone, c.reporting_currency) == (
        "en",
        "_site",
        "UTC",
        "USD",
    )
    assert c.url("timeline/") == "/briefings/timeline/"
    assert c.absolute_url("feed.xml") == "https://example.org/briefings/feed.xml"


def test_every_key_is_read(tmp_path):
    c = load(
        tmp_path,
        """\
title: T
description: D
base_url: https://example.org/
language: en-GB
output_dir: public
timezone: Europe/Kyiv
reporting_currency: EUR
publisher: Desk
date_format: medium
page_size: 5
exchange_rates: {USD: "0.92", GBP: 1.17}
markdown: {extensions: [footnotes, tables], toc_depth: "2-4"}
allow_raw_html: true
tag_vocabulary: {landmines: [mine, mines]}
""",
    )
    assert c.language == "en-GB" and c.timezone == "Europe/Kyiv" and c.page_size == 5
    assert [(r.start, str(r.rate)) for r in c.exchange_rates["USD"]] == [(None, "0.92")]
    assert [(r.start, str(r.rate)) for r in c.exchange_rates["GBP"]] == [(None, "1.17")]
    assert c.markdown_extensions == ("footnotes", "tables") and c.toc_depth == "2-4"
    assert c.allow_raw_html is True and c.tag_vocabulary["landmines"] == ("mine", "mines")


def test_unknown_key_hint_names_the_closest_valid_key(tmp_path):
    found = problems(tmp_path, "title: T\nbase_url: https://e.org/\nlanguge: en\n")
    assert found == ["site.yaml:3: languge: unknown key (did you mean 'language'?)"]


def test_all_problems_are_reported_at_once(tmp_path):
    found = problems(
        tmp_path,
        """\
base_url: ftp://example.org/
language: xx-notalang
timezone: Mars/Olympus
reporting_currency: usd
page_size: 0
output_dir: no
""",
    )
    text = "\n".join(found)
    assert "site.yaml:1: title: required field is missing" in text
    assert "site.yaml:1: base_url: 'ftp://example.org/' is not an absolute http(s) URL" in text
    assert "site.yaml:2: language:" in text
    assert "site.yaml:3: timezone: 'Mars/Olympus' is not an IANA time zone" in text
    assert "site.yaml:4: reporting_currency: 'usd' must be upper case (write USD)" in text
    assert "site.yaml:5: page_size:" in text
    assert "site.yaml:6: output_dir: 'no' was read as a boolean" in text
    assert len(found) == 7


@pytest.mark.parametrize(
    "base_url", ['"https://exa\\rmple.org/"', '"https://e.org/a\\u2028b/"', '"https://e.org/a b/"']
)
def test_a_base_url_with_a_hidden_break_or_space_is_refused(tmp_path, base_url):
    # It is written into every machine file: a CR in it would end an .ics line.
    found = problems(tmp_path, f"title: T\nbase_url: {base_url}\n")
    assert len(found) == 1
    assert found[0].startswith("site.yaml:2: base_url: 'https://e")
    assert found[0].endswith("is not an absolute http(s) URL (e.g. https://example.org/briefings/)")


def test_an_output_dir_with_a_nul_is_refused_at_its_line(tmp_path):
    found = problems(tmp_path, 'title: T\nbase_url: https://e.org/\noutput_dir: "a\\0b"\n')
    assert found == [
        "site.yaml:3: output_dir: 'a\\x00b' has a control character "
        "(write the folder's name without it, e.g. _site)"
    ]


def test_missing_and_malformed_files_are_errors(tmp_path):
    with pytest.raises(DossierError, match="site.yaml not found"):
        load_config(tmp_path)
    found = problems(tmp_path, "title: [unclosed\nbase_url: x\n")
    assert found[0].startswith("site.yaml:") and "yaml:" in found[0]


def test_missing_needed_rate_for_reporting_currency_must_be_one(tmp_path):
    found = problems(tmp_path, "title: T\nbase_url: https://e.org/\nexchange_rates: {USD: 2}\n")
    assert "exchange_rates.USD: the reporting currency's rate must be 1" in found[0]


def test_shipped_site_yaml_is_valid():
    from conftest import ROOT

    c = load_config(ROOT)
    assert c.base_path == "/dossier/"
