"""The aid tracker page: totals by donor, recipient, year, kind and status, with charts."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dossier.formatting import format_money
from dossier.page import Page
from dossier.site import Site
from dossier.totals import Breakdown
from dossier.views.charts import Bar, bar_chart

CHART_ROWS = 20


@dataclass(frozen=True, slots=True)
class ChartedBreakdown:
    breakdown: Breakdown
    svg: Markup
    charted: int  # how many rows the chart shows (the table shows them all)


def chart_breakdowns(site: Site) -> tuple[ChartedBreakdown, ...]:
    totals = site.aid_totals
    if totals is None or not site.aid:
        return ()
    lang = site.config.language
    out = []
    for bd in totals.breakdowns:
        rows = bd.rows[:CHART_ROWS]
        more = (
            f" The {len(rows)} largest of {len(bd.rows)} are drawn."
            if len(bd.rows) > len(rows)
            else ""
        )
        description = (
            f"Bar chart of aid by {bd.heading.lower()}, converted to "
            f"{totals.reporting_currency} at the site's declared exchange rates.{more} "
            "The table beside it has the same figures, per currency."
        )
        bars = [Bar(r.label, r.converted.amount, format_money(r.converted, lang)) for r in rows]
        svg = bar_chart(
            f"chart-{bd.key}",
            f"Aid by {bd.heading.lower()} (converted to {totals.reporting_currency})",
            description,
            bars,
        )
        out.append(ChartedBreakdown(bd, svg, len(rows)))
    return tuple(out)


def plan_aid(site: Site) -> list[Page]:
    return [Page("aid/index.html", "aid.html", "Aid tracker", items=chart_breakdowns(site))]
