"""Mistakes that used to pass silently, or with PyYAML's own words: each is now reported
in plain words, at its line (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BRIEFING, run_cli

A = "content/briefings/a.md"


def check(make_project, text: str, *args: str):
    project = make_project({A: text})
    return run_cli("check", *args, cwd=project)


def test_comma_separated_tags_are_an_error_with_a_hint(make_project):
    done = check(make_project, BRIEFING.replace("tags: [ukraine]", "tags: ukraine, military-aid"))
    assert done.returncode == 1
    assert (
        f"{A}:5: tags: 'ukraine, military-aid' is one text with commas in it, so it would be "
        "one tag (write a list: tags: [ukraine, military-aid])"
    ) in done.stderr


def test_a_future_dated_briefing_is_named_in_the_build_output(make_project):
    later = (dt.date.today() + dt.timedelta(days=3000)).isoformat()
    project = make_project(
        {A: BRIEFING, "content/briefings/b.md": BRIEFING.replace("2024-11-21", later)}
    )
    done = run_cli("build", cwd=project)
    assert done.returncode == 0, done.stderr
    line = (
        f"content/briefings/b.md: dated {later}, after today: left out of this build until "
        "then (`build --drafts` and `serve` show it)"
    )
    assert line in done.stderr
    again = run_cli("build", cwd=project)  # up to date: said again
    assert "up to date" in again.stderr and line in again.stderr


def test_placeholder_text_from_new_fails_check_unless_draft(tmp_path):
    project = tmp_path / "p"
    (project / "content/briefings").mkdir(parents=True)
    (project / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    assert run_cli("new", "A title", "--date", "2024-11-22", cwd=project).returncode == 0
    assert run_cli("check", "--strict", cwd=project).returncode == 0  # a draft may hold TODOs
    path = project / "content/briefings/a-title.md"
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    done = run_cli("check", cwd=project)
    assert done.returncode == 1
    assert (
        "content/briefings/a-title.md:7: summary: placeholder text left in: "
        "'TODO: one or two sentences on what happened and why it matte' "
        "(replace the TODO, or keep 'draft: true' until it is done)"
    ) in done.stderr
    assert "content/briefings/a-title.md:13: sources[0].title: placeholder" in done.stderr
    assert (
        "a-title.md:43: body: placeholder text left in: 'TODO: write the briefing." in done.stderr
    )


YAML_MISTAKES = {
    "an unquoted colon": (
        ('title: "A test briefing"', "title: US: a new package"),
        f"{A}:2: yaml: the value of 'title' has an unquoted ': ' in it "
        '(put the whole value in quotes: title: "US: a new package")',
    ),
    "a key indented too far": (
        ("date: 2024-11-21\n", "  date: 2024-11-21\n"),
        f"{A}:3: yaml: this line is indented more than the key above it "
        "(indent 'date' by 0 spaces, like the line above)",
    ),
    "a list entry's key out of line": (
        ('    title: "A report"', '   title: "A report"'),
        f"{A}:8: yaml: this line is indented differently from the list entry it belongs to "
        "(indent it by 4 spaces, like the first key after '- ' above)",
    ),
    "a key indented less than its entry": (
        ("    kind: media", " kind: media"),
        f"{A}:11: yaml: this line is indented by 1 space, which matches no key above it "
        "(indent it like the keys it belongs with: the line above has 4 spaces)",
    ),
    "an unclosed quote": (
        ('summary: "A summary."', 'summary: "A summary.'),
        f'{A}:4: yaml: the " opened on this line is not closed on it '
        '(end the value with " on the same line)',
    ),
    "an unclosed bracket": (
        ("tags: [ukraine]", "tags: [ukraine"),
        f"{A}:5: yaml: the '[' opened here is never closed "
        "(close it with ']' on the same line, or write the entries one per line as '- item')",
    ),
    "a tab": (
        ("    kind: media", "\tkind: media"),
        f"{A}:11: yaml: a tab character indents this line "
        "(YAML indents with spaces: replace the tab with spaces)",
    ),
}


@pytest.mark.parametrize("case", YAML_MISTAKES)
def test_common_yaml_mistakes_are_explained_in_plain_words(make_project, case):
    (old, new), expected = YAML_MISTAKES[case]
    assert old in BRIEFING
    done = check(make_project, BRIEFING.replace(old, new, 1))
    assert done.returncode == 1
    assert expected in done.stderr.splitlines(), done.stderr


def test_a_front_matter_error_does_not_hide_the_body_errors(make_project):
    text = BRIEFING.replace('title: "A test briefing"', "title: US: a package").replace(
        "Body text [@report].", "Body text [@report] [see @nobody].\n\n[x](javascript:alert(1))"
    )
    done = check(make_project, text)
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{A}:2: yaml: the value of 'title' has an unquoted")
    assert any(line.startswith(f"{A}:30: body: javascript: URLs are not allowed") for line in lines)
    assert lines[-1] == "2 errors found"  # ids are not checked against unread YAML


def test_a_field_error_does_not_hide_the_body_errors_and_its_ids_still_resolve(make_project):
    text = BRIEFING.replace("currency: USD", "currency: usd").replace(
        "Body text [@report].", "Body [$275m]{.aid ref=pkg} [@report] [@nobody]."
    )
    done = check(make_project, text)
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{A}:20: aid[0].currency: 'usd' must be upper case")
    assert lines[1].startswith(f"{A}:28: body: unknown source id 'nobody'")
    assert lines[-1] == "2 errors found"  # pkg still resolves: one mistake, one error


def test_a_dollar_sign_for_a_currency_says_write_usd(make_project):
    done = check(make_project, BRIEFING.replace("currency: USD", 'currency: "$"'))
    assert (
        f"{A}:20: aid[0].currency: '$' is a currency symbol, not a code (write USD; CAD, AUD "
        "and others use $ too, so write the ISO 4217 code you mean)"
    ) in done.stderr


def test_a_decimal_comma_gets_a_hint(make_project):
    done = check(make_project, BRIEFING.replace("amount: 275000000", 'amount: "1,2 billion"'))
    assert (
        f"{A}:19: aid[0].amount: '1,2 billion' has a decimal comma (write 1.2 billion: amounts "
        "use a decimal point, and a comma only between thousands (1,200 million))"
    ) in done.stderr


def test_a_bad_kind_lists_its_values_once(make_project):
    done = check(make_project, BRIEFING.replace("kind: media", "kind: blog"))
    line = next(x for x in done.stderr.splitlines() if "sources[0].kind" in x)
    assert line == (
        f"{A}:11: sources[0].kind: 'blog' is not one of official, media, ngo, research, other"
    )


def test_coverage_warnings_can_be_silenced_with_nofact(make_project):
    body = (
        "Body text [@report].\n\nOf the facility, €33 billion are loans.\n\n"
        "| Part | Amount |\n|---|---|\n| Loans | €33 billion |\n"
    )
    done = check(make_project, BRIEFING.replace("Body text [@report].\n", body), "--strict")
    assert done.returncode == 1
    assert f'{A}:30: warning: body: "€33 billion" is not annotated' in done.stderr
    assert f'{A}:34: warning: body: "€33 billion" is not annotated' in done.stderr
    silenced = body.replace("€33 billion", "[€33 billion]{.nofact}")
    done = check(make_project, BRIEFING.replace("Body text [@report].\n", silenced), "--strict")
    assert done.returncode == 0, done.stderr
    project = make_project({A: BRIEFING.replace("Body text [@report].\n", silenced)})
    assert run_cli("build", cwd=project).returncode == 0
    page = (project / "_site/briefings/a/index.html").read_text()
    assert '<span class="nofact">€33 billion</span> are loans' in page
    assert "{.nofact}" not in page


PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x02\x00\x00\x00"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)  # a PNG header saying 640 x 480


def test_a_link_to_a_page_the_site_does_not_have_is_an_error_at_its_line(make_project):
    text = BRIEFING.replace(
        "Body text [@report].", "Body [@report].\n\nSee [x](../no-such-briefing/)."
    )
    project = make_project({A: text, "content/briefings/b.md": BRIEFING})
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert (
        f"{A}:30: body: '../no-such-briefing/': the site has no page briefings/no-such-briefing/"
    ) in done.stderr
    assert not (project / "_site").exists()


def test_links_to_real_pages_and_anchors_pass_and_get_the_base_path(make_project):
    text = BRIEFING.replace(
        "Body text [@report].",
        "Body [@report]. See [b](../b/), [its source](../b/#ref-report), [tags](/tags/) "
        "and [the feed](/feed.xml).",
    )
    project = make_project({A: text, "content/briefings/b.md": BRIEFING})
    done = run_cli("build", cwd=project)
    assert done.returncode == 0, done.stderr
    page = (project / "_site/briefings/a/index.html").read_text()
    for href in ("/briefings/briefings/b/", "/briefings/briefings/b/#ref-report",
                 "/briefings/tags/", "/briefings/feed.xml"):  # fmt: skip
        assert f'href="{href}"' in page, href


def test_a_missing_anchor_is_an_error_at_its_line(make_project):
    text = BRIEFING.replace("Body text [@report].", "Body [@report].\n\n[b](../b/#no-such-part)")
    project = make_project({A: text, "content/briefings/b.md": BRIEFING})
    done = run_cli("check", cwd=project)
    assert (
        f"{A}:30: body: '../b/#no-such-part': briefings/b/ has no anchor #no-such-part"
    ) in done.stderr


def test_images_next_to_a_briefing_are_copied_with_their_size(make_project):
    text = BRIEFING.replace("Body text [@report].", "Body [@report].\n\n![A map](map.png)")
    project = make_project({A: text, "content/briefings/map.png": PNG_1X1})
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "_site/briefings/a/map.png").read_bytes() == PNG_1X1
    page = (project / "_site/briefings/a/index.html").read_text()
    assert '<img alt="A map" height="480" src="/briefings/briefings/a/map.png" width="640">' in page


def test_static_and_media_images_get_the_base_path_and_a_missing_one_is_an_error(make_project):
    text = BRIEFING.replace(
        "Body text [@report].",
        "Body [@report].\n\n![Chart](/static/img/chart.png)\n\n![Shared](/media/shared.png)",
    )
    files = {A: text, "static/img/chart.png": PNG_1X1, "content/media/shared.png": PNG_1X1}
    project = make_project(files)
    assert run_cli("build", cwd=project).returncode == 0
    page = (project / "_site/briefings/a/index.html").read_text()
    assert 'src="/briefings/static/img/chart.png"' in page
    assert 'src="/briefings/media/shared.png"' in page
    assert (project / "_site/media/shared.png").is_file()
    (project / "static/img/chart.png").unlink()
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert (
        f"{A}:30: body: '/static/img/chart.png': there is no file static/img/chart.png"
    ) in done.stderr
    assert (project / "_site/static/img/chart.png").is_file()  # the last site is untouched


def test_a_missing_image_next_to_a_briefing_is_an_error_until_it_is_added(make_project):
    text = BRIEFING.replace("Body text [@report].", "Body [@report].\n\n![A map](map.png)")
    project = make_project({A: text})
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert f"{A}:30: body: 'map.png': there is no image file briefings/a/map.png" in done.stderr
    (project / "content/briefings/map.png").write_bytes(PNG_1X1)  # the .md is unchanged
    assert run_cli("build", cwd=project).returncode == 0


def test_a_changed_image_is_read_again_for_its_new_size(make_project):
    text = BRIEFING.replace("Body text [@report].", "Body [@report].\n\n![A map](map.png)")
    project = make_project({A: text, "content/briefings/map.png": PNG_1X1})
    assert run_cli("build", cwd=project).returncode == 0
    wider = PNG_1X1[:16] + (1280).to_bytes(4, "big") + PNG_1X1[20:]
    (project / "content/briefings/map.png").write_bytes(wider)
    done = run_cli("build", cwd=project)
    assert done.returncode == 0 and "up to date" not in done.stderr
    page = (project / "_site/briefings/a/index.html").read_text()
    assert 'width="1280"' in page
    assert (project / "_site/briefings/a/map.png").read_bytes() == wider


def test_a_link_written_with_the_base_path_is_an_error_whose_hint_says_so(make_project):
    text = BRIEFING.replace(
        "Body text [@report].", "Body [@report].\n\n[b](/briefings/briefings/b/)"
    )
    project = make_project({A: text, "content/briefings/b.md": BRIEFING})
    done = run_cli("check", cwd=project)
    assert (
        f"{A}:30: body: '/briefings/briefings/b/': the site has no page briefings/briefings/b/ "
        "(write it from the site's root, /briefings/b/: Dossier adds the base path /briefings/)"
    ) in done.stderr


def test_check_reports_a_link_to_a_draft_that_the_build_would_break_on(make_project):
    text = BRIEFING.replace("Body text [@report].", "Body [@report].\n\n[b](../b/)")
    draft = BRIEFING.replace("---\ntitle", "---\ndraft: true\ntitle", 1)
    project = make_project({A: text, "content/briefings/b.md": draft})
    done = run_cli("check", cwd=project)
    assert done.returncode == 1
    assert (
        f"{A}:30: body: '../b/' links to content/briefings/b.md, a draft: the published site "
        "will not have it (publish that briefing first, or remove the link)"
    ) in done.stderr
    assert "the site has no page briefings/b/" in run_cli("build", cwd=project).stderr


def test_anchors_are_checked_against_the_rendered_page_of_any_view(make_project):
    text = BRIEFING.replace(
        "Body text [@report].", "Body [@report].\n\n[main](/timeline/#main) [no](/timeline/#nope)"
    )
    project = make_project({A: text})
    for command in ("check", "build"):
        done = run_cli(command, cwd=project)
        assert done.returncode == 1
        lines = [x for x in done.stderr.splitlines() if "anchor" in x]
        assert lines == [
            f"{A}:30: body: '/timeline/#nope': timeline/ has no anchor #nope "
            "(link to a heading's or an annotation's id)"
        ], lines


def test_links_and_images_cannot_reach_outside_the_project(make_project, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_1X1)
    text = BRIEFING.replace(
        "Body text [@report].",
        "Body [@report].\n\n[up](../../../../etc/passwd)\n\n![leak](leak.png)\n\n"
        "![also](/static/../../secret.png)",
    )
    project = make_project({A: text})
    (project / "content/briefings/leak.png").symlink_to(secret)
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert f"{A}:30: body: '../../../../etc/passwd' leads out of the site" in done.stderr
    assert f"{A}:32: body: 'leak.png': there is no image file briefings/a/leak.png" in done.stderr
    assert f"{A}:34: body: '/static/../../secret.png': there is no" in done.stderr
    assert not (project / "_site").exists()
