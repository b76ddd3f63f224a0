"""Views that hold at any size: sources by publisher, quotes by speaker, aid by donor,
recipient and year, entity pages summarised, each long list paginated; the aid charts
(monthly by stage, by donor) legible on a phone; read back from a real build of the
generated site in split_data.py, with lists cut short so every kind of page is paginated."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
import split_data
from conftest import write_project
from test_quality import AXE, VNU_JAR

from dossier.build import BuildOptions, build_site
from dossier.views import aid, charts, entities, quotes, sources, split

PREFIX = "/split/"
SMALL = {
    (sources, "SOURCES_PER_PAGE"): 7,
    (quotes, "QUOTES_PER_PAGE"): 4,
    (aid, "FACTS_PER_PAGE"): 6,
    (entities, "SHOWN"): 3,
    (entities, "BRIEFINGS_PER_PAGE"): 5,
    (entities, "EVENTS_PER_PAGE"): 5,
    (split, "OVERVIEW_PER_PAGE"): 3,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("split")
    project = write_project(
        root / "project", {"site.yaml": split_data.SITE_YAML, **split_data.files()}
    )
    with pytest.MonkeyPatch.context() as mp:
        for (module, name), value in SMALL.items():
            mp.setattr(module, name, value)
        build_site(project, BuildOptions(output=root / "out", use_cache=False))
    return root / "out"


@pytest.fixture(scope="module")
def want() -> dict:
    return split_data.expected()


def parse(out: Path, url_path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(out / url_path.removeprefix(PREFIX) / "index.html")).getroot()


def pages_of(out: Path, first: str) -> list[lxml.html.HtmlElement]:
    """A paginated list, followed from its first page by rel=next."""
    found, url = [], first
    while url:
        doc = parse(out, url)
        found.append(doc)
        nxt = doc.xpath("//main//a[@rel='next']/@href")
        url = nxt[0] if nxt else None
        assert len(found) < 100
    return found


def index_links(out: Path, path: str) -> dict[str, str]:
    """Name → page of each entry of an index (publishers, speakers), over all its pages."""
    found = {}
    for doc in pages_of(out, PREFIX + path):
        for a in doc.xpath("//ul[contains(@class, 'split-index')]/li/a[1]"):
            name = " ".join(a.text_content().split())
            assert name not in found, name
            found[name] = a.get("href")
    return found


def test_sources_overview_links_one_page_per_publisher_registry_ones_at_their_entity_id(out, want):
    links = index_links(out, "sources/")
    assert set(links) == set(want["sources"])
    assert links["Wire Agency"] == "/split/sources/wire/"  # the registry's id and name
    assert links["Daily Ledger"] == "/split/sources/daily-ledger/"
    assert len(set(links.values())) == len(links)
    wire = parse(out, "sources/wire/")
    assert "/split/entities/wire/" in wire.xpath("//main//a/@href")


def test_each_publisher_page_holds_exactly_its_sources_none_lost_or_duplicated(out, want):
    seen: Counter[str] = Counter()
    for name, first in index_links(out, "sources/").items():
        urls = [
            u
            for doc in pages_of(out, first)
            for u in doc.xpath("//ul[@class='sources']/li/a[@rel='noopener']/@href")
        ]
        assert set(urls) == want["sources"][name], name
        seen.update(urls)
    assert all(n == 1 for n in seen.values())
    assert sum(seen.values()) == sum(len(v) for v in want["sources"].values())


def test_each_speaker_page_holds_exactly_their_quotes(out, want):
    links = index_links(out, "quotes/")
    assert set(links) == set(want["quotes"])
    assert links["Mara Oyelaran"] == "/split/quotes/mara-oyelaran/"
    total = 0
    for name, first in links.items():
        texts = [
            " ".join(q.text_content().split())
            for doc in pages_of(out, first)
            for q in doc.xpath("//main/figure/blockquote")
        ]
        assert sorted(texts) == sorted(want["quotes"][name]), name
        total += len(texts)
    assert total == sum(len(v) for v in want["quotes"].values())


def test_a_long_list_is_paginated_with_rel_prev_and_next_in_the_head_and_on_the_page(out):
    first = "/split/sources/daily-ledger/"
    docs = pages_of(out, first)
    assert len(docs) >= 2
    for n, doc in enumerate(docs, 1):
        head_next = doc.xpath("//head/link[@rel='next']/@href")
        head_prev = doc.xpath("//head/link[@rel='prev']/@href")
        assert bool(head_next) == (n < len(docs)) and bool(head_prev) == (n > 1)
        if n > 1:
            assert doc.xpath("//main//a[@rel='prev']/@href")[0] == (
                first if n == 2 else f"{first}page/{n - 1}/"
            )
            assert (
                head_prev[0] == "https://example.org" + doc.xpath("//main//a[@rel='prev']/@href")[0]
            )
        assert (
            f"Page {n} of {len(docs)}" in doc.xpath("//nav[@class='pagination']")[0].text_content()
        )


def stage_table(doc: lxml.html.HtmlElement) -> dict[str, tuple[Decimal, dict[str, Decimal]]]:
    """Stage → (converted total, exact total per currency) from a page's stage table."""
    out = {}
    for tr in doc.xpath("//table[@id='table-stages']/tbody/tr"):
        cells = tr.xpath("td")
        per_currency = {}
        for d in cells[1].xpath("data"):
            symbol = d.text_content().strip()[0]
            per_currency[symbol] = Decimal(d.get("value"))
        out[tr.get("id").removeprefix("stage-")] = (
            Decimal(cells[2].xpath("data")[0].get("value")),
            per_currency,
        )
    return out


