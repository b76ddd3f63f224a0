"""Languages: the interface comes from Babel message catalogues through Jinja's i18n extension."""

from __future__ import annotations

import lxml.html
from conftest import SITE_YAML, run_cli

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
