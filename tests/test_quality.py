"""Every page of the shipped site is valid HTML (Nu HTML Checker) and has no axe-core
violations, in light and dark colour schemes and on wide and narrow screens."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from page_site import build_site

JS = Path(__file__).resolve().parent / "js" / "node_modules"
VNU_JAR = JS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = JS / "axe-core" / "axe.min.js"
INSTALL_HINT = "run: npm ci --prefix tests/js --ignore-scripts (tests/run.sh does)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # one briefing a page: the home and tag pages run to a second page, so their
    # pagination is checked too, beside the timeline's year and month pages
    return build_site(tmp_path_factory.mktemp("quality"), page_size=1)


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 4, pages
    shapes = {p.relative_to(site).as_posix() for p in pages}
    for expected in (
        "page/2/index.html",
        "timeline/index.html",
        "timeline/2024/index.html",
        "timeline/2024/11/index.html",
        "archive/index.html",
        "archive/2024/11/index.html",
        "tags/ukraine/page/2/index.html",
        "tags/ukraine/timeline/index.html",
        "uk/index.html",  # the Ukrainian translation of the seed, and every view in Ukrainian
        "uk/briefings/us-antipersonnel-mines-ukraine/index.html",
        "uk/aid/index.html",
    ):
        assert expected in shapes, expected  # every kind of page is checked
    return pages


# The Ukrainian pages axe looks at: their templates are the English pages' (those are all
# checked), so the pages whose words, dates and money differ most stand for the rest.
UKRAINIAN_SHAPES = {"uk/", "uk/briefings/<slug>/", "uk/aid/"}  # kept few: the suite's 10 minutes


def one_of_each_shape(site: Path, pages: list[Path]) -> list[Path]:
    from test_page_sizes import shape_of

    found: dict[str, Path] = {}
    for page in pages:
        shape = shape_of(page.relative_to(site).as_posix())
        if not shape.startswith("uk/") or shape in UKRAINIAN_SHAPES:
            found.setdefault(shape, page)
    assert UKRAINIAN_SHAPES <= found.keys(), UKRAINIAN_SHAPES - found.keys()
    return list(found.values())


def test_every_page_passes_the_nu_html_checker(site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install default-jre-headless (tests/run.sh does)")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: {INSTALL_HINT}")
    pages = html_pages(site)
    # One JVM for every page: starting Java costs about two seconds.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = [
        f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr


@pytest.mark.browser
@pytest.mark.parametrize(
    ("scheme", "width"),
    [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)],
    ids=["light-wide", "dark-wide", "light-narrow", "dark-narrow"],
)
def test_every_kind_of_page_has_no_axe_violations(site, serve_site, browser, scheme, width) -> None:
    """One page of each URL shape (every page is HTML-checked above): axe takes ~0.3 s a
    page in each of four modes, and pages of one shape share their template."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: {INSTALL_HINT}")
    base = serve_site(site, "/dossier/")
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    found: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        for path in one_of_each_shape(site, html_pages(site)):
            url = base + path.relative_to(site).as_posix().removesuffix("index.html")
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("async () => (await axe.run()).violations")
            if violations:
                found[url] = [
                    f"{v['id']} [{v['impact']}] {v['help']}: "
                    + "; ".join(n["target"][0] for n in v["nodes"][:5])
                    for v in violations
                ]
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1)
