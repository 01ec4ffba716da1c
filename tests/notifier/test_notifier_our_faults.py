"""Faults that are ours never drop a notification: rotated credentials and provider 429s
do not count as attempts, give-up is by age (an ERROR alert), failed rows can be re-queued,
and no provider call outlives the lease it was made under."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from notifier_fakes import FakeSender, notifier_config
from pydantic import SecretStr
from sqlalchemy import select

from notifier.__main__ import main
from notifier.config import NotifierConfig
from notifier.dispatcher import Dispatcher
from notifier.exceptions import (
    ConfigurationError,
    DeferredSendError,
    TransientSendError,
)
from notifier.models import OutboxMessage
from notifier.outbox import ClaimedMessage, NewMessage, enqueue
from notifier.senders.twilio import TwilioSender
from settings import Settings, get_settings
from simulators.common import running_server
from simulators.twilio.app import create_app
from simulators.twilio.config import TwilioSimConfig
from testing.clock import FakeClock

PHONE = "+84901234567"
CODE = "000.00.06.H56-231027-0361"


def config(**overrides: object) -> NotifierConfig:
    return notifier_config(**({"notify_retry_max_seconds": 60.0} | overrides))


def queue(sessions: Any, clock: FakeClock, *keys: str) -> None:
    with sessions() as session, session.begin():
        messages = [NewMessage("sms", PHONE, f"Ho so {CODE} ({key})", key) for key in keys]
        enqueue(session, messages, now=clock.now())


def the_rows(sessions: Any) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def run_rounds(dispatcher: Dispatcher, clock: FakeClock, rounds: int) -> None:
    for _ in range(rounds):
        await dispatcher.run_once()
        clock.advance(61)


async def test_rotated_credentials_and_429s_do_not_use_up_attempts(sessions, clock) -> None:
    queue(sessions, clock, "a")
    refusals = [DeferredSendError("Twilio 401 / 20003: Authenticate", code="20003")] * 30
    refusals += [DeferredSendError("Twilio 429 / 20429", code="20429")] * 30
    sms = FakeSender(failures=list(refusals))
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    await run_rounds(dispatcher, clock, 61)
    [row] = the_rows(sessions)
    assert (row.state, row.attempts) == ("sent", 1)
    assert [to for _, to, _ in sms.accepted] == [PHONE]


async def test_give_up_is_by_age_with_an_alert_and_requeue_sends_again(
    sessions, clock, caplog
) -> None:
    queue(sessions, clock, "a")
    sms = FakeSender(failures=[TransientSendError("Twilio 503", code="503")] * 80)
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=config(), clock=clock)
    # 72 failures an hour apart: far more than the old limit of 20 attempts, not 72 hours.
    for _ in range(72):
        await dispatcher.run_once()
        clock.advance(3600)
    [row] = the_rows(sessions)
    assert row.state == "pending" and row.attempts == 72
    caplog.set_level(logging.ERROR, logger="notifier.dispatcher")
    await dispatcher.run_once()
    [row] = the_rows(sessions)
    assert (row.state, row.error_code) == ("failed", "gave-up")
    alerts = [r for r in caplog.records if r.levelno == logging.ERROR and "ALERT" in r.message]
    assert len(alerts) == 1 and f"requeue --id {row.id}" in alerts[0].message
    assert PHONE not in alerts[0].message

    sms.failures.clear()
    assert requeue_cli(sessions, "requeue", "--error-code", "gave-up") == 1
    clock.set(datetime.now(UTC))  # the command line stamps the row with the real time
    await run_rounds(dispatcher, clock, 2)
    [row] = the_rows(sessions)
    assert (row.state, row.requeued_at is not None) == ("sent", True)
    assert len(sms.accepted) == 1


def requeue_cli(sessions: Any, *argv: str) -> int:
    """Run `python -m notifier requeue ...` against the test database; rows it put back."""
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    before = {r.id for r in the_rows(sessions) if r.state == "failed"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            main(list(argv))
        finally:
            get_settings.cache_clear()
    return len(before - {r.id for r in the_rows(sessions) if r.state == "failed"})


def test_requeue_needs_a_selection(sessions) -> None:
    with pytest.raises(SystemExit):
        main(["requeue"])


async def test_twilio_rotated_token_and_rate_limit_are_deferred() -> None:
    sim = TwilioSimConfig(account_sid="AC" + "0" * 32, auth_token="new-token")
    with running_server(create_app(sim)) as url:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            twilio_base_url=url,
            twilio_account_sid="AC" + "0" * 32,
            twilio_auth_token=SecretStr("rotated-away"),
        )
        sender = TwilioSender(settings, rate=0, timeout=2.0)
        now = datetime.now(UTC)
        message = ClaimedMessage(
            1, "sms", PHONE, "x", "k", "status", False, 1, False, now, now, now
        )
        try:
            with pytest.raises(DeferredSendError) as refused:
                await sender.send(message)
            assert refused.value.code == "20003"
        finally:
            await sender.aclose()


def test_a_lease_shorter_than_the_provider_calls_under_it_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="NOTIFY_LEASE_SECONDS"):
        config(notify_lease_seconds=20.0, notify_provider_timeout_seconds=10.0)
    assert config(notify_lease_seconds=32.0, notify_provider_timeout_seconds=10.0)


class HangingSender(FakeSender):
    """A provider that never answers (its library's own timeouts notwithstanding)."""

    async def send(self, message: ClaimedMessage) -> str:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_provider_call_is_cut_at_the_timeout_within_the_lease(sessions, clock) -> None:
    queue(sessions, clock, "a")
    sms = HangingSender()
    cfg = config(notify_provider_timeout_seconds=0.05, notify_lease_seconds=2.0)
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=cfg, clock=clock)
    # Guard only: without the cut, the call would hang for ever.
    await asyncio.wait_for(dispatcher.run_once(), timeout=10)
    [row] = the_rows(sessions)
    assert (row.state, row.outcome_unknown) == ("pending", True)
