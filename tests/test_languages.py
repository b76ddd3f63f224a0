"""Languages: the interface comes from Babel message catalogues through Jinja's i18n extension."""

from __future__ import annotations

import json

import lxml.html
import pytest
from conftest import BRIEFING, SITE_YAML, run_cli

from dossier.config import parse_config
from dossier.errors import Problems

UK_PO = r"""msgid ""
msgstr ""
"Language: uk\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Latest briefings"
msgstr "Останні брифінги"

msgid "%(num)d briefing"
msgid_plural "%(num)d briefings"
msgstr[0] "%(num)d брифінг"
msgstr[1] "%(num)d брифінги"
msgstr[2] "%(num)d брифінгів"
"""
UKRAINIAN = SITE_YAML.replace("language: en", "language: uk")
assert UKRAINIAN != SITE_YAML
# A site's own home page template that speaks through the catalogue.
HOME = """<!doctype html>
<html lang="{{ config.language }}"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><h1>{{ _("Latest briefings") }}</h1>
{% for n in (1, 2, 5, 11, 21, 22) %}<p class="count">{{ ngettext("%(num)d briefing", "%(num)d briefings", n) }}</p>{% endfor %}
</body></html>
"""


def home_of(project, tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--output", out, cwd=project)
    assert result.returncode == 0, result.stderr
    return lxml.html.fromstring((out / "index.html").read_bytes())


def test_a_site_adds_a_language_by_adding_a_catalogue_with_its_plural_forms(make_project, tmp_path):
    project = make_project(
        {
            "templates/index.html": HOME,
            "templates/locales/uk/LC_MESSAGES/messages.po": UK_PO,
        },
        site_yaml=UKRAINIAN,
    )
    doc = home_of(project, tmp_path)
    assert doc.findtext(".//h1") == "Останні брифінги"
    counts = [p.text for p in doc.find_class("count")]
    # Ukrainian has three plural forms: one (1, 21), few (2, 22), many (5, 11)
    assert counts == [
        "1 брифінг",
        "2 брифінги",
        "5 брифінгів",
        "11 брифінгів",
        "21 брифінг",
        "22 брифінги",
    ]


def test_a_language_without_a_catalogue_shows_the_messages_as_written(make_project, tmp_path):
    project = make_project({"templates/index.html": HOME})
    doc = home_of(project, tmp_path)
    assert doc.findtext(".//h1") == "Latest briefings"
    assert [p.text for p in doc.find_class("count")][:3] == [
        "1 briefing",
        "2 briefings",
        "5 briefings",
    ]


def test_a_broken_catalogue_is_named_with_its_line_and_the_build_stops(make_project, tmp_path):
    broken = UK_PO.replace('msgstr "Останні брифінги"', 'msgstr "Останні брифінги"\nnot a keyword')
    project = make_project(
        {"templates/index.html": HOME, "templates/locales/uk/LC_MESSAGES/messages.po": broken},
        site_yaml=UKRAINIAN,
    )
    result = run_cli("build", "--output", tmp_path / "out", cwd=project)
    assert result.returncode != 0
    line = broken.splitlines().index("not a keyword") + 1
    assert (
        f"\ntemplates/locales/uk/LC_MESSAGES/messages.po:{line}: catalogue:" in "\n" + result.stderr
    )


# --- several languages in one site -------------------------------------------------------

TWO_LANGUAGES = SITE_YAML.replace("language: en\n", "languages: [en, uk]\n")
TRANSLATION = (
    BRIEFING.replace('title: "A test briefing"', 'title: "Тестовий брифінг"')
    .replace('summary: "A summary."', 'summary: "Короткий виклад."\nlang: uk\ntranslation_of: a')
    .replace('label: "Announcement"', 'label: "Оголошення"')
    .replace("Body text [@report].", "Текст [@report].")
)


def parse(text: str):
    problems = Problems()
    return parse_config(text, problems), [str(p) for p in problems.errors]


def build(project, out):
    return run_cli("build", "--output", out, cwd=project)


def test_site_yaml_lists_its_languages_the_default_first() -> None:
    config, errors = parse(TWO_LANGUAGES)
    assert errors == []
    assert config.language == "en" and config.all_languages == ("en", "uk")
    assert config.language_folder("en") == "" and config.language_folder("uk") == "uk/"
    _, errors = parse(TWO_LANGUAGES + "language: uk\n")
    assert any("languages: the default language is the first listed" in e for e in errors)
    _, errors = parse(SITE_YAML.replace("language: en\n", "languages: [en, klingon, en]\n"))
    assert any("languages[1]:" in e for e in errors) and any("listed twice" in e for e in errors)


def test_a_translation_is_published_under_its_language_folder_and_counts_no_fact_twice(
    make_project, tmp_path
):
    alone = make_project({"content/briefings/a.md": BRIEFING}, site_yaml=TWO_LANGUAGES)
    assert build(alone, tmp_path / "alone").returncode == 0
    (alone / "content/briefings/a.uk.md").write_text(TRANSLATION)
    result = build(alone, tmp_path / "both")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "both/uk/briefings/a/index.html"
    assert page.is_file()
    assert "Тестовий брифінг" in page.read_text()
    assert (tmp_path / "both/briefings/a/index.html").is_file()
    before = json.loads((tmp_path / "alone/aid.json").read_text())
    after = json.loads((tmp_path / "both/aid.json").read_text())
    assert after == before  # the same facts, the same totals: the translation adds none


@pytest.mark.parametrize(
    ("change", "field", "where", "message"),
    [
        (("amount: 275000000", "amount: 275000001"), "aid[0].money", "- id: pkg", "differs from the original's"),
        (("date: 2024-11-20\n    label", "date: 2024-11-19\n    label"), "events[0].date", "- id: announcement", "differs"),
        (("translation_of: a", "translation_of: nobody"), "translation_of", None, "no briefing has the slug"),
        (("lang: uk", "lang: fr"), "lang", "lang: fr", "is not one of the site's languages"),
        (("id: pkg", "id: pkg-extra"), "aid[0]", "- id: pkg-extra", "is not a fact of the original"),
    ],
    ids=["amount", "event date", "unknown original", "unknown language", "new fact"],
)  # fmt: skip
def test_a_translation_that_changes_the_record_is_an_error_at_its_line(
    make_project, tmp_path, change, field, where, message
):
    bad = TRANSLATION.replace(*change)
    assert bad != TRANSLATION
    project = make_project(
        {"content/briefings/a.md": BRIEFING, "content/briefings/a.uk.md": bad},
        site_yaml=TWO_LANGUAGES,
    )
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if where in text) if where else 1
    assert f"content/briefings/a.uk.md:{line}: {field}: " in result.stderr, result.stderr
    assert message in result.stderr


def test_two_translations_into_one_language_are_an_error(make_project, tmp_path):
    project = make_project(
        {
            "content/briefings/a.md": BRIEFING,
            "content/briefings/a.uk.md": TRANSLATION,
            "content/briefings/b.uk.md": TRANSLATION.replace(
                "translation_of: a", "translation_of: a\nslug: b"
            ),
        },
        site_yaml=TWO_LANGUAGES,
    )
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    assert (
        "content/briefings/b.uk.md:1: lang: content/briefings/a.md already has a uk translation"
        in result.stderr
    )
