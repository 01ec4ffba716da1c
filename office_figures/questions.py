"""Questions per day and channel: counted in memory by the gateway, written in batches.

The gateway's turn runner calls `QuestionCounter.note` once per answered turn: a
dictionary increment, no I/O, so the chat's latency does not move. `run_flusher` adds
the counts to the `question_tally` table every `FLUSH_SECONDS` and once more at
shut-down, in one statement per batch (an upsert that adds). A flush that fails keeps
its counts for the next one; a crash loses at most the last few seconds of counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from office_figures.models import QuestionTally
from office_figures.table import Cell, Chart, Figure, percent
from status_client.models import VIETNAM_TZ

__all__ = [
    "CHANNEL_NAMES",
    "FLUSH_SECONDS",
    "QuestionCounter",
    "add_counts",
    "questions_by_channel",
    "question_flusher",
    "questions_by_day",
    "run_flusher",
]

FLUSH_SECONDS = 10.0
CHANNEL_NAMES = {"webchat": "Web", "sms": "SMS", "telegram": "Telegram", "zalo": "Zalo"}
_KINDS = ("questions", "fallbacks", "failures")
Key = tuple[date, str, str]  # day, channel, kind

log = logging.getLogger("office_figures.questions")


class QuestionCounter:
    """Counts since the last flush, keyed by (Vietnam day, channel, kind)."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(VIETNAM_TZ))
        self._counts: Counter[Key] = Counter()
        self.failing = False  # the last flush failed

    def note(self, channel: str, *, fallback: bool = False, failed: bool = False) -> None:
        """Count one question on `channel`: understood, a fallback, or unanswered (Rasa down)."""
        day = self._clock().astimezone(VIETNAM_TZ).date()
        counts = self._counts
        counts[(day, channel, "questions")] += 1
        if fallback:
            counts[(day, channel, "fallbacks")] += 1
        if failed:
            counts[(day, channel, "failures")] += 1

    def take(self) -> Counter[Key]:
        """The counts so far; the counter starts again from zero."""
        taken, self._counts = self._counts, Counter()
        return taken

    def give_back(self, counts: Counter[Key]) -> None:
        """Counts a flush could not write: they go out with the next one."""
        self._counts.update(counts)


def add_counts(session: Session, counts: Counter[Key]) -> int:
    """Add `counts` to `question_tally` (one upsert statement); how many rows it touched."""
    rows: dict[tuple[date, str], dict[str, object]] = {}
    for (day, channel, kind), count in counts.items():
        row = rows.setdefault(
            # str(): the turn's channel is a `ChannelName`; the column holds its value.
            (day, channel),
            {"day": day, "channel": str(channel), **dict.fromkeys(_KINDS, 0)},
        )
        row[kind] = count
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(QuestionTally).values(list(rows.values()))
    table = QuestionTally.__table__
    statement = statement.on_conflict_do_update(
        index_elements=["day", "channel"],
        set_={kind: table.c[kind] + statement.excluded[kind] for kind in _KINDS},
    )
    session.execute(statement)
    return len(rows)


async def flush(counter: QuestionCounter, sessions: Callable[[], Session]) -> None:
    """Write what `counter` holds; on an error keep it for the next flush.

    The first failure in a row is logged as a warning, the rest at debug level (a
    database down for an hour must not write 360 warnings); the recovery is logged too.
    """
    counts = counter.take()
    if not counts:
        return

    def write() -> None:
        with sessions() as session, session.begin():
            add_counts(session, counts)

    try:
        await asyncio.to_thread(write)
    except Exception as error:  # noqa: BLE001 - the flusher must outlive one bad batch
        counter.give_back(counts)
        level = logging.DEBUG if counter.failing else logging.WARNING
        counter.failing = True
        log.log(level, "question counts not written (kept for the next flush): %s", error)
        return
    if counter.failing:
        counter.failing = False
        log.info("question counts written again")


