"""The turn runner every channel shares: conversation ids, the limit, Rasa down, metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client import REGISTRY

from bot.channels.sender_limit import SLOW_DOWN, SenderLimit
from bot.channels.turn import Outcome, Turn, TurnRunner
from bot.conversation import BUSY_APOLOGY
from bot.rasa_client import RasaClient
from bot.rasa_pool import RasaPool
from notifier.models import ChannelName
from testing.clock import FakeClock
from testing.fake_rasa import RASA_URL, FakeRasa


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa(
        answers={
            "giay to lam khai sinh": {
                "messages": [{"text": "Hồ sơ gồm giấy chứng sinh."}],
                "intent": "ask_documents",
            }
        }
    )


@pytest.fixture
async def runner(fake_rasa: FakeRasa) -> AsyncIterator[TurnRunner]:
    async with httpx.AsyncClient(
        base_url=RASA_URL, transport=httpx.MockTransport(fake_rasa)
    ) as http:
        yield TurnRunner(RasaPool([RasaClient(http)]), SenderLimit(20, clock=FakeClock()))


def intents(channel: str, intent: str) -> float:
    labels = {"intent": intent, "channel": channel}
    return REGISTRY.get_sample_value("gateway_intents_total", labels) or 0.0


def test_the_channel_names_the_conversation_and_the_client() -> None:
    turn = Turn.of(ChannelName.TELEGRAM, 123456789, "/start")
    assert (turn.conversation, turn.client) == ("telegram:123456789", "telegram:123456789")
    assert Turn.of(ChannelName.ZALO, "8400000001", "hi").conversation == "zalo:8400000001"
    assert Turn.of(ChannelName.SMS, "+84901234567", "hi").conversation == "sms:+84901234567"


async def test_a_turn_reaches_rasa_as_its_conversation_and_counts_under_its_channel(
    runner: TurnRunner, fake_rasa: FakeRasa
) -> None:
    before = intents("zalo", "ask_documents")
    # Outside any HTTP request: Zalo and Telegram answer after their webhook returned.
    result = await runner.run(Turn.of(ChannelName.ZALO, "8400000001", "giay to lam khai sinh"))
    assert result.outcome is Outcome.ANSWERED
    assert [reply.text for reply in result.answer.replies] == ["Hồ sơ gồm giấy chứng sinh."]
    assert fake_rasa.received == [
        {
            "sender": "zalo:8400000001",
            "message": "giay to lam khai sinh",
            "metadata": {"client": "zalo:8400000001"},
        }
    ]
    assert intents("zalo", "ask_documents") == before + 1


@pytest.mark.parametrize("mode", ["down", "error500", "garbage"])
async def test_rasa_down_is_an_apology_never_an_exception(
    runner: TurnRunner, fake_rasa: FakeRasa, mode: str
) -> None:
    fake_rasa.mode = mode
    result = await runner.run(Turn.of(ChannelName.TELEGRAM, 1, "giay to lam khai sinh"))
    assert result.outcome is Outcome.APOLOGY
    assert [reply.text for reply in result.answer.replies] == [BUSY_APOLOGY]


async def test_over_the_limit_one_warning_then_silence_and_rasa_is_not_asked(
    runner: TurnRunner, fake_rasa: FakeRasa
) -> None:
    flood = [await runner.run(Turn.of(ChannelName.TELEGRAM, 7, f"câu {n}")) for n in range(25)]
    assert [r.outcome for r in flood] == [Outcome.ANSWERED] * 20 + [Outcome.SLOW_DOWN] + [
        Outcome.DROPPED
    ] * 4
    assert [reply.text for reply in flood[20].answer.replies] == [SLOW_DOWN]
    assert all(r.silent and not r.answer.replies for r in flood[21:])
    assert len(fake_rasa.received) == 20
    other = await runner.run(Turn.of(ChannelName.TELEGRAM, 8, "câu"))
    assert other.outcome is Outcome.ANSWERED  # per conversation, not per channel


async def test_a_channel_that_admitted_a_message_itself_runs_it_unlimited(
    runner: TurnRunner,
) -> None:
    for _ in range(20):
        assert runner.admit("sms:+84901234567") is None
    refused = runner.admit("sms:+84901234567")
    assert refused is not None and refused.outcome is Outcome.SLOW_DOWN
    turn = Turn.of(ChannelName.SMS, "+84901234567", "giay to lam khai sinh")
    assert (await runner.run(turn)).outcome is Outcome.DROPPED
    assert (await runner.run(turn, limited=False)).outcome is Outcome.ANSWERED
