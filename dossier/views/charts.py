"""Static SVG bar charts: no JavaScript, titled and described for screen readers.

Each chart is drawn beside a table holding the same numbers, so the figure is a
convenience, never the only way to read the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 130
ROW = 26
BAR = 18
TOP = 8


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal
    text: str  # the value as a reader sees it, e.g. "$1.2 billion"


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart; lengths are proportional to ``value``, exact to 0.1 px."""
    height = TOP * 2 + ROW * max(len(bars), 1)
    largest = max((b.value for b in bars), default=Decimal(0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = _open("chart", chart_id, title, description, height)
    for n, b in enumerate(bars):
        y = TOP + n * ROW
        length = (b.value / largest * span) if largest else Decimal(0)
        width = f"{max(length, Decimal('0.5')):.1f}"
        parts.append(
            f'<g class="bar"><text x="{LABEL_WIDTH - 6}" y="{y + BAR - 4}" '
            f'text-anchor="end">{escape(_shorten(b.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}"></rect>'
            f'<text x="{LABEL_WIDTH + float(width) + 6:.1f}" y="{y + BAR - 4}">'
            f"{escape(b.text)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(classes: str, chart_id: str, title: str, description: str, height: int) -> list[str]:
    """An SVG's opening: an image named by its title and described for screen readers."""
    return [
        f'<svg class="{classes}" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _shorten(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


STAGE_BAR = 12
STAGE_ROW = 3 * (STAGE_BAR + 1) + 8


@dataclass(frozen=True, slots=True)
class StageBars:
    label: str
    bars: tuple[Bar, ...]  # one per stage, in stage order (Bar.label is the stage)


def stage_chart(chart_id: str, title: str, description: str, rows: Sequence[StageBars]) -> Markup:
    """Horizontal bars, one group per row and one bar per stage (pledged, committed,
    delivered) on one scale, side by side and never stacked: stages are not added."""
    height = TOP * 2 + STAGE_ROW * max(len(rows), 1)
    largest = max((b.value for r in rows for b in r.bars), default=Decimal(0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = _open("chart stages", chart_id, title, description, height)
    for n, row in enumerate(rows):
        top = TOP + n * STAGE_ROW
        parts.append(
            f'<g class="row"><text class="label" x="{LABEL_WIDTH - 6}" '
            f'y="{top + 2 * STAGE_BAR}" text-anchor="end">{escape(_shorten(row.label))}</text>'
        )
        for k, b in enumerate(row.bars):
            y = top + k * (STAGE_BAR + 1)
            length = (b.value / largest * span) if largest else Decimal(0)
            width = f"{max(length, Decimal('0.5')):.1f}"
            parts.append(
                f'<rect class="stage-{escape(b.label)}" x="{LABEL_WIDTH}" y="{y}" '
                f'width="{width}" height="{STAGE_BAR}"><title>{escape(b.label)}: '
                f"{escape(b.text)}</title></rect>"
            )
            if b.value:  # nothing reached that stage: no figure to read
                parts.append(
                    f'<text class="value" x="{LABEL_WIDTH + float(width) + 4:.1f}" '
                    f'y="{y + STAGE_BAR - 1}">{escape(b.text)}</text>'
                )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
