"""The aid tracker: /aid/ with the totals stage by stage, aid over time month by month,
and compact breakdowns (the largest donors and recipients, every year, kind and
instrument), each linking to its full list; a page per donor (/aid/donors/<slug>/), per
recipient (/aid/recipients/<slug>/) and per year (/aid/<year>/) with its totals by stage,
its months and its facts, paginated.

Every figure comes from ``site.aid_totals`` (dossier/totals.py): a donor's page shows the
donor row of the breakdown, a year's page the year row, so the pages add up to /aid/ stage
by stage and no fact is counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton
from markupsafe import Markup

from dossier.config import SiteConfig
from dossier.dates import PartialDate
from dossier.entities import Party
from dossier.facts import STAGES, AidFact, HistoryEntry, day_of
from dossier.formatting import format_money_compact, locale_of
from dossier.money import Money
from dossier.page import Page
from dossier.site import Site
from dossier.totals import Breakdown, Total, convert
from dossier.views import split
from dossier.views.charts import Bar, MonthPoint, StageBars, stage_bars, time_series
from dossier.views.split import paginate, party_slugs, titled

TOP_ROWS = 10  # rows of a breakdown on /aid/ (the full list is a link away)
FACTS_PER_PAGE = 50  # rows of a group's fact table: ~700 bytes, ~13 elements each


@dataclass(frozen=True, slots=True)
class FactRow:
    """A fact as a group's table shows it: the entry counted at each stage (None: not
    counted there, or, on a year's page, counted in another year)."""

    fact: AidFact
    cells: tuple[HistoryEntry | None, ...]  # in STAGES order


@dataclass(frozen=True)
class AidGroup:
    """One donor's, recipient's or year's aid: its row of the breakdown and its facts."""

    key: str  # donor, recipient, year
    slug: str
    total: Total
    party: Party | None
    rows: tuple[FactRow, ...]  # newest first
    chart: Markup
    months: tuple[MonthPoint, ...]
    undrawn: int  # amounts known only to the year

    @property
    def label(self) -> str:
        return self.total.label

    @property
    def url_path(self) -> str:
        return group_path(self.key, self.slug)


def group_path(key: str, slug: str) -> str:
    return f"aid/{slug}/" if key == "year" else f"aid/{key}s/{slug}/"


@dataclass(frozen=True)
class AidOverview:
    months_chart: Markup
    months: tuple[MonthPoint, ...]
    undrawn: int
    donors_chart: Markup
    breakdowns: tuple[tuple[Breakdown, tuple[Total, ...], dict[str, str]], ...]
    # each: the breakdown, the rows shown, each row's page (by label); empty: no pages


def _month_text(language: str):
    loc = locale_of(language)

    def text(m: PartialDate, year_only: bool) -> str:
        return str(m.year) if year_only else format_skeleton("yMMM", m.start, locale=loc)

    return text


def monthly(
    facts: Sequence[AidFact], config: SiteConfig, year: int | None = None, language: str = ""
) -> tuple[tuple[MonthPoint, ...], int]:
    """The converted amount counted at each stage, month by month (only the months with
    aid), and how many amounts are dated only by year (not drawn)."""
    sums: dict[PartialDate, dict[str, Decimal]] = {}
    undrawn = 0
    for f in facts:
        for stage, entry in f.stages.items():
            if year is not None and entry.date.year != year:
                continue
            if not entry.date.month:
                undrawn += 1
                continue
            money = convert(entry.money, day_of(entry.date), config)
            if money is None:  # check_rates has reported it already
                continue
            month = PartialDate(entry.date.year, entry.date.month)
            sums.setdefault(month, dict.fromkeys(STAGES, Decimal(0)))[stage] += money.amount
    lang, currency = language or config.language, config.reporting_currency
    points = tuple(
        MonthPoint(
            m,
            tuple(sums[m][s] for s in STAGES),
            tuple(format_money_compact(Money(sums[m][s], currency), lang) for s in STAGES),
        )
        for m in sorted(sums)
    )
    return points, undrawn


def months_chart(
    chart_id: str,
    what: str,
    points: Sequence[MonthPoint],
    undrawn: int,
    config: SiteConfig,
    language: str = "",  # what the figures are written in: the page's ("" the site's)
) -> Markup:
    currency = config.reporting_currency
    skipped = (
        f" {undrawn} amount{'s are' if undrawn != 1 else ' is'} dated only by year and not drawn."
        if undrawn
        else ""
    )
    description = (
        f"Line chart of {what} month by month, one line per stage (pledged, committed, "
        f"delivered) on one scale, converted to {currency}; the lines are not added. "
        f"{len(points)} months have aid.{skipped} The table below has the same figures."
    )
    lang = language or config.language
    return time_series(
        chart_id,
        f"{what[0].upper()}{what[1:]} by month and stage (converted to {currency})",
        description,
        STAGES,
        points,
        lambda v: format_money_compact(Money(v, currency), lang),
        _month_text(lang),
    )


