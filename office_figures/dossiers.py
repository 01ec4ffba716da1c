"""Figures from the one-stop system's dossiers: on-time rate, overdue list, online share.

Pure functions over `status_client.models.Dossier`s; `now` is passed in.

- On time (đúng hạn): the result was ready (NgayKetThucXuLy) by the due date. Late: ready
  after it, or not ready yet and already past it (trễ hạn, `Dossier.is_overdue`): a
  backlog of late dossiers must lower the rate, not wait until they are finished. The
  rate is on time / (on time + late); dossiers still within their time, refused or
  withdrawn do not count. The clock is not paused while the office waits for a
  citizen's documents: the one-stop record does not say for how long it waited.
- Overdue list: open, past due; how late in working days (`workdays`); the applicant
  masked to initials (`dossier_lookup.privacy.mask_name`), never the name or phone.
- Filing channel (KenhThucHien): online / in person / by post, per procedure and per
  month of submission; records without it count as "không rõ".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from dossier_lookup.privacy import mask_name
from office_figures.table import Cell, Chart, Figure, percent
from status_client.models import VIETNAM_TZ, Dossier, DossierStatus, FilingChannel
from workdays import working_days_between

__all__ = [
    "STATUS_NAMES",
    "dossier_figures",
    "online_by_month",
    "online_by_procedure",
    "on_time_by_procedure",
    "overdue_list",
]

STATUS_NAMES = {
    DossierStatus.RECEIVING: "Mới đăng ký",
    DossierStatus.NEW: "Đã tiếp nhận",
    DossierStatus.DENIED: "Không được tiếp nhận",
    DossierStatus.PROCESSING: "Đang xử lý",
    DossierStatus.WAITING: "Chờ bổ sung",
    DossierStatus.PAYING: "Chờ thực hiện nghĩa vụ tài chính",
    DossierStatus.CANCELLED: "Đã rút",
    DossierStatus.UNRESOLVED: "Dừng xử lý",
    DossierStatus.RELEASING: "Có kết quả, chờ trả",
    DossierStatus.DONE: "Đã trả kết quả",
}
ALL_PROCEDURES = "Tất cả thủ tục"
_CHANNEL_ORDER = (FilingChannel.ONLINE, FilingChannel.IN_PERSON, FilingChannel.POST, None)
_CHANNEL_COLUMNS = ("Trực tuyến", "Trực tiếp", "Bưu chính", "Không rõ")


def dossier_figures(dossiers: Sequence[Dossier], now: datetime) -> list[Figure]:
    """Every figure drawn from the dossiers, in the page's order."""
    return [
        on_time_by_procedure(dossiers, now),
        overdue_list(dossiers, now),
        online_by_procedure(dossiers),
        online_by_month(dossiers),
    ]


def _timeliness(dossier: Dossier, now: datetime) -> str | None:
    """ "on_time", "late", "open_late" or None (not counted)."""
    if dossier.due_at is None:
        return None
    if dossier.finished_at is not None:
        return "on_time" if dossier.finished_at <= dossier.due_at else "late"
    return "open_late" if dossier.is_overdue(now) else None


