"""The aid tracker page: totals stage by stage (pledged, committed, delivered), by donor,
recipient, year, kind and instrument, each with a chart beside its table."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dossier.formatting import format_money_compact
from dossier.page import Page
from dossier.site import Site
from dossier.totals import Breakdown
from dossier.views.charts import Bar, StageBars, stage_chart

CHART_ROWS = 15


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
            f"Bar chart of aid by {bd.heading.lower()}: for each, the amount pledged, "
            f"committed and delivered, converted to {totals.reporting_currency} at the "
            f"site's declared exchange rates; stages are drawn side by side, not added.{more} "
            "The table beside it has the same figures, per currency."
        )
        charted = [
            StageBars(
                r.label,
                tuple(
                    Bar(s.stage, s.converted.amount, format_money_compact(s.converted, lang))
                    for s in r.stages
                ),
            )
            for r in rows
        ]
        svg = stage_chart(
            f"chart-{bd.key}",
            f"Aid by {bd.heading.lower()}, by stage (converted to {totals.reporting_currency})",
            description,
            charted,
        )
        out.append(ChartedBreakdown(bd, svg, len(rows)))
    return tuple(out)


def plan_aid(site: Site) -> list[Page]:
    return [Page("aid/index.html", "aid.html", "Aid tracker", items=chart_breakdowns(site))]
