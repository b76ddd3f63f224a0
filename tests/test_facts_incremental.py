"""An update added, edited or removed in one briefing changes, on the next incremental build
(and preview rebuild), the defining briefing's page, the entity pages and the totals, and
the result equals a cold build in a fresh process."""

from __future__ import annotations

import time

import lxml.html
import pytest
from conftest import cold_build, site_files
from facts_data import ENTITIES, SITE_YAML, aid, briefing, update

from dossier.build import build_site
from dossier.output import MARKER
from dossier.serve.preview import Preview

DEFINING = briefing("Pledge", aid=aid())


def updating(amount: str | None) -> str:
    entry = update(status="delivered", amount=amount) if amount else ""
    return briefing("Delivery", date="2025-01-11", updates=entry, body="Delivered [@src].")


STEPS = [("added", '"250 million"'), ("edited", '"240 million"'), ("removed", None)]


def delivered_on(out) -> tuple[str, str, str]:
    pledge = lxml.html.parse(str(out / "briefings/a/index.html")).getroot()
    status = " ".join(pledge.xpath("//*[@id='aid-pkg']//tr/td")[4].text_content().split())
    entity = lxml.html.parse(str(out / "entities/united-states/index.html")).getroot()
    given = entity.xpath("//section[@aria-labelledby='aid-given']//tbody/tr[3]/td")[-1]
    aid_page = lxml.html.parse(str(out / "aid/index.html")).getroot()
    total = aid_page.get_element_by_id("stage-delivered").xpath("td")[-1]
    return status, given.text_content().strip(), total.text_content().strip()


EXPECTED = {
    "added": ("delivered", "$250,000,000", "$250,000,000"),
    "edited": ("delivered", "$240,000,000", "$240,000,000"),
    "removed": ("pledged", "$0", "$0"),
}


@pytest.fixture
def project(make_project):
    files = {
        "content/briefings/a.md": DEFINING,
        "content/briefings/b.md": updating(None),
        "content/entities.yaml": ENTITIES,
    }
    made = make_project(files, SITE_YAML)
    time.sleep(0.06)
    return made


def test_build_follows_an_update_added_edited_and_removed(project, tmp_path):
    build_site(project)
    for step, amount in STEPS:
        (project / "content/briefings/b.md").write_text(updating(amount))
        out = build_site(project).output
        assert delivered_on(out) == EXPECTED[step], step
        assert site_files(out) == cold_build(project, tmp_path / step), step


def test_the_preview_follows_an_update_added_edited_and_removed(project, tmp_path):
    preview = Preview(project)
    preview.build()
    out = project / ".dossier-preview"
    for step, amount in STEPS:
        path = project / "content/briefings/b.md"
        path.write_text(updating(amount))
        result = preview.build([path])
        assert {
            "briefings/a/index.html",
            "entities/united-states/index.html",
            "aid/index.html",
        } <= set(result.written), step
        assert delivered_on(out) == EXPECTED[step], step
        expected = cold_build(project, tmp_path / step, drafts=True)
        files = {k: v for k, v in site_files(out).items() if k != MARKER}
        assert files == {k: v for k, v in expected.items() if k != MARKER}, step