def on_time_by_procedure(dossiers: Iterable[Dossier], now: datetime) -> Figure:
    """On-time rate per procedure, the whole office first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for dossier in dossiers:
        verdict = _timeliness(dossier, now)
        if verdict is not None:
            counts[dossier.procedure_code][verdict] += 1
            names.setdefault(dossier.procedure_code, dossier.procedure_name)
    total: Counter[str] = sum(counts.values(), Counter())
    rows = [_on_time_row("", ALL_PROCEDURES, total)]
    rows += [
        _on_time_row(code, names[code], counts[code])
        for code in sorted(counts, key=lambda code: (names[code], code))
    ]
    return Figure(
        name="dung-han",
        title="Tỷ lệ giải quyết đúng hạn theo thủ tục",
        columns=(
            "Mã thủ tục",
            "Thủ tục",
            "Đúng hạn",
            "Trễ hạn (đã có kết quả)",
            "Đang quá hạn",
            "Tỷ lệ đúng hạn (%)",
        ),  # fmt: skip
        rows=rows,
        chart=Chart(label_column=1, value_columns=(5,), percent=True),
        note=(
            "Đúng hạn: có kết quả không muộn hơn ngày hẹn trả. Hồ sơ chưa có kết quả mà đã"
            " quá ngày hẹn trả được tính là trễ hạn. Hồ sơ còn trong hạn, bị từ chối hoặc"
            " đã rút không được tính."
        ),
        extra={"on_time_rate": rows[0][5], "overdue_open": total["open_late"]},
    )


def _on_time_row(code: str, name: str, counts: Counter[str]) -> tuple[Cell, ...]:
    late = counts["late"] + counts["open_late"]
    rate = percent(counts["on_time"], counts["on_time"] + late)
    return (code, name, counts["on_time"], counts["late"], counts["open_late"], rate)


def overdue_list(dossiers: Iterable[Dossier], now: datetime) -> Figure:
    """Open dossiers past their due date, the latest first; applicants masked."""
    today = now.astimezone(VIETNAM_TZ).date()
    rows: list[tuple[Cell, ...]] = []
    for dossier in dossiers:
        if dossier.due_at is None or not dossier.is_overdue(now):
            continue
        due = dossier.due_at.astimezone(VIETNAM_TZ).date()
        rows.append(
            (
                dossier.code,
                dossier.procedure_name,
                STATUS_NAMES[dossier.status],
                due,
                working_days_between(due, today),
                mask_name(dossier.applicant_name),
                dossier.handling_unit,
            )
        )
    rows.sort(key=lambda row: (row[3], row[0]))
    return Figure(
        name="qua-han",
        title="Hồ sơ đang quá hạn",
        columns=(
            "Mã hồ sơ",
            "Thủ tục",
            "Trạng thái",
            "Ngày hẹn trả",
            "Số ngày làm việc quá hạn",
            "Người nộp",
            "Đơn vị xử lý",
        ),  # fmt: skip
        rows=rows,
        note=(
            "Hồ sơ chưa có kết quả mà đã quá ngày hẹn trả, quá hạn lâu nhất trước. Tên người"
            " nộp chỉ hiện chữ cái đầu. 0 ngày: quá hạn trong hôm nay."
        ),
        extra={"count": len(rows)},
    )


def _channel_row(label: Cell, counts: Counter[FilingChannel | None]) -> tuple[Cell, ...]:
    known = sum(counts[channel] for channel in _CHANNEL_ORDER if channel is not None)
    share = percent(counts[FilingChannel.ONLINE], known)
    return (label, *(counts[channel] for channel in _CHANNEL_ORDER), share)


def _share_figure(name: str, title: str, label: str, rows: list[tuple[Cell, ...]]) -> Figure:
    """A filing-channel figure: a label column, the four channels, the online share."""
    return Figure(
        name=name,
        title=title,
        columns=(label, *_CHANNEL_COLUMNS, "Tỷ lệ trực tuyến (%)"),
        rows=rows,
        chart=Chart(label_column=0, value_columns=(5,), percent=True),
        note=(
            "Theo kênh nộp hồ sơ mà hệ thống một cửa ghi nhận. Tỷ lệ trực tuyến tính trên các"
            " hồ sơ biết kênh nộp."
        ),
    )


def online_by_procedure(dossiers: Iterable[Dossier]) -> Figure:
    """Dossiers by filing channel per procedure, the whole office first."""
    counts: dict[str, Counter[FilingChannel | None]] = defaultdict(Counter)
    for dossier in dossiers:
        counts[dossier.procedure_name][dossier.channel] += 1
    total: Counter[FilingChannel | None] = sum(counts.values(), Counter())
    rows = [_channel_row(ALL_PROCEDURES, total)]
    rows += [_channel_row(name, counts[name]) for name in sorted(counts)]
    figure = _share_figure(
        "truc-tuyen-theo-thu-tuc", "Tỷ lệ hồ sơ nộp trực tuyến theo thủ tục", "Thủ tục", rows
    )
    figure.extra["online_share"] = rows[0][5]
    return figure


def online_by_month(dossiers: Iterable[Dossier]) -> Figure:
    """Dossiers by filing channel per month of submission (Vietnam time), oldest first."""
    counts: dict[tuple[int, int], Counter[FilingChannel | None]] = defaultdict(Counter)
    for dossier in dossiers:
        filed = dossier.submitted_at or dossier.received_at
        if filed is not None:
            local = filed.astimezone(VIETNAM_TZ)
            counts[(local.year, local.month)][dossier.channel] += 1
    rows = [
        _channel_row(f"{month:02d}/{year}", counts[(year, month)]) for year, month in sorted(counts)
    ]
    return _share_figure(
        "truc-tuyen-theo-thang", "Tỷ lệ hồ sơ nộp trực tuyến theo tháng", "Tháng", rows
    )