def donor_chart(
    chart_id: str, rows: Sequence[Total], shown_of: int, config: SiteConfig, language: str = ""
) -> Markup:
    currency, lang = config.reporting_currency, language or config.language
    more = f" The {len(rows)} largest of {shown_of} are drawn." if shown_of > len(rows) else ""
    return stage_bars(
        chart_id,
        f"Aid by donor and stage (converted to {currency})",
        f"Bar chart of aid by donor: for each, the amount pledged, committed and delivered, "
        f"converted to {currency}; stages are drawn side by side, not added.{more} "
        "The table below has the same figures.",
        [
            StageBars(
                r.label,
                tuple(
                    Bar(s.stage, s.converted.amount, format_money_compact(s.converted, lang))
                    for s in r.stages
                ),
            )
            for r in rows
        ],
    )


def _label(party: Party) -> str:
    return party.name or "(unknown)"  # as dossier.totals.DIMENSIONS groups them


def aid_slugs(site: Site, key: str) -> dict[Party, str]:
    """The slug of each donor's (or recipient's) page: entity pages link to them."""
    return party_slugs(f.donor if key == "donor" else f.recipient for f in site.aid)


def aid_groups(site: Site) -> dict[str, tuple[AidGroup, ...]]:
    """Every donor, recipient and year with aid, each with its breakdown row."""
    totals = site.aid_totals
    if totals is None or not site.aid:
        return {"donor": (), "recipient": (), "year": ()}
    config = site.config
    newest = tuple(reversed(site.aid))
    out: dict[str, tuple[AidGroup, ...]] = {}
    for key in ("donor", "recipient"):
        members: dict[str, list[AidFact]] = {}
        parties: dict[str, Party] = {}
        for f in newest:
            party = f.donor if key == "donor" else f.recipient
            members.setdefault(_label(party), []).append(f)
            parties.setdefault(_label(party), party)
        slugs = aid_slugs(site, key)
        groups = []
        for row in totals.breakdown(key).rows:
            facts = members[row.label]
            points, undrawn = monthly(facts, config, language=site.language)
            slug = slugs[parties[row.label]]
            chart = months_chart(
                f"chart-months-{slug}",
                f"aid {'from' if key == 'donor' else 'to'} {row.label}",
                points,
                undrawn,
                config,
            )
            cells = tuple(FactRow(f, tuple(f.stages.get(s) for s in STAGES)) for f in facts)
            groups.append(
                AidGroup(key, slug, row, parties[row.label], cells, chart, points, undrawn)
            )
        out[key] = tuple(groups)
    years = []
    for row in totals.breakdown("year").rows:
        year = int(row.label)
        rows = []
        for f in newest:
            cells = tuple(
                e if e is not None and e.date.year == year else None
                for e in (f.stages.get(s) for s in STAGES)
            )
            if any(cells):
                rows.append(FactRow(f, cells))
        facts = [r.fact for r in rows]
        points, undrawn = monthly(facts, config, year, site.language)
        chart = months_chart(
            f"chart-months-{year}", f"aid in {year}", points, undrawn, config, site.language
        )
        years.append(AidGroup("year", row.label, row, None, tuple(rows), chart, points, undrawn))
    out["year"] = tuple(years)
    return out


def overview(site: Site, groups: dict[str, tuple[AidGroup, ...]]) -> AidOverview | None:
    totals = site.aid_totals
    if totals is None or not site.aid:
        return None
    points, undrawn = monthly(site.aid, site.config, language=site.language)
    donors = totals.breakdown("donor").rows
    shown = []
    for bd in totals.breakdowns:
        links = {g.label: g.url_path for g in groups.get(bd.key, ())}
        rows = bd.rows if bd.key in ("year", "kind", "instrument") else bd.rows[:TOP_ROWS]
        shown.append((bd, rows, links))
    return AidOverview(
        months_chart("chart-months", "aid", points, undrawn, site.config, site.language),
        points,
        undrawn,
        donor_chart("chart-donor", donors[:TOP_ROWS], len(donors), site.config, site.language),
        tuple(shown),
    )


HEADINGS = {"donor": "Aid from {}", "recipient": "Aid to {}", "year": "Aid in {}"}


def plan_aid(site: Site) -> list[Page]:
    groups = aid_groups(site)
    pages = [
        Page("aid/index.html", "aid.html", "Aid tracker", data={"overview": overview(site, groups)})
    ]
    if not site.aid or site.aid_totals is None:
        return pages
    for key in ("donor", "recipient"):
        bd = site.aid_totals.breakdown(key)
        for path, chunk, pager in paginate(f"aid/{key}s/", groups[key], split.OVERVIEW_PER_PAGE):
            pages.append(
                Page(
                    path + "index.html",
                    "aid_groups.html",
                    titled(f"Aid by {bd.heading.lower()}", pager),
                    items=chunk,
                    data={"breakdown": bd, "pager": pager},
                )
            )
    for key, found in groups.items():
        for g in found:
            title = HEADINGS[key].format(g.label)
            for path, chunk, pager in paginate(g.url_path, g.rows, FACTS_PER_PAGE):
                pages.append(
                    Page(
                        path + "index.html",
                        "aid_group.html",
                        titled(title, pager),
                        items=chunk,
                        data={"group": g, "pager": pager, "heading": title},
                    )
                )
    return pages
