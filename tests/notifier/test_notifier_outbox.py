"""Watcher → outbox → dispatcher, with fake providers, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from notifier_fakes import FakeFeed, FakeSender, notifier_config
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db import make_engine, make_session_factory, upgrade_to_head
from notifier.dispatcher import Dispatcher
from notifier.exceptions import (
    FeedError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import OptOut, OutboxMessage, Subscription, SurveyRequest
from notifier.outbox import NewMessage, claim, enqueue
from notifier.watcher import Watcher
from testing.clock import FakeClock

CODE_A = "000.00.06.H56-231027-0361"
CODE_B = "000.17.22.H56-210531-0001"
PHONE = "+84901234567"


config = notifier_config


def rows(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def drain(dispatcher: Dispatcher, clock: FakeClock, rounds: int = 50) -> None:
    """Run the dispatcher until nothing is due, moving the clock past retry delays."""
    for _ in range(rounds):
        if await dispatcher.run_once() == 0:
            clock.advance(400)
            if await dispatcher.run_once() == 0:
                return


async def test_watcher_writes_rows_and_cursor_once(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new", due_at=datetime(2025, 3, 20, tzinfo=UTC))
    feed.add(CODE_A, "processing")
    watcher = Watcher(sessions, feed, config=config(), clock=clock)
    assert await watcher.run_once() == 2
    assert await watcher.run_once() == 0
    assert watcher.cursor() == "2"
    outbox = rows(sessions)
    assert [(r.channel, r.address, r.dossier_status) for r in outbox] == [
        ("sms", PHONE, "new"),
        ("sms", PHONE, "processing"),
    ]
    assert "20/03/2025" in outbox[0].body and CODE_A in outbox[0].body


async def test_watcher_skips_opted_out_and_tells_subscribers(sessions, clock) -> None:
    with sessions() as session, session.begin():
        session.add(OptOut(phone=PHONE, opted_out=True, keyword="STOP", updated_at=clock.now()))
        session.add(
            Subscription(
                dossier_code=CODE_A, channel="telegram", address="42", created_at=clock.now()
            )
        )
    feed = FakeFeed()
    feed.add(CODE_A, "waiting")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    outbox = rows(sessions)
    assert [(r.channel, r.address) for r in outbox] == [("telegram", "42")]
    assert "bổ sung" in outbox[0].body


async def test_feed_failure_leaves_the_cursor(sessions, clock) -> None:
    feed = FakeFeed(fail_next=FeedError("down"))
    feed.add(CODE_A, "new")
    watcher = Watcher(sessions, feed, config=config(), clock=clock)
    with pytest.raises(FeedError):
        await watcher.run_once()
    assert watcher.cursor() is None and rows(sessions) == []
    assert await watcher.run_once() == 1


async def test_survey_is_asked_once_per_dossier(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "done")
    feed.add(CODE_A, "releasing")
    feed.add(CODE_A, "done")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    purposes = [r.purpose for r in rows(sessions)]
    assert purposes == ["status", "survey", "status", "status"]
    with sessions() as session:
        assert session.scalar(select(SurveyRequest.address)) == PHONE


async def test_sends_every_row_once_in_order_per_recipient(sessions, clock) -> None:
    feed = FakeFeed()
    for status in ("new", "processing", "waiting", "paying", "releasing"):
        feed.add(CODE_A, status)
        feed.add(CODE_B, status, phone="0912345678")
    await Watcher(
        sessions, feed, config=config(notify_survey_enabled=False), clock=clock
    ).run_once()
    sms = FakeSender(failures=[TransientSendError("busy"), UncertainSendError("5xx")])
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    await drain(dispatcher, clock)
    for phone in (PHONE, "+84912345678"):
        bodies = [body for _, to, body in sms.accepted if to == phone]
        assert len(bodies) == 5
        assert ["tiep nhan" in bodies[0], "bo sung" in bodies[2], "co ket qua" in bodies[4]] == [
            True
        ] * 3
    assert {r.state for r in rows(sessions)} == {"sent"}


async def test_crash_after_provider_accepted_is_not_resent(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    feed.add(CODE_A, "processing")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    sms = FakeSender()
    # A sender claims and sends the first row, then dies before recording it.
    with sessions() as session, session.begin():
        [first] = claim(session, owner="dead", now=clock.now(), limit=5, lease_seconds=30)
    await sms.send(first)
    clock.advance(31)
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    await drain(dispatcher, clock)
    assert len(sms.accepted) == 2 and sms.lookups == 1
    assert [r.provider_id for r in rows(sessions)] == [sms.accepted[0][0], sms.accepted[1][0]]


async def test_uncertain_attempt_is_reconciled_not_duplicated(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    sms = FakeSender(accept_then_raise=[UncertainSendError("read timeout")])
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    await drain(dispatcher, clock)
    assert len(sms.accepted) == 1
    [row] = rows(sessions)
    assert row.state == "sent" and row.provider_id == sms.accepted[0][0]


async def test_permanent_error_is_recorded_and_next_message_goes(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    feed.add(CODE_A, "processing")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    sms = FakeSender(failures=[PermanentSendError("opted out", code="21610")])
    await drain(Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock), clock)
    first, second = rows(sessions)
    assert (first.state, first.error_code, first.attempts) == ("failed", "21610", 1)
    assert second.state == "sent" and len(sms.accepted) == 1


async def test_retry_after_is_honoured(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    sms = FakeSender(failures=[TransientSendError("429", code="20429", retry_after=7)])
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    await dispatcher.run_once()
    [row] = rows(sessions)
    assert row.state == "pending" and row.available_at == clock.now() + timedelta(seconds=7)
    clock.advance(6)
    assert await dispatcher.run_once() == 0
    clock.advance(1)
    assert await dispatcher.run_once() == 1 and len(sms.accepted) == 1


async def test_opt_out_after_queueing_suppresses_the_sms(sessions, clock) -> None:
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    await Watcher(sessions, feed, config=config(), clock=clock).run_once()
    with sessions() as session, session.begin():
        session.add(OptOut(phone=PHONE, opted_out=True, keyword="HUY", updated_at=clock.now()))
    sms = FakeSender()
    await drain(Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock), clock)
    assert sms.accepted == [] and rows(sessions)[0].state == "suppressed"


async def test_quiet_hours_hold_sms_until_morning_in_order(sessions) -> None:
    # 22:30 in Hanoi.
    clock = FakeClock(datetime(2025, 3, 10, 15, 30, tzinfo=UTC))
    cfg = config(
        quiet_hours="21:00-07:00", notify_urgent_statuses="denied", notify_survey_enabled=False
    )
    with sessions() as session, session.begin():
        session.add(
            Subscription(
                dossier_code=CODE_A, channel="telegram", address="42", created_at=clock.now()
            )
        )
    feed = FakeFeed()
    feed.add(CODE_A, "new")
    feed.add(CODE_A, "processing")
    feed.add(CODE_B, "denied", phone="0912345678")
    await Watcher(sessions, feed, config=cfg, clock=clock).run_once()
    sms, telegram = FakeSender(), FakeSender(channel="telegram")
    dispatcher = Dispatcher(sessions, {"sms": sms, "telegram": telegram}, config=cfg, clock=clock)
    await dispatcher.run_once()
    await dispatcher.run_once()
    assert len(telegram.accepted) == 2
    assert [to for _, to, _ in sms.accepted] == ["+84912345678"]  # urgent only
    clock.set(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))  # 07:00 in Hanoi
    await dispatcher.run_once()
    await dispatcher.run_once()
    held = [body for _, to, body in sms.accepted if to == PHONE]
    assert len(held) == 2 and "tiep nhan" in held[0] and "dang duoc xu ly" in held[1]


async def test_claims_back_off_while_the_database_is_down_and_resume(tmp_path, caplog) -> None:
    """Database not usable yet: claims wait longer each time instead of failing every poll."""
    url = f"sqlite:///{tmp_path / 'outbox.db'}"  # no tables until migrated below
    engine = make_engine(url)
    sms = FakeSender()
    dispatcher = Dispatcher(
        make_session_factory(engine), {"sms": sms}, config=config(notify_poll_seconds=0.01)
    )
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="notifier.dispatcher")
    running = asyncio.create_task(dispatcher.run(stop))
    try:
        await asyncio.sleep(0.6)
        waits = [
            float(record.getMessage().rsplit("in ", 1)[1].split()[0])
            for record in caplog.records
            if "database unavailable" in record.getMessage()
        ]
        # Without the back-off, 0.6 s of 0.01 s polls would be about 60 failed claims.
        assert 2 <= len(waits) <= 8
        assert waits == sorted(waits) and waits[-1] > waits[0]

        upgrade_to_head(url)
        with make_session_factory(engine)() as session, session.begin():
            new = NewMessage("sms", PHONE, "Ho so da tiep nhan", "back-1", dossier_code=CODE_A)
            enqueue(session, [new], now=datetime.now(UTC))
        for _ in range(100):  # the next claim comes at most OUTAGE_WAIT_MAX s later
            if sms.accepted:
                break
            await asyncio.sleep(0.1)
        assert [to for _, to, _ in sms.accepted] == [PHONE]
        assert any("database back after" in r.getMessage() for r in caplog.records)
    finally:
        stop.set()
        await running
        engine.dispose()
