"""Static SVG charts: no JavaScript, titled and described for screen readers, each drawn
beside a table holding the same numbers (the figure is a convenience, never the only way
to read the data).

The charts have no viewBox: they are as wide as their container (``width="100%"``), every
x position is a percentage of that width and every y position, font size and bar height is
in CSS pixels. So a label is the size the stylesheet says (12 px and up) on a 390 px phone
and on a 1,400 px screen alike; nothing is scaled down to fit. Colours come from CSS
classes (``stage-pledged`` …) and ``currentColor``, so dark mode and print restyle them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from markupsafe import Markup, escape

from dossier.dates import PartialDate

LABEL_PX = 13  # axis and bar labels; CSS gives the same (never under 12 px)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the stage
    value: Decimal
    text: str  # the value as a reader sees it, e.g. "$1.2 billion"


@dataclass(frozen=True, slots=True)
class StageBars:
    label: str
    bars: tuple[Bar, ...]  # one per stage, in stage order (Bar.label is the stage)


def _open(classes: str, chart_id: str, title: str, description: str, height: int) -> list[str]:
    """An SVG's opening: an image named by its title and described for screen readers."""
    return [
        f'<svg class="{classes}" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" width="100%" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _pct(x: float) -> str:
    return f"{x:.2f}%"


def _shorten(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


BAR_H = 11
BAR_GAP = 3
ROW_LABEL = 18
ROW_GAP = 12
BAR_SPAN = 68.0  # the largest bar's share of the width: the rest holds its figure


def stage_bars(chart_id: str, title: str, description: str, rows: Sequence[StageBars]) -> Markup:
    """Horizontal bars, one group per row (its label above) and one bar per stage
    (pledged, committed, delivered) on one scale, side by side and never stacked:
    stages are not added. Each bar is followed by its figure."""
    row_h = ROW_LABEL + 3 * (BAR_H + BAR_GAP) + ROW_GAP
    height = 4 + row_h * max(len(rows), 1)
    largest = max((b.value for r in rows for b in r.bars), default=Decimal(0))
    parts = _open("aid-chart chart-bars", chart_id, title, description, height)
    for n, row in enumerate(rows):
        top = 4 + n * row_h
        parts.append(
            f'<g class="row"><text class="label" x="0" y="{top + ROW_LABEL - 5}">'
            f"{escape(_shorten(row.label))}</text>"
        )
        for k, b in enumerate(row.bars):
            y = top + ROW_LABEL + k * (BAR_H + BAR_GAP)
            share = float(b.value / largest) * BAR_SPAN if largest else 0.0
            width = max(share, 0.15)
            parts.append(
                f'<rect class="stage-{escape(b.label)}" x="0" y="{y}" width="{_pct(width)}" '
                f'height="{BAR_H}" data-value="{b.value}"><title>{escape(b.label)}: '
                f"{escape(b.text)}</title></rect>"
                f'<text class="value" x="{_pct(width)}" dx="5" y="{y + BAR_H - 1}">'
                f"{escape(b.text)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class MonthPoint:
    """One month with aid: the amount at each stage that month (converted), and how a
    reader sees it."""

    month: PartialDate  # year and month
    values: tuple[Decimal, ...]  # one per series, in series order
    texts: tuple[str, ...]


TS_TOP = 22  # room for the top gridline's label
TS_PLOT = 200
TS_HEIGHT = TS_TOP + TS_PLOT + 34
X_LEFT, X_RIGHT = 1.0, 99.0  # the plot's span, in percent of the width


def month_index(m: PartialDate) -> int:
    return m.year * 12 + m.month - 1


def month_of(index: int) -> PartialDate:
    return PartialDate(index // 12, index % 12 + 1)


def nice_ticks(largest: Decimal, most: int = 5) -> list[Decimal]:
    """0 and round steps (1, 2, 2.5, 5 × 10^k) up to at least ``largest``."""
    if largest <= 0:
        return [Decimal(0), Decimal(1)]
    magnitude = Decimal(10) ** (largest.adjusted() - 1)
    for factor in (1, 2, Decimal("2.5"), 5, 10, 20, 25, 50, 100):
        step = magnitude * Decimal(factor)
        count = (largest / step).to_integral_value(rounding=ROUND_CEILING)
        if count <= most - 1:
            return [step * i for i in range(int(count) + 1)]
    step = largest
    return [Decimal(0), step]


def label_step(months: int) -> int:
    """Months between x labels: at most five 'Mar 2024' labels, or six year labels."""
    for step in (1, 2, 3, 6):
        if -(-months // step) <= 5:
            return step
    for years in (1, 2, 5, 10, 20, 50, 100):
        if -(-months // (12 * years)) <= 6:
            return 12 * years
    return 1200


def time_series(
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str],
    points: Sequence[MonthPoint],
    axis_text: Callable[[Decimal], str],
    month_text: Callable[[PartialDate, bool], str],
) -> Markup:
    """A line per series over every month from the first point to the last (a month with
    no aid is 0 there), a marker at each month that has aid, a y axis of round amounts and
    an x axis of months. Series are drawn on one scale and never stacked.

    The lines and month ticks are drawn in a nested SVG whose x unit is one month
    (``preserveAspectRatio="none"``, strokes that do not scale), so each series is one
    element however many months it spans; markers and labels sit in the outer SVG at the
    same x, as percentages."""
    parts = _open("aid-chart chart-time", chart_id, title, description, TS_HEIGHT)
    if not points:
        parts.append("</svg>")
        return Markup("".join(parts))
    first = month_index(points[0].month)
    last = month_index(points[-1].month)
    span = last - first
    by_index = {month_index(p.month): p for p in points}

    def offset(index: int) -> float:  # in months, in the nested SVG
        return 0.5 if span == 0 else float(index - first)

    def x(index: int) -> float:  # in percent of the outer SVG
        return X_LEFT + (X_RIGHT - X_LEFT) * offset(index) / (span or 1)

    ticks = nice_ticks(max(v for p in points for v in p.values))
    top = ticks[-1]
    bottom = TS_TOP + TS_PLOT

    def y(value: Decimal) -> float:
        return bottom - float(value / top) * TS_PLOT if top else bottom

    parts.append('<g class="axis y-grid">')
    for t in ticks:
        ty = y(t)
        parts.append(
            f'<line class="grid{" base" if t == 0 else ""}" x1="0" x2="100%" '
            f'y1="{ty:.1f}" y2="{ty:.1f}"></line>'
        )
    parts.append("</g>")
    step = label_step(last - first + 1)
    labelled = [
        i
        for i in range(first, last + 1)
        if ((month_of(i).month - 1) % step == 0 if step >= 12 else (i - first) % step == 0)
    ]
    minor = "".join(f"M{offset(i):g} {bottom}v3" for i in range(first, last + 1))
    major = "".join(f"M{offset(i):g} {bottom}v6" for i in labelled)
    parts.append(
        f'<svg class="plot" x="{_pct(X_LEFT)}" y="0" width="{_pct(X_RIGHT - X_LEFT)}" '
        f'height="{TS_HEIGHT}" viewBox="0 0 {span or 1} {TS_HEIGHT}" preserveAspectRatio="none" '
        f'overflow="visible"><path class="tick" d="{minor}{major}" '
        'vector-effect="non-scaling-stroke"></path>'
    )
    for k, name in enumerate(series):
        coords = " ".join(
            f"{offset(i):g},{y(by_index[i].values[k] if i in by_index else Decimal(0)):.1f}"
            for i in range(first, last + 1)
        )
        parts.append(
            f'<polyline class="series stage-{escape(name)}" points="{coords}" '
            'vector-effect="non-scaling-stroke"></polyline>'
        )
    parts.append('</svg><g class="axis x-axis">')
    for i in labelled:
        pos = x(i)
        anchor = "start" if pos < 8 else "end" if pos > 92 else "middle"
        parts.append(
            f'<text x="{_pct(pos)}" y="{bottom + 22}" text-anchor="{anchor}">'
            f"{escape(month_text(month_of(i), step >= 12))}</text>"
        )
    parts.append('</g><g class="points">')
    for p in points:
        i = month_index(p.month)
        for name, value in zip(series, p.values, strict=True):
            parts.append(
                f'<circle class="stage-{escape(name)}" cx="{_pct(x(i))}" cy="{y(value):.1f}" '
                f'r="3" data-month="{p.month.isoformat()}" data-value="{value}"></circle>'
            )
    # the y labels last, over the lines (CSS gives them a halo in the background colour)
    parts.append('</g><g class="axis y-axis">')
    for t in ticks:
        parts.append(f'<text x="0" y="{y(t) - 5:.1f}">{escape(axis_text(t))}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
