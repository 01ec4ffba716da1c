"""A Zalo reply that could not be sent is tried again later, the replies left only (Rasa is
not asked again), with growing delays; given up after the last try, it is recorded as
failed. A message Zalo refuses for good is recorded as failed at once.

The gateway's own parts (the store, its worker, the turn runner, the OA client) run on
the test database; Rasa and Zalo's send API are httpx handlers: Zalo's can be down for
a number of sends, or refuse every message with an error code.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, delete, select
from zalo_helpers import text_event, zalo_settings

from bot.channels.inbox_worker import MAX_ATTEMPTS, retry_delay
from bot.channels.sender_limit import SenderLimit
from bot.channels.turn import TurnRunner
from bot.channels.zalo_inbox import ZaloEvents, zalo_events
from bot.channels.zalo_oa_client import ZaloOutbound
from bot.rasa_client import RasaClient
from bot.rasa_pool import RasaPool
from db import make_async_engine, make_session_factory
from db.statements import open_statement_pool
from testing.clock import FakeClock
from testing.fake_rasa import RASA_URL, FakeRasa, rasa_answer
from zalo_oa.models import ZaloEvent, ZaloToken

ZALO_URL = "http://zalo.test"
QUESTION = "lệ phí cấp đổi căn cước"
ANSWER = ("Lệ phí cấp đổi thẻ căn cước là 50.000 đồng.", "Bạn cần hỏi thêm gì không?")
FIRST_RETRY = 0.05


@dataclass
class ZaloSendApi:
    """Zalo's send API: unreachable for the calls numbered in `down` (from 1), or
    refusing every message with `code`."""

    down: range = range(0)
    code: int | None = None
    calls: int = 0
    delivered: list[str] = field(default_factory=list)
    call_times: list[float] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        self.call_times.append(time.monotonic())
        if self.calls in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.code is not None:
            return httpx.Response(200, json={"error": self.code, "message": "refused"})
        self.delivered.append(json.loads(request.content)["message"]["text"])
        return httpx.Response(200, json={"error": 0, "data": {"message_id": str(self.calls)}})


@dataclass
class Gateway:
    events: ZaloEvents
    rasa: FakeRasa
    zalo: ZaloSendApi
    engine: Engine

    def row(self) -> ZaloEvent | None:
        with make_session_factory(self.engine)() as session:
            return session.scalars(select(ZaloEvent)).one_or_none()

    async def finished(self, seconds: float = 20.0) -> ZaloEvent:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            row = await asyncio.to_thread(self.row)
            if row is not None and row.done_at is not None:
                return row
            await asyncio.sleep(0.02)
        raise AssertionError(f"the event was not finished within {seconds:g} s")


def _wipe(engine: Engine) -> None:
    with make_session_factory(engine)() as session, session.begin():
        session.execute(delete(ZaloEvent))
        session.execute(delete(ZaloToken))


@pytest.fixture
def zalo_api() -> ZaloSendApi:
    return ZaloSendApi()


@pytest.fixture
async def gateway(
    engine: Engine, database_url: str, zalo_api: ZaloSendApi
) -> AsyncIterator[Gateway]:
    await asyncio.to_thread(_wipe, engine)
    settings = zalo_settings(
        database_url, ZALO_URL, channel_retry_first_seconds=FIRST_RETRY, rasa_url=RASA_URL
    )
    rasa = FakeRasa(answers={QUESTION: rasa_answer(*ANSWER, intent="ask_fee")})
    async_engine = make_async_engine(database_url)
    statements = await open_statement_pool(database_url, async_engine)
    outbound = ZaloOutbound.from_settings(
        settings, make_session_factory(engine), transport=httpx.MockTransport(zalo_api)
    )
    try:
        async with httpx.AsyncClient(
            base_url=RASA_URL, transport=httpx.MockTransport(rasa)
        ) as http:
            turns = TurnRunner(RasaPool([RasaClient(http)]), SenderLimit(20, clock=FakeClock()))
            async with zalo_events(
                settings,
                turns=turns,
                outbound=outbound,
                engine=async_engine,
                statements=statements,
            ) as events:
                yield Gateway(events, rasa, zalo_api, engine)
    finally:
        await outbound.aclose()
        await statements.aclose()
        await async_engine.dispose()
        await asyncio.to_thread(_wipe, engine)


def asked(rasa: FakeRasa) -> list[str]:
    return [message["message"] for message in rasa.received]


async def test_replies_zalo_could_not_take_are_sent_later_without_asking_rasa_again(
    gateway: Gateway, zalo_api: ZaloSendApi
) -> None:
    # The first message goes out; Zalo is then unreachable for the next three sends.
    zalo_api.down = range(2, 5)
    await gateway.events.store(text_event(QUESTION))
    row = await gateway.finished()
    assert zalo_api.delivered == list(ANSWER)  # each once, in order
    assert asked(gateway.rasa) == [QUESTION]  # the retries did not ask Rasa again
    assert row.failed_at is None and row.payload is None and row.attempts == 4
    # Growing delays between the tries (sends 2 to 5): 1, 2, 4 × the first.
    times = zalo_api.call_times[1:]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    first = timedelta(seconds=FIRST_RETRY)
    wanted = [retry_delay(first, attempts).total_seconds() for attempts in (1, 2, 3)]
    assert wanted == [FIRST_RETRY, 2 * FIRST_RETRY, 4 * FIRST_RETRY]
    assert len(gaps) == 3 and all(gap >= 0.9 * want for gap, want in zip(gaps, wanted, strict=True))


async def test_a_reply_never_sent_is_given_up_after_the_last_try_and_recorded_as_failed(
    gateway: Gateway, zalo_api: ZaloSendApi
) -> None:
    zalo_api.down = range(1, 10**6)
    await gateway.events.store(text_event(QUESTION))
    row = await gateway.finished(seconds=60)
    assert row.failed_at is not None and row.payload is None
    assert row.attempts == MAX_ATTEMPTS and zalo_api.calls == MAX_ATTEMPTS
    assert zalo_api.delivered == [] and asked(gateway.rasa) == [QUESTION]


async def test_a_message_zalo_refuses_for_good_is_recorded_as_failed_at_once(
    gateway: Gateway, zalo_api: ZaloSendApi
) -> None:
    zalo_api.code = -201  # "Parameters are invalid": trying again cannot help
    await gateway.events.store(text_event(QUESTION))
    row = await gateway.finished()
    assert row.failed_at is not None and row.attempts == 1 and zalo_api.calls == 1