@pytest.mark.parametrize("key", ["donors", "recipients", "years"])
def test_donor_recipient_and_year_pages_add_up_to_the_site_totals_stage_by_stage(out, key):
    site = stage_table(parse(out, "aid/"))
    if key == "years":
        rows = parse(out, "aid/").xpath("//table[@id='table-year']/tbody/tr/th/a/@href")
    else:
        rows = [
            href
            for doc in pages_of(out, f"{PREFIX}aid/{key}/")
            for href in doc.xpath("//table/tbody/tr/th/a/@href")
        ]
    assert rows
    sums: dict[str, Decimal] = defaultdict(Decimal)
    per_currency: dict[str, Counter] = defaultdict(Counter)
    for href in rows:
        for stage, (converted, currencies) in stage_table(parse(out, href)).items():
            sums[stage] += converted
            for c, amount in currencies.items():
                per_currency[stage][c] += amount
    assert {s: v[0] for s, v in site.items()} == dict(sums)
    assert {s: dict(v[1]) for s, v in site.items()} == {s: dict(v) for s, v in per_currency.items()}
    doc = json.loads((out / "aid.json").read_text("utf-8"))  # and the machine file agrees
    assert {s: sum(Decimal(v) for v in cs.values()) for s, cs in doc["totals"].items()} == {
        s: sum(v[1].values()) for s, v in site.items()
    }


def test_a_donor_page_lists_exactly_its_facts_once_however_many_briefings_cover_them(out, want):
    for name, ids in want["donors"].items():
        slug = {"Norland": "norland", "Eastmere": "eastmere"}.get(name) or name.lower().replace(
            " ", "-"
        )
        rows = [
            tr.get("id").removeprefix("aid-")
            for doc in pages_of(out, f"/split/aid/donors/{slug}/")
            for tr in doc.xpath("//table[contains(@class, 'aid-facts')]/tbody/tr")
        ]
        assert sorted(rows) == sorted(ids), name
    assert "shared-pkg" in want["donors"]["Norland"]


def month_figures(doc: lxml.html.HtmlElement, chart_id: str):
    svg = doc.get_element_by_id(chart_id)
    chart: dict[str, list[Decimal]] = {}
    for c in svg.xpath(".//circle"):
        stage = c.get("class").removeprefix("stage-")
        values = chart.setdefault(c.get("data-month"), [])
        assert stage == split_data.STAGES[len(values)]  # pledged, committed, delivered
        values.append(Decimal(c.get("data-value")))
    table = {
        tr.get("data-month"): [Decimal(td.get("data-value")) for td in tr.xpath("td")]
        for tr in doc.xpath("//table[@class='months']/tbody/tr")
    }
    return chart, table


def test_the_monthly_chart_has_one_point_per_month_with_aid_and_its_table_the_same_figures(
    out, want
):
    doc = parse(out, "aid/")
    chart, table = month_figures(doc, "chart-months")
    definitions = {
        a["date"][:7]
        for a in want["facts"].values()
        if len(a["date"]) >= 7 and a["id"] not in want["updated"]
    }
    changed = want["update_months"] | {want["facts"][i]["date"][:7] for i in want["updated"]}
    assert definitions <= set(chart) <= definitions | changed
    assert chart == table
    assert list(chart) == sorted(chart)  # in time order
    assert all(len(v) == 3 for v in chart.values())  # one point per stage, never added
    # every amount dated to a month is drawn once: the months add up to the totals but
    # for the one amount known only to the year
    totals = stage_table(doc)
    year_only = [a for a in want["facts"].values() if len(a["date"]) == 4]
    assert len(year_only) == 1
    y = year_only[0]
    converted = Decimal(y["amount"]) * split_data.RATES[y["currency"]]
    for k, stage in enumerate(split_data.STAGES):
        drawn = sum(v[k] for v in chart.values())
        counted = split_data.STAGES.index(y["status"]) >= k
        assert drawn + (converted if counted else 0) == totals[stage][0], stage
    assert "dated only by year" in doc.xpath("//main")[0].text_content()


