"""Personal data at rest: one-time codes are not in the database (not in the outbox, not
in the challenge), yet a crash still never sends a code twice; inbound SMS, delivery
records and challenges are deleted after the retention, survey rows lose their address."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from notifier_fakes import OTP_SECRET, FakeSender, notifier_config
from pydantic import SecretStr
from sqlalchemy import select

from notifier.__main__ import main
from notifier.dispatcher import Dispatcher
from notifier.exceptions import UncertainSendError, WrongCode
from notifier.models import (
    ChallengeState,
    ChannelName,
    InboundSms,
    OutboxMessage,
    OutboxState,
    SubscriptionChallenge,
    SurveyRequest,
)
from notifier.otp_codes import render
from notifier.outbox import NewMessage, enqueue
from notifier.subscriptions import confirm_subscription, request_subscription, subscriptions_of
from notifier.upkeep import purge_expired
from settings import get_settings
from zalo_oa.models import ZaloWindowChoice

CODE = "000.00.06.H56-231027-0361"
PHONE = "+84901234567"
WHO: dict[str, Any] = {"channel": ChannelName.TELEGRAM, "address": "4242"}


def stored_text(sessions: Any) -> str:
    """Every value of every outbox and challenge row, as one string."""
    with sessions() as session:
        rows = [
            *session.scalars(select(OutboxMessage)),
            *session.scalars(select(SubscriptionChallenge)),
        ]
        return " ".join(str(value) for row in rows for value in vars(row).values())


async def test_no_code_is_stored_and_a_crash_does_not_send_it_twice(sessions, clock) -> None:
    config = notifier_config()
    with sessions() as session, session.begin():
        request_subscription(
            session, **WHO, dossier_code=CODE, phone_on_file=PHONE, config=config, now=clock.now()
        )
    # The provider takes the SMS, then the answer is lost: the next claim reconciles.
    sms = FakeSender(accept_then_raise=[UncertainSendError("read timeout")])
    dispatcher = Dispatcher(sessions, {ChannelName.SMS: sms}, config=config, clock=clock)
    for _ in range(3):
        await dispatcher.run_once()
        clock.advance(60)
    [(_, to, body)] = sms.accepted
    code = re.search(r": (\d{6})\.", body)[1]  # type: ignore[index]
    assert to == PHONE and code not in stored_text(sessions)
    with sessions() as session:
        assert session.scalars(select(OutboxMessage.state)).one() == OutboxState.SENT
    with sessions() as session, session.begin():
        confirm_subscription(session, **WHO, code=code, config=config, now=clock.now())
        assert subscriptions_of(session, **WHO) == [CODE]


def test_the_code_needs_the_secret(session, clock) -> None:
    config = notifier_config()
    request_subscription(
        session, **WHO, dossier_code=CODE, phone_on_file=PHONE, config=config, now=clock.now()
    )
    body = session.scalars(select(OutboxMessage.body)).one()
    code = re.search(r": (\d{6})\.", render(body, OTP_SECRET))[1]  # type: ignore[index]
    rotated = notifier_config(notify_otp_secret=SecretStr("another-secret-entirely"))
    with pytest.raises(WrongCode):
        confirm_subscription(session, **WHO, code=code, config=rotated, now=clock.now())
    confirm_subscription(session, **WHO, code=code, config=config, now=clock.now())


def seed(session: Any, now: Any) -> None:
    old, recent = now - timedelta(days=91), now - timedelta(days=89)
    for sid, when in (("SMold", old), ("SMnew", recent)):
        session.add(InboundSms(message_sid=sid, from_number=PHONE, body="hi", received_at=when))
    for key, when in (("old-sent", old), ("old-open", old), ("new-sent", recent)):
        enqueue(session, [NewMessage(ChannelName.SMS, PHONE, "Ho so", key)], now=when)
    session.flush()
    for row in session.scalars(select(OutboxMessage)):
        row.state = OutboxState.PENDING if row.idempotency_key == "old-open" else OutboxState.SENT
    for when in (old, recent):
        session.add(
            SubscriptionChallenge(
                **WHO,
                dossier_code=CODE,
                phone=PHONE,
                code_hash="n1$x",
                attempts_left=3,
                state=ChallengeState.EXPIRED,
                expires_at=when,
                created_at=when,
            )  # fmt: skip
        )
    for code, when in (("HS-old", old), ("HS-new", recent)):
        session.add(
            SurveyRequest(dossier_code=code, channel=ChannelName.SMS, address=PHONE, asked_at=when)
        )
    for outbox_id, when in ((1, old), (2, recent)):
        choice = ZaloWindowChoice(outbox_id=outbox_id, window="paid", choice="sms", decided_at=when)
        session.add(choice)
    session.flush()


def test_inbound_sms_deliveries_and_challenges_are_purged_after_the_retention(
    session, clock
) -> None:
    seed(session, clock.now())
    purged = purge_expired(session, now=clock.now(), retention=timedelta(days=90))
    assert (purged.inbound_sms, purged.deliveries, purged.challenges) == (1, 1, 1)
    assert session.scalars(select(InboundSms.message_sid)).all() == ["SMnew"]
    keys = set(session.scalars(select(OutboxMessage.idempotency_key)))
    assert keys == {"old-open", "new-sent"}  # an unsent row is never purged
    assert len(session.scalars(select(SubscriptionChallenge)).all()) == 1
    # A survey keeps its rating for the statistics, not the address it was asked at.
    assert purged.surveys == 1
    surveys = dict(
        session.execute(select(SurveyRequest.dossier_code, SurveyRequest.address)).tuples().all()
    )
    assert surveys == {"HS-old": "", "HS-new": PHONE}
    # How a Zalo notification went out is kept as long as the delivery record.
    assert purged.window_choices == 1
    assert session.scalars(select(ZaloWindowChoice.outbox_id)).all() == [2]


def test_purge_from_the_command_line(sessions, clock, monkeypatch, capsys) -> None:
    with sessions() as session, session.begin():
        seed(session, clock.now())
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        main(["purge", "--days", "1"])  # everything seeded is older than a day
    finally:
        get_settings.cache_clear()
    assert (
        "deleted 2 inbound SMS, 2 delivery records and 2 code challenges, erased 2 survey "
        "addresses" in capsys.readouterr().out
    )
    with sessions() as session:
        assert session.scalars(select(OutboxMessage.idempotency_key)).all() == ["old-open"]
