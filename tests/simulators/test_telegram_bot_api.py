"""python-telegram-bot's `Bot` against the Telegram simulator: sending, limits, errors.

The bot is pointed at the simulator with PTB's own `base_url`. Raw answers are checked
against the Bot API description (`telegram_bot_api.json`, see `testing.specs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sim_test_support import configure
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from testing.specs import load_spec
from testing.telegram_sim import telegram_simulator
from testing.telegram_spec import type_errors

# PTB 22 warns that RetryAfter.retry_after becomes a timedelta; `seconds` handles both.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

TOKEN = "123456:test-token"
CHAT = 4242
KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Lệ phí", callback_data='/ask_fee{"procedure_code":"1.001193"}')]]
)


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    with telegram_simulator(TOKEN) as url:
        yield url


@pytest.fixture
async def bot(sim_url: str) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{sim_url}/bot") as bot:
        yield bot


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec("telegram_bot_api.json")


def call(sim_url: str, method: str, **params: Any) -> dict[str, Any]:
    """A raw Bot API call, for checking the wire format itself."""
    answer: dict[str, Any] = httpx.post(f"{sim_url}/bot{TOKEN}/{method}", json=params).json()
    return answer


def seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def test_get_me_is_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456 and me.is_bot and me.username == "onestop_sim_bot"


async def test_send_message_with_inline_keyboard(bot: Bot, sim_url: str) -> None:
    message = await bot.send_message(CHAT, "Bạn muốn hỏi gì?", reply_markup=KEYBOARD)
    assert message.chat.id == CHAT and message.text == "Bạn muốn hỏi gì?"
    assert message.reply_markup == KEYBOARD and message.from_user.id == 123456
    second = await bot.send_message(CHAT, "Tiếp")
    assert second.message_id == message.message_id + 1
    sent = httpx.get(f"{sim_url}/_sim/sent", params={"chat_id": CHAT}).json()
    assert [entry["text"] for entry in sent] == ["Bạn muốn hỏi gì?", "Tiếp"]
    assert sent[0]["reply_markup"] == KEYBOARD.to_dict()


async def test_text_up_to_4096_characters_and_no_more(bot: Bot) -> None:
    await bot.send_message(CHAT, "ồ" * 4096)
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(CHAT + 1, "ồ" * 4097)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    button = InlineKeyboardButton("x", callback_data="đ" * 33)  # 66 bytes in UTF-8
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(CHAT, "x", reply_markup=InlineKeyboardMarkup([[button]]))


async def test_per_chat_limit_answers_retry_after(bot: Bot, sim_url: str) -> None:
    configure(sim_url, per_chat_rate=0.2, per_chat_burst=2)  # one every 5 s after 2
    await bot.send_message(CHAT, "1")
    await bot.send_message(CHAT, "2")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(CHAT, "3")
    assert 1 <= seconds(raised.value) <= 5
    await bot.send_message(CHAT + 1, "another chat is not limited")


async def test_global_limit_answers_retry_after(bot: Bot, sim_url: str) -> None:
    configure(sim_url, global_rate=0.2, global_burst=2)
    await bot.send_message(1, "a")
    await bot.send_message(2, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(3, "c")
    answer = call(sim_url, "sendMessage", chat_id=4, text="d")
    assert answer["ok"] is False and answer["error_code"] == 429
    retry_after = answer["parameters"]["retry_after"]
    assert isinstance(retry_after, int) and 1 <= retry_after <= 5
    assert answer["description"] == f"Too Many Requests: retry after {retry_after}"


async def test_unknown_token_is_invalid(sim_url: str) -> None:
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await Bot("999:unknown", base_url=f"{sim_url}/bot").get_me()
    malformed = httpx.get(f"{sim_url}/botnot-a-token/getMe")
    assert malformed.status_code == 404 and malformed.json()["description"] == "Not Found"


async def test_strict_and_blocked_chats(bot: Bot, sim_url: str) -> None:
    configure(sim_url, strict_chats=True, blocked_chats=[77])
    with pytest.raises(BadRequest, match="[Cc]hat not found"):
        await bot.send_message(CHAT, "who are you?")
    httpx.post(f"{sim_url}/_sim/updates", json={"chat_id": CHAT, "text": "xin chao"})
    await bot.send_message(CHAT, "now we know each other")
    configure(sim_url, strict_chats=False)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(77, "x")


async def test_edit_message_text(bot: Bot) -> None:
    message = await bot.send_message(CHAT, "Đang tra cứu...", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "Hồ sơ đang xử lý", chat_id=CHAT, message_id=message.message_id
    )
    assert edited.text == "Hồ sơ đang xử lý" and edited.edit_date is not None
    assert edited.reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Hồ sơ đang xử lý", chat_id=CHAT, message_id=message.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)


async def test_answer_callback_query_once(bot: Bot, sim_url: str) -> None:
    await bot.send_message(CHAT, "Chọn", reply_markup=KEYBOARD)
    update = httpx.post(
        f"{sim_url}/_sim/updates", json={"chat_id": CHAT, "callback_data": "/ask_fee"}
    ).json()["update"]
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Đã nhận")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    answers = httpx.get(f"{sim_url}/_sim/callback_queries").json()
    assert answers[query_id]["answer"] == {"text": "Đã nhận"}


async def test_answers_conform_to_the_bot_api_description(
    bot: Bot, sim_url: str, spec: dict[str, Any]
) -> None:
    me = call(sim_url, "getMe")
    assert me["ok"] is True and type_errors(spec, "User", me["result"]) == []
    sent = call(sim_url, "sendMessage", chat_id=CHAT, text="x", reply_markup=KEYBOARD.to_dict())
    assert type_errors(spec, "Message", sent["result"]) == []
    httpx.post(f"{sim_url}/_sim/updates", json={"chat_id": CHAT, "text": "/start"})
    httpx.post(f"{sim_url}/_sim/updates", json={"chat_id": CHAT, "callback_data": "/greet"})
    updates = call(sim_url, "getUpdates")["result"]
    assert len(updates) == 2
    for update in updates:
        assert type_errors(spec, "Update", update) == []
    info = call(sim_url, "getWebhookInfo")["result"]
    assert type_errors(spec, "WebhookInfo", info) == []
    # The checker itself catches a missing required field and an invented one.
    assert type_errors(spec, "Chat", {"id": 1}) and type_errors(
        spec, "User", me["result"] | {"x": 1}
    )