def test_a_year_page_charts_only_that_years_months(out):
    doc = parse(out, "aid/2024/")
    chart, table = month_figures(doc, "chart-months-2024")
    assert chart and chart == table
    assert all(m.startswith("2024-") for m in chart)


def test_the_donor_chart_draws_a_bar_per_stage_for_the_largest_donors_side_by_side(out):
    doc = parse(out, "aid/")
    svg = doc.get_element_by_id("chart-donor")
    rows = doc.xpath("//table[@id='table-donor']/tbody/tr")
    assert [g.xpath("text[@class='label']")[0].text for g in svg.xpath("g[@class='row']")] == [
        " ".join(r.xpath("th")[0].text_content().split()) for r in rows
    ]
    for g, row in zip(svg.xpath("g[@class='row']"), rows, strict=True):
        bars = [Decimal(r.get("data-value")) for r in g.xpath("rect")]
        cells = [Decimal(d.get("value")) for d in row.xpath("td/data")]
        assert [r.get("class") for r in g.xpath("rect")] == [
            f"stage-{s}" for s in split_data.STAGES
        ]
        assert bars == cells
        assert all(float(r.get("x")) == 0 for r in g.xpath("rect"))  # side by side, not stacked


def test_an_entity_page_summarises_its_lists_and_links_each_full_one(out, want):
    doc = parse(out, "entities/norland/")
    given = doc.xpath("//section[@aria-labelledby='aid-given']//ul/li")
    assert len(given) == SMALL[(entities, "SHOWN")] < len(want["donors"]["Norland"])
    hrefs = doc.xpath("//main//p[@class='more']/a/@href")
    assert "/split/aid/donors/norland/" in hrefs
    assert "/split/entities/norland/briefings/" in hrefs
    listed = [
        a.text
        for d in pages_of(out, "/split/entities/norland/briefings/")
        for a in d.xpath("//ol[@class='briefing-list']//h2/a")
    ]
    assert len(listed) == len(set(listed)) > SMALL[(entities, "SHOWN")]
    wire = parse(out, "entities/wire/")
    assert "/split/sources/wire/" in wire.xpath("//main//p[@class='more']/a/@href")
    mara = parse(out, "entities/mara-oyelaran/")
    assert "/split/quotes/mara-oyelaran/" in mara.xpath("//main//p[@class='more']/a/@href")


def test_the_sitemap_lists_every_new_page(out):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    pages = [
        p.relative_to(out).as_posix().removesuffix("index.html")
        for part in ("aid", "sources", "quotes", "entities", "publishers")
        for p in (out / part).rglob("index.html")
    ]
    assert any("/page/2/" in f"/{p}" for p in pages)
    missing = [p for p in pages if f"https://example.org/split/{p}" not in locs]
    assert missing == []


def new_page_types(out: Path) -> list[Path]:
    """One of each new kind of page, first and later pages."""
    rels = [
        "sources/",
        "sources/daily-ledger/",
        "sources/daily-ledger/page/2/",
        "publishers/",
        "publishers/page/2/",
        "quotes/",
        "quotes/page/2/",
        "quotes/teodor-vasko/page/2/",
        "aid/",
        "aid/donors/",
        "aid/donors/page/2/",
        "aid/recipients/",
        "aid/donors/norland/",
        "aid/donors/norland/page/2/",
        "aid/2024/",
        "entities/norland/",
        "entities/norland/briefings/page/2/",
    ]
    return [out / r / "index.html" for r in rels]


def test_paginated_and_split_pages_pass_the_nu_html_checker(out):
    pages = new_page_types(out)
    assert all(p.is_file() for p in pages), [p for p in pages if not p.is_file()]
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in report["messages"]]
    assert errors == [], "\n".join(errors)


