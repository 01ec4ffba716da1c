"""The Telegram conversation: one handler per thing a citizen does in the chat.

Groups run in order: -2 stores a polled update for the gateway's worker and stops there
(the worker runs it through the handlers again, from the store: `stored.processing`;
webhook updates are stored by the route itself), -1 applies the
per-sender rate limit to every message (`TurnRunner.admit`: stickers and /start count
too), 0 answers (turns through the app's `TurnRunner`, unlimited since already
counted). Only private chats are served: a group chat would share one conversation (and
its followed dossiers) among all its members.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram.replies import (
    HELP_TEXT,
    NEED_CODE,
    PLEASE_TYPE,
    START_TEXT,
    UNKNOWN_COMMAND,
)
from bot.channels.telegram.stored import processing
from bot.channels.telegram.turns import send_answer, send_text, take_turn
from bot.channels.turn import TurnRunner
from bot.conversation import BUSY_APOLOGY
from notifier.models import ChannelName

__all__ = ["TelegramHandlers"]

log = logging.getLogger("bot.telegram")

Context = ContextTypes.DEFAULT_TYPE
PRIVATE_MESSAGE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
# Commands that carry on the conversation as the words a citizen would type.
COMMAND_WORDS = {
    "tracuu": "tra cứu hồ sơ",
    "theodoi": "theo dõi hồ sơ",
    "huy": "hủy theo dõi",
}


class TelegramHandlers:
    """The handlers, sharing the store, the rate limit and the way to Rasa."""

    def __init__(self, *, store: Callable[[int, str], Awaitable[bool]], turns: TurnRunner) -> None:
        """`store(update_id, payload)`: keep an update for the worker (False: a replay)."""
        self.store = store
        self.turns = turns

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        """Register every handler on `application`."""
        application.add_handler(TypeHandler(Update, self.take_in), group=-2)
        application.add_handler(TypeHandler(Update, self.keep_pace), group=-1)
        on = PRIVATE_MESSAGE
        application.add_handlers(
            [
                CommandHandler("start", self.greet, filters=on),
                CommandHandler("trogiup", self.show_help, filters=on),
                CommandHandler(list(COMMAND_WORDS), self.run_command, filters=on),
                MessageHandler(on & filters.COMMAND, self.explain_unknown_command),
                MessageHandler(on & filters.TEXT, self.ask_assistant),
                CallbackQueryHandler(self.press_button),
                MessageHandler(on & ~filters.TEXT, self.ask_to_type),
            ]
        )
        application.add_error_handler(self.apologise)

    async def take_in(self, update: Update, context: Context) -> None:
        """A polled update: store it for the worker (once), and stop here."""
        if processing.get() is not None:
            return  # the worker is answering it from the store
        if not await self.store(update.update_id, json.dumps(update.to_dict())):
            log.info("Telegram update %d already taken in: skipped", update.update_id)
        raise ApplicationHandlerStop

    async def keep_pace(self, update: Update, context: Context) -> None:
        """Drop a message over the sender's rate; the first one gets one polite reply."""
        chat = update.effective_chat
        if chat is None:
            return
        refused = self.turns.admit(f"{ChannelName.TELEGRAM}:{chat.id}")
        if refused is None:
            return
        await send_answer(context.bot, chat.id, refused)
        raise ApplicationHandlerStop

    async def greet(self, update: Update, context: Context) -> None:
        """/start: say hello and what the assistant can do."""
        assert update.effective_chat is not None
        await send_text(context.bot, update.effective_chat.id, START_TEXT)

    async def show_help(self, update: Update, context: Context) -> None:
        """/trogiup: what the assistant can do and its commands."""
        assert update.effective_chat is not None
        await send_text(context.bot, update.effective_chat.id, HELP_TEXT)

    async def run_command(self, update: Update, context: Context) -> None:
        """/tracuu, /theodoi, /huy [mã hồ sơ]: the same turn as the words typed out."""
        assert update.effective_chat is not None and update.effective_message is not None
        command = (update.effective_message.text or "").split()[0].lstrip("/").split("@")[0]
        command = command.lower()
        code = " ".join(context.args or [])
        if not code and command != "huy":
            text = NEED_CODE.format(command=command)
            await send_text(context.bot, update.effective_chat.id, text)
            return
        words = f"{COMMAND_WORDS[command]} {code}".strip()
        await take_turn(self.turns, context.bot, update.effective_chat.id, words)

    async def explain_unknown_command(self, update: Update, context: Context) -> None:
        """Any other /command: point to /trogiup."""
        assert update.effective_chat is not None
        await send_text(context.bot, update.effective_chat.id, UNKNOWN_COMMAND)

    async def ask_assistant(self, update: Update, context: Context) -> None:
        """A typed message: one conversation turn."""
        assert update.effective_chat is not None and update.effective_message is not None
        text = update.effective_message.text or ""
        await take_turn(self.turns, context.bot, update.effective_chat.id, text)

    async def press_button(self, update: Update, context: Context) -> None:
        """A pressed button: answer the callback query, then the turn its payload makes."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        chat = update.effective_chat
        if chat is None or chat.type != chat.PRIVATE or not query.data:
            return
        await take_turn(self.turns, context.bot, chat.id, query.data)

    async def ask_to_type(self, update: Update, context: Context) -> None:
        """A sticker, photo, voice message, file…: ask for the question in words."""
        assert update.effective_chat is not None
        await send_text(context.bot, update.effective_chat.id, PLEASE_TYPE)

    async def apologise(self, update: object, context: Context) -> None:
        """Any failure while answering: log it (without the message) and apologise;
        Telegram unreachable: the worker tries the update again later instead."""
        error = context.error
        state = processing.get()
        if state is not None and isinstance(error, NetworkError):
            log.warning("Telegram unreachable: update %d tried again later", state.update_id)
            state.retry = True
            return
        log.error("Telegram update failed: %s", type(error).__name__, exc_info=error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await send_text(context.bot, update.effective_chat.id, BUSY_APOLOGY)
            except Exception as failure:  # the apology itself could not go out
                log.error("Telegram apology not sent: %s", type(failure).__name__)
