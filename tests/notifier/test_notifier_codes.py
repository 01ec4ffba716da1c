"""One-time codes cannot be used to harass: caps per phone and per requester of a dossier,
none at night unless the phone just texted us, and a code never waits behind a held
status SMS. A stranger's requests do not use up the owner's codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from notifier_fakes import FakeSender, notifier_config
from sqlalchemy import func, select

from notifier.dispatcher import Dispatcher
from notifier.exceptions import TooManyCodes
from notifier.models import InboundSms, OutboxMessage, SubscriptionChallenge
from notifier.outbox import NewMessage, enqueue
from notifier.subscriptions import request_subscription
from testing.clock import FakeClock

CODE = "000.00.06.H56-231027-0361"
OTHER = "000.17.22.H56-210531-0001"
PHONE = "+84901234567"
# 10:00 and 22:30 in Hanoi.
MORNING = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)
NIGHT = datetime(2025, 3, 10, 15, 30, tzinfo=UTC)


def ask(
    session: Any, conversation: str, now: datetime, dossier: str = CODE, client: str | None = None
) -> bool:
    """One subscription request; whether a code was sent."""
    config = notifier_config(quiet_hours="21:00-07:00")
    try:
        request_subscription(
            session, channel="webchat", address=conversation, dossier_code=dossier,
            phone_on_file="0901234567", config=config, now=now, client=client,
        )  # fmt: skip
    except TooManyCodes:
        return False
    return True


def codes_sent(session: Any) -> int:
    query = select(func.count()).where(OutboxMessage.purpose == "otp")
    return int(session.scalar(query))


def test_twenty_requests_for_one_dossier_send_at_most_three_codes(session) -> None:
    sent = [ask(session, f"web-{n}", MORNING + timedelta(minutes=n)) for n in range(20)]
    assert sent == [True] * 3 + [False] * 17 and codes_sent(session) == 3
    # An hour after the first, one more is allowed; never more than 10 in a day.
    later = [ask(session, f"web-x{n}", MORNING + timedelta(minutes=61 + 30 * n)) for n in range(40)]
    assert codes_sent(session) == 10 and sum(later) == 7
    assert not ask(session, "web-y", MORNING + timedelta(hours=23))
    assert ask(session, "web-z", MORNING + timedelta(hours=24, minutes=30))


def test_a_strangers_requests_leave_codes_for_the_owner(session) -> None:
    # One stranger, from one address, asking over and over from fresh conversations...
    stranger = [
        ask(session, f"web-s{n}", MORNING + timedelta(minutes=n), client="203.0.113.9")
        for n in range(10)
    ]
    assert sum(stranger) == 2  # ...reaches their own cap, below the phone's (3 an hour)
    assert ask(session, "web-owner", MORNING + timedelta(minutes=20), client="198.51.100.4")
    # Later in the day the stranger's day cap (4) holds while the owner still gets codes.
    later = [
        ask(session, "web-s", MORNING + timedelta(hours=2 + n), client="203.0.113.9")
        for n in range(4)
    ]
    assert sum(later) == 2
    assert ask(session, "web-owner", MORNING + timedelta(hours=6), client="198.51.100.4")
    # The conversation counts as well as the address: new addresses, same conversation.
    again = [
        ask(session, "web-s", MORNING + timedelta(hours=7 + n), client=f"192.0.2.{n}")
        for n in range(4)
    ]
    assert sum(again) == 2  # its day cap (4) counts what it asked from the first address
    stored = session.scalars(select(SubscriptionChallenge.client)).all()
    assert "203.0.113.9" not in stored and None not in stored  # a hash, not the address


def test_the_cap_is_per_phone_across_dossiers(session) -> None:
    assert ask(session, "web-1", MORNING) and ask(session, "web-2", MORNING, dossier=OTHER)
    assert ask(session, "web-3", MORNING, dossier="000.00.06.H56-231027-0362")
    assert not ask(session, "web-4", MORNING, dossier="000.00.06.H56-231027-0363")


def test_no_code_at_night_unless_the_phone_just_texted(session) -> None:
    with pytest.raises(TooManyCodes) as refused:
        request_subscription(
            session, channel="webchat", address="web-1", dossier_code=CODE,
            phone_on_file="0901234567", config=notifier_config(quiet_hours="21:00-07:00"),
            now=NIGHT,
        )  # fmt: skip
    assert refused.value.at_night and codes_sent(session) == 0
    texted = NIGHT - timedelta(minutes=15)
    session.add(InboundSms(message_sid="SM1", from_number=PHONE, body="hi", received_at=texted))
    assert not ask(session, "web-1", NIGHT)  # 15 minutes ago is too long
    session.add(InboundSms(message_sid="SM2", from_number=PHONE, body="hi", received_at=NIGHT))
    assert ask(session, "web-1", NIGHT + timedelta(minutes=3)) and codes_sent(session) == 1


async def test_a_code_is_not_held_behind_a_quiet_hours_status_sms(sessions) -> None:
    clock = FakeClock(NIGHT)
    config = notifier_config(quiet_hours="21:00-07:00", notify_sms_rate=0.0)
    with sessions() as session, session.begin():
        status = NewMessage("sms", PHONE, f"Ho so {CODE} dang duoc xu ly.", "change:1:sms")
        enqueue(session, [status], now=clock.now())
        session.add(
            InboundSms(message_sid="SM9", from_number=PHONE, body="hi", received_at=clock.now())
        )
        request_subscription(
            session, channel="telegram", address="42", dossier_code=CODE,
            phone_on_file=PHONE, config=config, now=clock.now(),
        )  # fmt: skip
    sms = FakeSender()
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config, clock=clock)
    await dispatcher.run_once()
    assert len(sms.accepted) == 1 and "Ma xac nhan" in sms.accepted[0][2]
    clock.set(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))  # 07:00: the status SMS goes
    await dispatcher.run_once()
    assert len(sms.accepted) == 2 and "dang duoc xu ly" in sms.accepted[1][2]