RENDERED_TEXT = """() => [...document.querySelectorAll('svg.aid-chart text')].map(t => {
  const m = t.getScreenCTM(); const r = t.getBoundingClientRect();
  return {size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
          height: r.height, text: t.textContent, right: r.right};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1400])
def test_chart_text_is_at_least_12px_and_no_aid_page_is_wider_than_the_screen(
    out, serve_site, browser, width
):
    base = serve_site(out, PREFIX)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for rel in ("aid/", "aid/donors/norland/", "aid/2024/"):
            page.goto(base + rel)
            texts = page.evaluate(RENDERED_TEXT)
            assert len(texts) > 5, rel
            small = [t for t in texts if t["size"] < 12 or t["height"] < 12]
            assert small == [], (rel, small[:5])
            assert page.evaluate("document.documentElement.scrollWidth") <= width, rel
            assert max(t["right"] for t in texts) <= width, rel
            scroll = page.locator(".table-scroll").first
            assert (
                scroll.get_attribute("tabindex") == "0" and scroll.get_attribute("role") == "region"
            )
    finally:
        context.close()


@pytest.mark.browser
def test_charts_follow_dark_mode_through_css_colours(out, serve_site, browser):
    base = serve_site(out, PREFIX)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900})
        page = context.new_page()
        page.goto(base + "aid/")
        colours[scheme] = page.evaluate(
            """() => { const s = e => getComputedStyle(document.querySelector(e));
              return {bg: getComputedStyle(document.body).backgroundColor,
                      text: s('#chart-months .x-axis text').fill, fg: getComputedStyle(document.body).color,
                      line: s('#chart-months polyline.stage-delivered').stroke,
                      bar: s('#chart-donor rect.stage-committed').fill}; }"""
        )
        context.close()
    for scheme, c in colours.items():
        assert c["line"] != c["bg"] and c["bar"] != c["bg"] and c["text"] != c["bg"], scheme
    assert colours["light"]["bar"] != colours["dark"]["bar"]
    assert colours["light"]["text"] != colours["dark"]["text"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paginated_and_split_pages_have_no_axe_violations_on_a_phone(
    out, serve_site, browser, scheme
):
    base = serve_site(out, PREFIX)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900})
    found = {}
    try:
        page = context.new_page()
        for path in new_page_types(out):
            url = base + path.parent.relative_to(out).as_posix() + "/"
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("async () => (await axe.run()).violations")
            if violations:
                found[url] = [
                    f"{v['id']}: " + "; ".join(n["target"][0] for n in v["nodes"][:3])
                    for v in violations
                ]
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize(
    "largest", ["1", "0.5", "999", "1000", "275000000", "275000000.00", "6012345678.90"]
)
def test_the_y_axis_has_round_ticks_from_zero_to_at_least_the_largest_amount(largest):
    ticks = charts.nice_ticks(Decimal(largest))
    assert ticks[0] == 0 and ticks[-1] >= Decimal(largest)
    assert 3 <= len(ticks) <= 5
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5) or step.normalize().as_tuple().digits[
        :2
    ] == (2, 5)


def test_no_point_of_the_monthly_chart_is_above_its_top_gridline(out):
    svg = parse(out, "aid/").get_element_by_id("chart-months")
    top = min(float(line.get("y1")) for line in svg.xpath(".//line[contains(@class, 'grid')]"))
    assert min(float(c.get("cy")) for c in svg.xpath(".//circle")) >= top


def test_an_index_longer_than_a_page_is_paginated_too(out, want):
    docs = pages_of(out, PREFIX + "sources/")
    assert len(docs) == -(-len(want["sources"]) // SMALL[(split, "OVERVIEW_PER_PAGE")])
    assert docs[1].xpath("//head/link[@rel='prev']/@href") == ["https://example.org/split/sources/"]


def test_a_source_cited_by_many_briefings_lists_the_newest_and_points_to_the_csv(out):
    items = [
        li
        for doc in pages_of(out, PREFIX + "sources/wire/")
        for li in doc.xpath("//ul[@class='sources']/li")
        if li.xpath("a[@href='https://example.org/common']")
    ]
    assert len(items) == 1
    cited = items[0].xpath(".//span[@class='src']/a/@href")
    assert len(cited) == 13 and cited[-1] == "/split/sources.csv"
    assert cited[0] == "/split/briefings/b39/"  # newest first
    assert f"and {split_data.COUNT - 12} more" in items[0].text_content()


def test_each_stage_is_one_line_with_a_vertex_for_every_month_of_the_span(out):
    svg = parse(out, "aid/").get_element_by_id("chart-months")
    months = sorted({c.get("data-month") for c in svg.xpath(".//circle")})
    (y0, m0), (y1, m1) = (map(int, months[0].split("-")), map(int, months[-1].split("-")))
    span = (y1 * 12 + m1) - (y0 * 12 + m0) + 1
    lines = svg.xpath(".//polyline")
    assert [line.get("class") for line in lines] == [f"series stage-{s}" for s in split_data.STAGES]
    assert all(len(line.get("points").split()) == span for line in lines)
