"""One Telegram conversation turn: typing indicator, the app's `TurnRunner`, the reply.

The conversation id is `telegram:<chat id>` (`Turn.of`), made here only (the webhook
that feeds it is authenticated); the same string is the `client` the lookup limits count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from telegram import Bot, Message
from telegram.constants import ChatAction
from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram.replies import TelegramMessage, split_text, telegram_messages
from bot.channels.turn import Turn, TurnResult, TurnRunner
from bot.conversation import BUSY_APOLOGY
from notifier.models import ChannelName

__all__ = ["send_answer", "send_message", "send_text", "take_turn", "typing"]

log = logging.getLogger("bot.telegram")

# Telegram shows "typing…" for 5 seconds; renewed while Rasa is still thinking.
TYPING_RENEW_SECONDS = 4.5
SEND_ATTEMPTS = 4
LONGEST_WAIT_SECONDS = 30.0


async def send_message(bot: Bot, chat_id: int, message: TelegramMessage) -> Message:
    """sendMessage, waiting as Telegram asks when over its per-chat rate (429)."""
    for _ in range(SEND_ATTEMPTS - 1):
        try:
            return await bot.send_message(chat_id, message.text, reply_markup=message.keyboard)
        except RetryAfter as error:
            after = error.retry_after
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            await asyncio.sleep(min(seconds, LONGEST_WAIT_SECONDS))
    return await bot.send_message(chat_id, message.text, reply_markup=message.keyboard)


async def send_text(bot: Bot, chat_id: int, text: str) -> None:
    """Send `text` (split when over 4,096 characters)."""
    for part in split_text(text):
        await send_message(bot, chat_id, TelegramMessage(part))


async def _show_typing(bot: Bot, chat_id: int) -> None:
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:  # only a courtesy: never fails the turn
        log.info("typing indicator not sent: %s", type(error).__name__)


async def _renew_typing(bot: Bot, chat_id: int) -> None:
    while True:
        await asyncio.sleep(TYPING_RENEW_SECONDS)
        await _show_typing(bot, chat_id)


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat for as long as the block runs.

    The first indication goes out alongside the block (not before it: no added delay)
    and is waited for at the end, so that it never lands after the reply.
    """
    first = asyncio.create_task(_show_typing(bot, chat_id))
    renewal = asyncio.create_task(_renew_typing(bot, chat_id))
    try:
        yield
    finally:
        renewal.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewal
        await first


async def send_answer(bot: Bot, chat_id: int, result: TurnResult) -> None:
    """Send what a turn produced (nothing for a dropped one)."""
    messages = telegram_messages(result.answer)
    if not messages and not result.silent:
        messages = [TelegramMessage(BUSY_APOLOGY)]  # never leave a citizen unanswered
    for message in messages:
        await send_message(bot, chat_id, message)


async def take_turn(turns: TurnRunner, bot: Bot, chat_id: int, text: str) -> None:
    """One turn of conversation `telegram:<chat_id>` (already admitted by the limit)."""
    turn = Turn.of(ChannelName.TELEGRAM, chat_id, text)
    async with typing(bot, chat_id):
        result = await turns.run(turn, limited=False)
    await send_answer(bot, chat_id, result)