@contextlib.asynccontextmanager
async def question_flusher(
    counter: QuestionCounter, sessions: Callable[[], Session], every: float = FLUSH_SECONDS
) -> AsyncIterator[asyncio.Task[None]]:
    """Inside: `run_flusher` runs; on the way out it writes the last counts and ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_flusher(counter, sessions, stop, every), name="questions")
    try:
        yield task
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except TimeoutError:
            log.warning("question counts not written at shut-down: the database did not answer")


async def run_flusher(
    counter: QuestionCounter,
    sessions: Callable[[], Session],
    stop: asyncio.Event,
    every: float = FLUSH_SECONDS,
) -> None:
    """Flush every `every` seconds until `stop` is set, then once more."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        await flush(counter, sessions)
    await flush(counter, sessions)  # what was noted during the last write


def _rows_since(session: Session, since: date) -> list[tuple[date, str, int, int, int]]:
    query = (
        select(
            QuestionTally.day,
            QuestionTally.channel,
            func.sum(QuestionTally.questions),
            func.sum(QuestionTally.fallbacks),
            func.sum(QuestionTally.failures),
        )
        .where(QuestionTally.day >= since)
        .group_by(QuestionTally.day, QuestionTally.channel)
        .order_by(QuestionTally.day, QuestionTally.channel)
    )
    return [
        (day, channel, int(q), int(f), int(x)) for day, channel, q, f, x in session.execute(query)
    ]


_NOTE = (
    "Mỗi tin nhắn công dân gửi là một câu hỏi. Không hiểu: trợ lý không nhận ra ý định"
    " (nlu_fallback). Lỗi: trợ lý không trả lời được vì hệ thống gặp sự cố. Số liệu ghi"
    " theo lô khoảng 10 giây một lần."
)


def questions_by_day(session: Session, since: date) -> Figure:
    """Questions per day (Vietnam time), a column per channel, and the day's fallback share."""
    by_day: dict[date, Counter[str]] = {}
    for day, channel, questions, fallbacks, _ in _rows_since(session, since):
        counts = by_day.setdefault(day, Counter())
        counts[channel] += questions
        counts["total"] += questions
        counts["fallbacks"] += fallbacks
    channels = list(CHANNEL_NAMES)
    rows: list[tuple[Cell, ...]] = [
        (
            day,
            *(counts[channel] for channel in channels),
            counts["total"],
            counts["fallbacks"],
            percent(counts["fallbacks"], counts["total"]),
        )
        for day, counts in sorted(by_day.items())
    ]
    return Figure(
        name="cau-hoi-theo-ngay",
        title="Câu hỏi theo ngày và kênh",
        columns=("Ngày", *CHANNEL_NAMES.values(), "Tổng", "Không hiểu", "Tỷ lệ không hiểu (%)"),
        rows=rows,
        chart=Chart(label_column=0, value_columns=tuple(range(1, 1 + len(channels))), stacked=True),
        note=_NOTE,
    )


def questions_by_channel(session: Session, since: date) -> Figure:
    """Questions, fallbacks and failures per channel over the period."""
    totals: dict[str, Counter[str]] = {channel: Counter() for channel in CHANNEL_NAMES}
    for _, channel, questions, fallbacks, failures in _rows_since(session, since):
        counts = totals.setdefault(channel, Counter())
        counts.update(questions=questions, fallbacks=fallbacks, failures=failures)
    rows: list[tuple[Cell, ...]] = [
        (
            CHANNEL_NAMES.get(channel, channel),
            counts["questions"],
            counts["fallbacks"],
            counts["failures"],
            percent(counts["fallbacks"], counts["questions"]),
        )
        for channel, counts in totals.items()
    ]
    return Figure(
        name="cau-hoi-theo-kenh",
        title="Tỷ lệ câu hỏi trợ lý không hiểu, theo kênh",
        columns=("Kênh", "Câu hỏi", "Không hiểu", "Lỗi", "Tỷ lệ không hiểu (%)"),
        rows=rows,
        chart=Chart(label_column=0, value_columns=(4,), percent=True),
        note=_NOTE,
    )
