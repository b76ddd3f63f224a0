"""End to end: the shipped site builds, and the seed briefing shows every fact with its source."""

from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from conftest import THEME, run_cli

from dossier.config import load_config

SEED = "briefings/us-antipersonnel-mines-ukraine/index.html"


def build_shipped(shipped_project: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    result = run_cli("build", "--output", out, cwd=shipped_project)
    assert result.returncode == 0, result.stderr
    return out


def internal_targets(out: Path, base_path: str):
    """Every href/src in every page that points into the site, with the page it is on."""
    for page in out.rglob("*.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        for _el, _attr, link, _pos in doc.iterlinks():
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            yield page, link, parts


def test_seed_briefing_page_carries_its_title_amounts_dates_quotes_and_sources(
    shipped_project, tmp_path
):
    out = build_shipped(shipped_project, tmp_path)
    doc = lxml.html.fromstring((out / SEED).read_bytes())
    assert doc.findtext(".//h1") == "US lets Ukraine use American antipersonnel mines"
    text = " ".join(doc.text_content().split())
    for fact in [
        "$275 million",
        "20 November 2024",  # the announcement
        "19 November 2024",  # the war's 1,000th day
        "20 January 2025",  # the transition of power
        "21 November 2024",  # publication
        "HIMARS",
        "Javelin missiles",
        "Lloyd Austin, US Secretary of Defense",
        "Espen Barth Eide, Foreign Minister of Norway",
        "Amnesty International, Human rights organisation",
        "very problematic",
        "reckless",
    ]:
        assert fact in text, fact
    amount = doc.xpath('//*[@id="aid-pda-2024-11"]//data/@value')
    assert amount == ["275000000"]
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert "https://www.amnesty.org/en/latest/news/" in hrefs
    # every fact row cites a source that is on the page
    for row_id in [
        "aid-pda-2024-11",
        "event-announcement",
        "event-war-day-1000",
        "event-transition",
    ]:
        cites = doc.xpath(f'//*[@id="{row_id}"]//a[starts-with(@href, "#ref-")]/@href')
        assert cites and all(doc.xpath(f'//*[@id="{c[1:]}"]') for c in cites), row_id


def test_index_lists_briefings_newest_first(shipped_project, tmp_path):
    extra = (shipped_project / "content/briefings/us-antipersonnel-mines-ukraine.md").read_text()
    extra = extra.replace("date: 2024-11-21", "date: 2024-12-01").replace(
        'title: "US lets', 'title: "Later: US lets'
    )
    (shipped_project / "content/briefings/later.md").write_text(extra)
    out = build_shipped(shipped_project, tmp_path)
    doc = lxml.html.fromstring((out / "index.html").read_bytes())
    titles = [a.text_content() for a in doc.xpath("//ol[@class='briefing-list']//h3/a")]
    assert titles[0].startswith("Later: ") and len(titles) == 2


def test_every_internal_link_resolves_inside_the_output_under_the_base_path(
    shipped_project, tmp_path
):
    out = build_shipped(shipped_project, tmp_path)
    base_path = load_config(shipped_project).base_path
    checked = 0
    for page, link, parts in internal_targets(out, base_path):
        if not parts.path:  # a fragment on the same page
            doc = lxml.html.fromstring(page.read_bytes())
            assert doc.xpath(f'//*[@id="{parts.fragment}"]'), f"{page}: #{parts.fragment}"
            checked += 1
            continue
        assert parts.path.startswith(base_path), f"{page}: {link} escapes {base_path}"
        target = out / parts.path[len(base_path) :]
        if parts.path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), f"{page}: {link} → {target}"
        checked += 1
    assert checked > 10


def test_static_files_are_copied_as_is(shipped_project, tmp_path):
    out = build_shipped(shipped_project, tmp_path)
    src = THEME / "static/css/dossier.css"
    assert (out / "static/css/dossier.css").read_bytes() == src.read_bytes()
