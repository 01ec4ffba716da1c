"""A figure: a titled table of numbers, the chart drawn from it, and its CSV.

The table's cells are formatted once (`Figure.text_rows`): the page's table and the CSV
download are the same text, so what a clerk reads is what Excel opens. Numbers carry a
dot decimal and no thousands separator, so spreadsheets read them as numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Cell", "Chart", "Figure", "format_cell", "percent", "to_csv"]

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Chart:
    """Which columns a figure's bar chart shows: one bar (or segment) per value column."""

    label_column: int
    value_columns: tuple[int, ...]
    stacked: bool = False  # segments of one bar (parts of a whole) instead of side by side
    percent: bool = False  # values are percentages: the axis runs to 100


@dataclass(frozen=True)
class Figure:
    """One figure of the page: `rows` hold raw values, in the order of `columns`."""

    name: str  # the CSV's file name and the JSON key: lowercase letters and dashes
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    chart: Chart | None = None
    note: str = ""  # how the figure is computed, or why it is missing
    problem: str = ""  # set when the data could not be read (shown instead of the figure)
    extra: dict[str, Cell] = field(default_factory=dict)  # summary values for the JSON API

    def text_rows(self) -> list[list[str]]:
        """The rows as shown in the table and written to the CSV."""
        return [[format_cell(cell) for cell in row] for row in self.rows]

    def as_json(self) -> dict[str, object]:
        """The figure for `GET /admin/api/figures` (raw values; dates as ISO text)."""
        return {
            "name": self.name,
            "title": self.title,
            "columns": list(self.columns),
            "rows": [[_json_cell(cell) for cell in row] for row in self.rows],
            "note": self.note,
            "problem": self.problem or None,
            **(
                {"summary": {k: _json_cell(v) for k, v in self.extra.items()}} if self.extra else {}
            ),
        }


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal; None when `whole` is 0 (no share to show)."""
    return round(100 * part / whole, 1) if whole else None


def format_cell(cell: Cell) -> str:
    """A cell as text: integers plain, other numbers with one decimal, dates dd/mm/yyyy."""
    if cell is None:
        return "–"
    if isinstance(cell, bool):
        return "có" if cell else "không"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return f"{cell:.1f}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    return cell


def _json_cell(cell: Cell) -> str | int | float | None:
    return cell.isoformat() if isinstance(cell, date) else cell


def to_csv(figure: Figure) -> bytes:
    """The figure's table as CSV: a header row, then the rows; UTF-8 with a BOM for Excel.

    Text cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading
    apostrophe: the names in the data come from citizens and the one-stop system.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figure.columns)
    for row, text in zip(figure.rows, figure.text_rows(), strict=True):
        writer.writerow(
            _defused(value) if isinstance(cell, str) else value
            for cell, value in zip(row, text, strict=True)
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _defused(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
