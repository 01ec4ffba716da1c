"""A figure's CSV (what Excel opens) and its SVG chart (what a clerk sees)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from office_figures.svg import render_chart
from office_figures.table import Chart, Figure, to_csv

FIGURE = Figure(
    name="vi-du",
    title="Ví dụ <b>đậm</b>",
    columns=("Thủ tục", "Đúng hạn", "Tỷ lệ (%)", "Ngày"),
    rows=[
        ("Đăng ký khai sinh", 12, 92.31, date(2026, 11, 2)),
        ("<script>alert(1)</script>", 0, None, None),
        ('=HYPERLINK("http://x")', 3, 100.0, date(2026, 1, 31)),
    ],
    chart=Chart(label_column=0, value_columns=(2,), percent=True),
)


def test_csv_is_the_table_with_a_header_and_a_bom() -> None:
    data = to_csv(FIGURE)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(FIGURE.columns)
    assert rows[1] == ["Đăng ký khai sinh", "12", "92.3", "02/11/2026"]
    assert rows[2] == ["<script>alert(1)</script>", "0", "–", "–"]
    # A citizen-made text must not run as a formula in the clerk's spreadsheet.
    assert rows[3][0] == '\'=HYPERLINK("http://x")'
    assert [row[1:] for row in rows[1:]] == [row[1:] for row in FIGURE.text_rows()]


def test_json_keeps_raw_numbers_and_iso_dates() -> None:
    rows = FIGURE.as_json()["rows"]
    assert isinstance(rows, list)
    assert rows[0] == ["Đăng ký khai sinh", 12, 92.31, "2026-11-02"]
    assert rows[1][2] is None


def test_chart_draws_one_bar_per_row_scaled_to_100_percent() -> None:
    svg = render_chart(FIGURE)
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    assert len(widths) == 3
    assert widths[1] == 0.0 and widths[2] == 300.0  # 100 % fills the bar area
    assert abs(widths[0] - 0.9231 * 300) < 0.1
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg  # the title is escaped too


def test_stacked_chart_segments_add_up_and_show_the_total() -> None:
    figure = Figure(
        name="x",
        title="Câu hỏi",
        columns=("Ngày", "Web", "SMS"),
        rows=[(date(2026, 11, 1), 30, 10), (date(2026, 11, 2), 0, 0)],
        chart=Chart(label_column=0, value_columns=(1, 2), stacked=True),
    )
    svg = render_chart(figure)
    bars = re.findall(r'<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="14"', svg)
    first_day = [(float(x), float(w)) for x, y, w in bars[:2]]
    assert first_day == [(200.0, 225.0), (425.0, 75.0)]  # side by side, largest day full
    assert ">40<" in svg and "01/11/2026" in svg
    assert "Web" in svg and "SMS" in svg  # the legend


def test_a_figure_without_rows_or_chart_draws_nothing() -> None:
    assert render_chart(Figure("x", "t", ("a",), [])) == ""
    assert render_chart(Figure("x", "t", ("a",), [("b",)])) == ""


def test_long_labels_are_shortened_on_the_chart_but_kept_in_the_tooltip() -> None:
    name = "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở lần đầu"
    figure = Figure("x", "t", ("Thủ tục", "n"), [(name, 1)], Chart(0, (1,)))
    svg = render_chart(figure)
    assert f"<title>{name}</title>" in svg and "…</text>" in svg
