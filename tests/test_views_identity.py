"""Cross-briefing identity: one id is one fact; disagreements name both files and lines."""

from __future__ import annotations

import pytest
from views_data import BRIEFING_A, BRIEFING_B, FILES, SITE_YAML

from dossier.build import load_site
from dossier.errors import DossierError


def test_a_shared_aid_id_is_one_fact_linked_to_both_briefings(make_project):
    site, _ = load_site(make_project(FILES, SITE_YAML))
    pkg = [f for f in site.aid if f.id == "pkg"]
    assert len(pkg) == 1
    assert [b.path for b in pkg[0].briefings] == [
        "content/briefings/b.md",
        "content/briefings/a.md",
    ]
    assert sorted(f.id for f in site.aid) == ["de-grant", "pkg", "uk-loan"]


def test_a_shared_event_id_is_one_event(make_project):
    site, _ = load_site(make_project(FILES, SITE_YAML))
    ids = [e.id for e in site.events]
    assert ids.count("announcement") == 1
    assert len(next(e for e in site.events if e.id == "announcement").briefings) == 2


def test_the_same_url_under_two_local_ids_is_one_source(make_project):
    site, _ = load_site(make_project(FILES, SITE_YAML))
    urls = [s.source.url for s in site.sources]
    assert urls.count("https://example.org/report") == 1
    report = next(s for s in site.sources if s.source.url == "https://example.org/report")
    assert len(report.briefings) == 2


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("    amount: 100000000\n", "    amount: 120000000\n", "aid[0].amount"),
        ("    currency: USD\n", "    currency: EUR\n", "aid[0].currency"),
        ('    donor: "United States"\n', '    donor: "USA"\n', "aid[0].donor"),
        (
            '    recipient: "Ukraine"\n    date: 2024-11-20\n',
            '    recipient: "Kyiv"\n    date: 2024-11-20\n',
            "aid[0].recipient",
        ),
    ],
)
def test_disagreeing_aid_is_an_error_naming_both_files_and_lines(make_project, old, new, key):
    changed = BRIEFING_B.replace(old, new, 1)
    assert changed != BRIEFING_B
    project = make_project({**FILES, "content/briefings/b.md": changed}, SITE_YAML)
    with pytest.raises(DossierError) as caught:
        load_site(project)
    [problem] = caught.value.problems
    line_a = BRIEFING_A.splitlines().index("  - id: pkg") + 1
    line_b = changed.splitlines().index("  - id: pkg") + 1
    assert (problem.path, problem.line, problem.key) == ("content/briefings/b.md", line_b, key)
    assert f"content/briefings/a.md:{line_a}" in problem.message


def test_disagreeing_event_dates_are_an_error(make_project):
    changed = BRIEFING_B.replace(
        "    date: 2024-11-20\n    label", "    date: 2024-11-19\n    label"
    )
    project = make_project({**FILES, "content/briefings/b.md": changed}, SITE_YAML)
    with pytest.raises(DossierError) as caught:
        load_site(project)
    [problem] = caught.value.problems
    assert problem.key == "events[0].date"
    assert "2024-11-19" in problem.message and "2024-11-20" in problem.message
    assert "content/briefings/a.md:" in problem.message
