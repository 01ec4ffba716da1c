"""Figures computed in the database (SQLite and PostgreSQL): notifications, survey, questions."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from db import make_session_factory
from notifier.models import ChannelName, OutboxMessage, OutboxState, SurveyRequest
from notifier.quiet_hours import QuietHours
from office_figures.models import QuestionTally
from office_figures.notices import notifications_by_channel, satisfaction
from office_figures.questions import (
    QuestionCounter,
    add_counts,
    questions_by_channel,
    questions_by_day,
    run_flusher,
)
from status_client.models import VIETNAM_TZ

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
QUIET = QuietHours.parse("21:00-07:00")
_ids = itertools.count()


def outbox(
    channel: ChannelName, state: OutboxState, local: str, *, urgent: bool = False
) -> OutboxMessage:
    """A row queued at `local` (Vietnam time, "2026-11-24T22:30")."""
    created = datetime.fromisoformat(local).replace(tzinfo=VIETNAM_TZ)
    n = next(_ids)
    return OutboxMessage(
        idempotency_key=f"figures-{n}",
        channel=channel,
        address=f"+8490000{n:04d}",
        recipient_key=f"{channel}:+8490000{n:04d}",
        body="Hồ sơ của bạn đã có kết quả",
        state=state,
        urgent=urgent,
        available_at=created,
        created_at=created,
    )


def test_notifications_per_channel_with_quiet_hours_holds(session: Session) -> None:
    sms, telegram = ChannelName.SMS, ChannelName.TELEGRAM
    session.add_all(
        [
            outbox(sms, OutboxState.SENT, "2026-11-24T10:00"),
            outbox(sms, OutboxState.SENT, "2026-11-24T22:30"),  # held overnight, sent since
            outbox(sms, OutboxState.SENT, "2026-11-25T06:59"),  # held: last minute of the window
            outbox(sms, OutboxState.SENT, "2026-11-25T07:00"),  # not held: the window is over
            outbox(sms, OutboxState.PENDING, "2026-11-24T21:00", urgent=True),  # urgent: not held
            outbox(sms, OutboxState.FAILED, "2026-11-24T11:00"),
            outbox(sms, OutboxState.SUPPRESSED, "2026-11-24T12:00"),
            outbox(telegram, OutboxState.SENT, "2026-11-24T23:00"),  # chat: no quiet hours
            outbox(telegram, OutboxState.SENDING, "2026-11-25T09:00"),
            outbox(sms, OutboxState.SENT, "2026-10-01T22:00"),  # before the period
        ]
    )
    session.flush()
    figure = notifications_by_channel(session, since=NOW - timedelta(days=30), quiet=QUIET, now=NOW)
    rows = {row[0]: row[1:] for row in figure.rows}
    # sent, failed, held by quiet hours, waiting, not sent (opted out)
    assert rows["SMS"] == (4, 1, 2, 1, 1)
    assert rows["Telegram"] == (1, 0, 0, 1, 0)
    assert rows["Web"] == rows["Zalo"] == (0, 0, 0, 0, 0)
    no_quiet = notifications_by_channel(
        session, since=NOW - timedelta(days=30), quiet=QuietHours.parse(""), now=NOW
    )
    assert {row[0]: row[3] for row in no_quiet.rows}["SMS"] == 0


def test_satisfaction_counts_each_rating_average_and_response_rate(session: Session) -> None:
    asked = NOW - timedelta(days=3)
    ratings = [5, 5, 4, 1, None, None]  # two questions not answered
    session.add_all(
        SurveyRequest(
            dossier_code=f"SURVEY-{i}",
            channel=ChannelName.SMS,
            address="",
            asked_at=asked,
            rating=rating,
            answered_at=asked + timedelta(hours=1) if rating else None,
        )
        for i, rating in enumerate(ratings)
    )
    session.add(  # answered long ago: outside the period
        SurveyRequest(dossier_code="SURVEY-OLD", channel=ChannelName.SMS, address="",
                      asked_at=NOW - timedelta(days=90), rating=1,
                      answered_at=NOW - timedelta(days=89))
    )  # fmt: skip
    session.flush()
    figure = satisfaction(session, since=NOW - timedelta(days=30))
    assert [row[1] for row in figure.rows] == [2, 1, 0, 0, 1]  # 5, 4, 3, 2, 1 stars
    assert figure.rows[0][2] == 50.0
    assert figure.extra == {"average": 3.75, "answers": 4, "asked": 6, "response_rate": 66.7}
    assert "3.75/5" in figure.note and "66.7%" in figure.note


def test_counts_are_added_not_replaced(session: Session) -> None:
    day = date(2026, 11, 24)
    add_counts(session, {(day, "sms", "questions"): 3, (day, "sms", "fallbacks"): 1})  # type: ignore[arg-type]
    add_counts(session, {(day, ChannelName.SMS, "questions"): 2, (day, "webchat", "questions"): 5})  # type: ignore[arg-type]
    rows = session.execute(
        select(QuestionTally.channel, QuestionTally.questions, QuestionTally.fallbacks)
        .where(QuestionTally.day == day)
        .order_by(QuestionTally.channel)
    ).all()
    assert [tuple(row) for row in rows] == [("sms", 5, 1), ("webchat", 5, 0)]


def test_questions_per_day_and_channel(session: Session) -> None:
    # Only this test's counts (rolled back with it): gateways of other tests on the shared
    # PostgreSQL database leave today's.
    session.execute(delete(QuestionTally))
    counter = QuestionCounter(clock=lambda: datetime(2026, 11, 23, 16, 59, tzinfo=UTC))  # 23:59
    counter.note("webchat")
    counter.note("webchat", fallback=True)
    counter.note("sms", failed=True)
    add_counts(session, counter.take())
    counter = QuestionCounter(clock=lambda: datetime(2026, 11, 23, 17, 0, tzinfo=UTC))  # 24th
    for _ in range(3):
        counter.note("telegram", fallback=True)
    counter.note("zalo")
    add_counts(session, counter.take())
    add_counts(session, {(date(2026, 9, 1), "sms", "questions"): 9})  # type: ignore[arg-type]
    by_day = questions_by_day(session, date(2026, 11, 1))
    # day, Web, SMS, Telegram, Zalo, total, not understood, share
    assert by_day.rows == [
        (date(2026, 11, 23), 2, 1, 0, 0, 3, 1, 33.3),
        (date(2026, 11, 24), 0, 0, 3, 1, 4, 3, 75.0),
    ]
    by_channel = {row[0]: row[1:] for row in questions_by_channel(session, date(2026, 11, 1)).rows}
    assert by_channel == {
        "Web": (2, 1, 0, 50.0),
        "SMS": (1, 0, 1, 0.0),
        "Telegram": (3, 3, 0, 100.0),
        "Zalo": (1, 0, 0, 0.0),
    }


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Committing sessions; the tally is emptied before and after."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        session.execute(delete(QuestionTally))
    yield factory
    with factory.begin() as session:
        session.execute(delete(QuestionTally))


async def test_the_flusher_writes_every_few_seconds_and_once_more_at_stop(
    sessions: sessionmaker[Session],
) -> None:
    counter, stop = QuestionCounter(), asyncio.Event()
    task = asyncio.create_task(run_flusher(counter, sessions, stop, every=0.05))
    counter.note("webchat")
    await asyncio.sleep(0.3)
    with sessions() as session:
        assert session.scalar(select(QuestionTally.questions)) == 1
    counter.note("webchat")
    counter.note("webchat", fallback=True)
    stop.set()
    await asyncio.wait_for(task, 5)
    with sessions() as session:
        row = session.execute(select(QuestionTally.questions, QuestionTally.fallbacks)).one()
    assert tuple(row) == (3, 1)


async def test_counts_a_failed_flush_could_not_write_go_out_with_the_next(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    counter = QuestionCounter()
    counter.note("sms")

    def broken() -> Session:
        return Session(bind=engine.execution_options(schema_translate_map={None: "missing"}))

    stop = asyncio.Event()
    stop.set()
    await run_flusher(counter, broken, stop)  # fails, keeps the count
    await run_flusher(counter, sessions, stop)
    with sessions() as session:
        assert session.scalar(select(QuestionTally.questions)) == 1
