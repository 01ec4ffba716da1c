"""Figures from the notifier's tables: messages per channel, and the satisfaction survey.

Both are computed in the database (one grouped query each), over the rows created (or
surveys asked) since the start of the period.

Held by quiet hours: a non-urgent SMS queued inside the quiet window (`QUIET_HOURS`, in
the office's time zone) waits in the outbox until the window ends (`notifier.dispatcher`);
the figure counts those rows, whether they have gone out since or not. The outbox keeps
no other trace of a hold.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Integer, case, cast, extract, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from notifier.models import ChannelName, OutboxMessage, OutboxState, SurveyRequest
from notifier.quiet_hours import QuietHours
from office_figures.questions import CHANNEL_NAMES
from office_figures.table import Cell, Chart, Figure, percent

__all__ = ["notifications_by_channel", "satisfaction"]

RATING_NAMES = {
    5: "5 – Rất hài lòng",
    4: "4 – Hài lòng",
    3: "3 – Bình thường",
    2: "2 – Không hài lòng",
    1: "1 – Rất không hài lòng",
}


def _utc_minute(local: time, quiet: QuietHours, on: datetime) -> int:
    """`local` (in the quiet hours' zone, on the day of `on`) as a UTC minute of the day."""
    moment = datetime.combine(on.date(), local, quiet.zone).astimezone(UTC)
    return moment.hour * 60 + moment.minute


def _created_in_quiet_hours(quiet: QuietHours, now: datetime) -> ColumnElement[bool] | None:
    """Whether a row's `created_at` (stored as UTC) fell inside the window; None: no window.

    The window is turned into UTC minutes of the day with the zone's offset at `now`
    (Vietnam keeps one offset all year).
    """
    if quiet.start is None or quiet.end is None:
        return None
    column = OutboxMessage.created_at
    minute = cast(extract("hour", column), Integer) * 60 + cast(extract("minute", column), Integer)
    start, end = _utc_minute(quiet.start, quiet, now), _utc_minute(quiet.end, quiet, now)
    if start < end:
        return (minute >= start) & (minute < end)
    return (minute >= start) | (minute < end)


def notifications_by_channel(
    session: Session, *, since: datetime, quiet: QuietHours, now: datetime
) -> Figure:
    """Messages queued since `since`, per channel: sent, failed, held by quiet hours, waiting."""
    row = OutboxMessage
    held_when = _created_in_quiet_hours(quiet, now)
    held = (
        func.sum(case(((row.channel == ChannelName.SMS) & ~row.urgent & held_when, 1), else_=0))
        if held_when is not None
        else func.sum(0)
    )
    query = (
        select(
            row.channel,
            func.sum(case((row.state == OutboxState.SENT, 1), else_=0)),
            func.sum(case((row.state == OutboxState.FAILED, 1), else_=0)),
            held,
            func.sum(case((row.state.in_((OutboxState.PENDING, OutboxState.SENDING)), 1), else_=0)),
            func.sum(case((row.state == OutboxState.SUPPRESSED, 1), else_=0)),
        )
        .where(row.created_at >= since)
        .group_by(row.channel)
    )
    found = {
        str(channel): [int(value or 0) for value in values]
        for channel, *values in session.execute(query)
    }
    rows: list[tuple[Cell, ...]] = [
        (CHANNEL_NAMES.get(channel, channel), *found.get(channel, [0] * 5))
        for channel in [*CHANNEL_NAMES, *sorted(set(found) - set(CHANNEL_NAMES))]
    ]
    return Figure(
        name="thong-bao",
        title="Thông báo gửi công dân, theo kênh",
        columns=(
            "Kênh",
            "Đã gửi",
            "Thất bại",
            "Giữ lại do giờ yên lặng",
            "Đang chờ gửi",
            "Không gửi (đã từ chối nhận)",
        ),  # fmt: skip
        rows=rows,
        chart=Chart(label_column=0, value_columns=(1, 2, 3)),
        note=(
            "Tin nhắn đưa vào hàng đợi trong kỳ. Giữ lại do giờ yên lặng: tin SMS không khẩn"
            " tạo ra trong giờ yên lặng, được gửi khi giờ yên lặng kết thúc."
        ),
    )


def satisfaction(session: Session, *, since: datetime) -> Figure:
    """Survey answers since `since` by rating, the average and the response rate."""
    answered = session.execute(
        select(SurveyRequest.rating, func.count())
        .where(SurveyRequest.rating.is_not(None), SurveyRequest.answered_at >= since)
        .group_by(SurveyRequest.rating)
    )
    by_rating = {int(rating): int(count) for rating, count in answered}
    asked = int(session.scalar(select(func.count()).where(SurveyRequest.asked_at >= since)) or 0)
    answers = sum(by_rating.values())
    average = round(sum(r * n for r, n in by_rating.items()) / answers, 2) if answers else None
    rows: list[tuple[Cell, ...]] = [
        (name, by_rating.get(rating, 0), percent(by_rating.get(rating, 0), answers))
        for rating, name in RATING_NAMES.items()
    ]
    answered_of_asked = session.scalar(
        select(func.count()).where(
            SurveyRequest.asked_at >= since, SurveyRequest.rating.is_not(None)
        )
    )
    response_rate = percent(int(answered_of_asked or 0), asked)
    summary = (
        f"Điểm trung bình {average:.2f}/5 từ {answers} phiếu." if average is not None
        else "Chưa có phiếu trả lời trong kỳ."
    )  # fmt: skip
    if response_rate is not None:
        summary += f" {response_rate:.1f}% trong {asked} câu hỏi đã gửi trong kỳ được trả lời."
    return Figure(
        name="hai-long",
        title="Mức độ hài lòng của công dân (khảo sát sau khi trả kết quả)",
        columns=("Mức đánh giá", "Số phiếu", "Tỷ lệ (%)"),
        rows=rows,
        chart=Chart(label_column=0, value_columns=(1,)),
        note=summary,
        extra={
            "average": average,
            "answers": answers,
            "asked": asked,
            "response_rate": response_rate,
        },
    )


def period_start(now: datetime, days: int) -> datetime:
    """The start of a period of `days` days ending at `now`."""
    return now - timedelta(days=days)
