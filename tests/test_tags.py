"""Tags in any script get their own page; two tags that would share a URL are an error
naming both; a tag with nothing to make a URL from is refused at its line."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from conftest import BRIEFING, SITE_YAML, run_cli
from lxml import etree
from lxml import html as lxml_html
from test_hostile_input import assert_refused, built  # noqa: F401 (a fixture)

from dossier.briefing import tag_slug


@pytest.mark.parametrize(
    "tag, slug",
    [
        ("Україна", "україна"),
        ("Росія", "росія"),
        ("ukraine", "ukraine"),
        ("Military aid", "military-aid"),
        ("  Military   AID ", "military-aid"),
        ("日本語", "日本語"),
        ("नमस्ते", "नमस्ते"),  # the vowel signs (marks) stay
        ("Straße", "strasse"),
        ("Node.js", "node-js"),
        ("C++", "c"),
        ("+++", ""),
        ("🇺🇦", ""),
    ],
)
def test_tag_slugs_keep_letters_of_every_script(tag, slug):
    assert tag_slug(tag) == slug


def test_a_long_tag_slug_is_cut_at_100_bytes_on_a_character_boundary():
    slug = tag_slug("я" * 80)
    assert slug == "я" * 50 and len(slug.encode()) == 100


def tagged(tags: str, name: str = "a", title: str = "A test briefing") -> str:
    return BRIEFING.replace("tags: [ukraine]", f"tags: {tags}").replace(
        'title: "A test briefing"', f'title: "{title}"'
    )


def test_cyrillic_tags_get_one_page_each_and_every_link_reaches_it(make_project):
    project = make_project(
        {"content/briefings/a.md": tagged('["Україна", "Росія"]')},
        SITE_YAML.replace("language: en", "language: uk"),
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    out = project / "_site"
    for slug, name in (("україна", "Україна"), ("росія", "Росія")):
        page = lxml_html.fromstring((out / f"tags/{slug}/index.html").read_bytes())
        assert name in page.text_content()
        assert (out / f"tags/{slug}/feed.xml").is_file()
        assert (out / f"tags/{slug}/timeline/index.html").is_file()
    assert not (out / "tags/tag").exists()
    briefing = lxml_html.fromstring((out / "briefings/a/index.html").read_bytes())
    hrefs = [a.get("href") for a in briefing.iter("a") if "/tags/" in a.get("href", "")]
    assert "/briefings/tags/%D1%83%D0%BA%D1%80%D0%B0%D1%97%D0%BD%D0%B0/" in hrefs
    for href in hrefs:  # a static server decodes the path back to the folder's name
        assert href.isascii()
        target = out / unquote(href.removeprefix("/briefings/")) / "index.html"
        assert target.is_file() or (out / unquote(href.removeprefix("/briefings/"))).is_file()
    sitemap = etree.fromstring((out / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(loc.isascii() for loc in locs)
    assert {unquote(urlsplit(loc).path) for loc in locs} >= {
        "/briefings/tags/україна/",
        "/briefings/tags/росія/",
    }


def test_two_spellings_of_one_tag_are_one_tag(make_project):
    project = make_project(
        {
            "content/briefings/a.md": tagged('["Military aid"]'),
            "content/briefings/b.md": tagged('["military-AID"]', title="Another"),
            "content/briefings/c.md": tagged('["Military_aid"]', title="Third"),
        }
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    page = (project / "_site/tags/military-aid/index.html").read_text()
    assert "A test briefing" in page and "Another" in page and "Third" in page


def test_two_tags_that_would_share_a_url_are_an_error_naming_both(built):  # noqa: F811
    project, out, src = built(
        {
            "content/briefings/good.md": tagged('["C++", "ukraine"]'),
            "content/briefings/other.md": tagged('["ukraine", "C#"]', title="Other"),
        }
    )
    assert_refused(
        project,
        out,
        src,
        "content/briefings/other.md:5: tags[1]: tag 'C#' and tag 'C++' "
        "(content/briefings/good.md:5) would share the page tags/c/ "
        "(write them the same way to make them one tag, or rename one)",
        "1 error found",
    )


def test_two_colliding_tags_in_one_list_name_their_lines(built):  # noqa: F811
    text = BRIEFING.replace("tags: [ukraine]", 'tags:\n  - "C++"\n  - "C#"').replace("slug", "slug")
    project, out, src = built({"content/briefings/good.md": text})
    assert_refused(
        project,
        out,
        src,
        "content/briefings/good.md:7: tags[1]: tag 'C#' and tag 'C++' "
        "(content/briefings/good.md:6) would share the page tags/c/",
    )


def test_colliding_tags_in_the_vocabulary_are_refused_in_site_yaml(tmp_path):
    from test_config import problems

    found = problems(
        tmp_path, "title: T\nbase_url: https://e.org/\ntag_vocabulary: [ukraine, C++, C#, '+']\n"
    )
    assert found == [
        "site.yaml:3: tag_vocabulary[2]: tag 'C#' and tag 'C++' would share the page tags/c/ "
        "(write them the same way to make them one tag, or rename one)",
        "site.yaml:3: tag_vocabulary[3]: '+' has no letter or digit to make its URL from "
        "(add a word to the tag, e.g. 'ukraine')",
    ]


@pytest.mark.parametrize("tags, key", [('["ukraine", "🇺🇦"]', "tags[1]"), ('"+++"', "tags")])
def test_a_tag_with_no_letter_or_digit_is_refused_at_its_line(built, tags, key):  # noqa: F811
    project, out, src = built({"content/briefings/good.md": tagged(tags)})
    name = "🇺🇦" if "🇺🇦" in tags else "+++"
    assert_refused(
        project,
        out,
        src,
        f"content/briefings/good.md:5: {key}: '{name}' has no letter or digit to make its URL "
        "from (add a word to the tag, e.g. 'ukraine')",
    )
