"""Updates from the Telegram simulator: getUpdates long polling, conflicts, webhooks, PTB apps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import Application, CommandHandler, ContextTypes

from simulators.common import running_server
from simulators.telegram import load_config
from testing.processes import running_module
from testing.telegram_sim import telegram_simulator

TOKEN = "123456:test-token"
CHAT = 4242
SECRET = "webhook-secret_1"


class Gateway:
    """Our webhook: records each update; answers from a script (status, delay, JSON body)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.script: list[tuple[int, float, dict[str, Any] | None]] = []
        self.app = Starlette(routes=[Route("/telegram", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.json()))
        status, delay, body = self.script.pop(0) if self.script else (200, 0.0, None)
        await asyncio.sleep(delay)
        if body is not None:
            return JSONResponse(body, status_code=status)
        return Response(status_code=status)


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    with telegram_simulator(TOKEN, webhook_retry_delay=0.05, webhook_timeout=1.5) as url:
        yield url


@pytest.fixture(scope="module")
def gateway() -> Iterator[tuple[Gateway, str]]:
    receiver = Gateway()
    with running_server(receiver.app) as url:
        yield receiver, f"{url}/telegram"


@pytest.fixture(autouse=True)
def fresh(gateway: tuple[Gateway, str]) -> None:
    gateway[0].received.clear()
    gateway[0].script.clear()


@pytest.fixture
async def bot(sim_url: str) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{sim_url}/bot") as bot:
        yield bot


async def user_says(sim_url: str, **update: Any) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{sim_url}/_sim/updates", json={"chat_id": CHAT} | update)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def test_get_updates_returns_user_messages_until_confirmed(bot: Bot, sim_url: str) -> None:
    await user_says(sim_url, text="/start", username="citizen")
    await user_says(sim_url, text="giấy tờ làm khai sinh")
    first, second = await bot.get_updates()
    assert first.message.text == "/start" and first.message.entities[0].type == "bot_command"
    assert first.effective_user.username == "citizen" and first.effective_chat.id == CHAT
    assert second.update_id == first.update_id + 1
    assert second.message.message_id == first.message.message_id + 1
    assert len(await bot.get_updates()) == 2  # not confirmed yet
    assert await bot.get_updates(offset=second.update_id + 1) == ()


async def test_long_polling_wakes_up_when_a_user_writes(bot: Bot, sim_url: str) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    await user_says(sim_url, text="xin chào")
    [update] = await poll
    assert update.message.text == "xin chào" and time.monotonic() - started < 2
    started = time.monotonic()
    assert await bot.get_updates(offset=update.update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_a_second_poller_terminates_the_first(bot: Bot, sim_url: str) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(TOKEN, base_url=f"{sim_url}/bot") as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        assert await second == ()


async def test_webhook_gets_updates_with_the_secret_token(
    bot: Bot, sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    receiver, url = gateway
    assert await bot.set_webhook(url, secret_token=SECRET)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    answer = await user_says(sim_url, text="tra cứu hồ sơ", wait=True)
    assert answer["delivered"] is True
    [(headers, body)] = receiver.received
    assert headers["x-telegram-bot-api-secret-token"] == SECRET
    update = Update.de_json(body, bot)
    assert update.update_id == answer["update_id"] and update.message.text == "tra cứu hồ sơ"
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    assert await bot.delete_webhook()
    await user_says(sim_url, text="lại polling")
    [polled] = await bot.get_updates()
    assert polled.message.text == "lại polling"


async def test_webhook_failures_are_retried_with_the_same_update(
    bot: Bot, sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    receiver, url = gateway
    receiver.script = [(500, 0.0, None), (200, 2.5, None), (200, 0.0, None)]  # error, too slow, ok
    await bot.set_webhook(url, secret_token=SECRET)
    answer = await user_says(sim_url, text="x", wait=True)
    assert answer["delivered"] is True
    assert [body["update_id"] for _, body in receiver.received] == [answer["update_id"]] * 3
    errors = [attempt["error"] for attempt in answer["deliveries"]]
    assert errors[0].startswith("Wrong response from the webhook: 500")
    assert errors[1] == "Read timeout expired" and errors[2] is None
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Read timeout expired"


async def test_a_method_in_the_webhook_answer_is_run(
    bot: Bot, sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    receiver, url = gateway
    reply = {"method": "sendMessage", "chat_id": CHAT, "text": "Chào bạn"}
    receiver.script = [(200, 0.0, reply)]
    await bot.set_webhook(url)
    await user_says(sim_url, text="xin chào", wait=True)
    sent = httpx.get(f"{sim_url}/_sim/sent").json()
    assert [entry["text"] for entry in sent] == ["Chào bạn"]


async def test_a_python_telegram_bot_application_answers_by_polling(sim_url: str) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greet the citizen."""
        assert update.effective_message is not None
        await update.effective_message.reply_text("Xin chào! Tôi là trợ lý Một cửa.")

    application = Application.builder().token(TOKEN).base_url(f"{sim_url}/bot").build()
    application.add_handler(CommandHandler("start", start))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await user_says(sim_url, text="/start")
        deadline = time.monotonic() + 10
        while not httpx.get(f"{sim_url}/_sim/sent").json():
            assert time.monotonic() < deadline, "the application never answered"
            await asyncio.sleep(0.05)
        await application.updater.stop()
        await application.stop()
    [reply] = httpx.get(f"{sim_url}/_sim/sent").json()
    assert reply["chat_id"] == CHAT and reply["text"].startswith("Xin chào!")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:from-env")
    monkeypatch.setenv("TELEGRAM_SIM_GLOBAL_RATE", "0")
    config = load_config()
    assert config.tokens[0] == "42:from-env" and config.global_rate == 0


def test_runs_as_a_module_with_flags() -> None:
    env = {"TELEGRAM_SIM_PER_CHAT_RATE": "5"}
    with running_module("simulators.telegram", "--tokens", "7:cli", env=env) as url:
        assert httpx.get(f"{url}/bot7:cli/getMe").json()["result"]["id"] == 7
        assert httpx.get(f"{url}/_sim/config").json()["per_chat_rate"] == 5.0
