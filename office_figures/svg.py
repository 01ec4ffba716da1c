"""Horizontal bar charts as inline SVG, drawn on the server (no JavaScript).

One row per table row: its label on the left, its bar (or bars side by side, or the
segments of one bar when `Chart.stacked`) on the right, the value after the bar. Text
from the data is escaped; a long label is shortened on the chart and given whole in a
tooltip (`<title>`) and in the table beside it.
"""

from __future__ import annotations

from html import escape

from office_figures.table import Chart, Figure, format_cell

__all__ = ["PALETTE", "render_chart"]

# Colour-blind-safe (Okabe–Ito), dark enough for white gaps and black text beside them.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_WIDTH = 560
_LABEL_WIDTH = 200
_BAR_AREA = 300
_BAR = 16
_GAP = 8
_LEGEND = 26
_LABEL_CHARS = 28


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def render_chart(figure: Figure) -> str:
    """The figure's chart as an `<svg>` element, or "" when it has none (or no rows)."""
    chart = figure.chart
    if chart is None or not figure.rows:
        return ""
    values = [[_number(row[column]) for column in chart.value_columns] for row in figure.rows]
    largest = max((sum(v) if chart.stacked else max(v, default=0.0)) for v in values)
    scale = 100.0 if chart.percent else (largest or 1.0)
    bars_per_row = 1 if chart.stacked else len(chart.value_columns)
    row_height = bars_per_row * _BAR + _GAP
    legend = _LEGEND if len(chart.value_columns) > 1 else 0
    height = legend + len(figure.rows) * row_height + _GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_WIDTH} {height}"'
        f' width="100%" role="img" aria-label="{escape(figure.title)}"'
        ' font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(figure.title)}</title>",
    ]
    if legend:
        parts += _legend(figure, chart)
    for index, row in enumerate(figure.rows):
        top = legend + index * row_height + _GAP // 2
        label = format_cell(row[chart.label_column])
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{top + bars_per_row * _BAR / 2 + 4:.0f}"'
            f' text-anchor="end"><title>{escape(label)}</title>{escape(_short(label))}</text>'
        )
        parts += _bars(figure, chart, row, values[index], top, scale)
    parts.append("</svg>")
    return "".join(parts)


def _legend(figure: Figure, chart: Chart) -> list[str]:
    parts, x = [], _LABEL_WIDTH
    for series, column in enumerate(chart.value_columns):
        name = figure.columns[column]
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[series % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="16">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts


def _bars(
    figure: Figure,
    chart: Chart,
    row: tuple[object, ...],
    values: list[float],
    top: int,
    scale: float,
) -> list[str]:
    parts: list[str] = []
    x = float(_LABEL_WIDTH)
    for series, (column, value) in enumerate(zip(chart.value_columns, values, strict=True)):
        width = max(0.0, min(1.0, value / scale)) * _BAR_AREA
        y = top if chart.stacked else top + series * _BAR
        left = x if chart.stacked else float(_LABEL_WIDTH)
        text = f"{figure.columns[column]}: {format_cell(row[column])}"  # type: ignore[arg-type]
        parts.append(
            f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{_BAR - 2}"'
            f' fill="{PALETTE[series % len(PALETTE)]}"><title>{escape(text)}</title></rect>'
        )
        if chart.stacked:
            x += width
        else:
            parts.append(_value_text(left + width + 4, y, format_cell(row[column])))  # type: ignore[arg-type]
    if chart.stacked:
        total = float(sum(values))
        parts.append(
            _value_text(x + 4, top, format_cell(int(total) if total.is_integer() else total))
        )
    return parts


def _value_text(x: float, y: int, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y + _BAR - 4}">{escape(text)}</text>'
