"""Stored Telegram updates, answered by the gateway's worker through PTB's handlers.

The webhook (or, in polling mode, the first handler group) stores each update in
`telegram_update_claim`; the worker (`bot.channels.inbox_worker`) claims it and runs it
through the PTB application's handlers (`handlers`) with `processing` telling them that
the update comes from the store. A send that failed because Telegram could not be
reached marks the update for another try instead of an apology.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.channels.inbox_worker import Outcome, Retry
from db.inbox import StoredUpdate

__all__ = ["Processing", "TelegramUpdates", "chat_of", "processing"]

log = logging.getLogger("bot.telegram")


@dataclass
class Processing:
    """The stored update being answered in this task, and whether to try it again."""

    update_id: int
    retry: bool = False


processing: ContextVar[Processing | None] = ContextVar("telegram_processing", default=None)


def chat_of(data: dict[str, Any]) -> int | None:
    """The chat an update belongs to (its message's, or its pressed button's)."""
    message = data.get("message")
    if not isinstance(message, dict):
        query = data.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if isinstance(chat_id, int) else None


class TelegramUpdates:
    """The worker's processor of stored updates (see `bot.channels.inbox_worker`)."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application

    def conversation(self, update: StoredUpdate) -> Hashable | None:
        """The chat: its updates are answered in order."""
        try:
            data = json.loads(update.payload)
        except ValueError:
            return None
        return chat_of(data) if isinstance(data, dict) else None

    async def process(self, update: StoredUpdate) -> Outcome | Retry:
        """Run the update through PTB's handlers; tried again when Telegram was unreachable."""
        try:
            parsed = Update.de_json(json.loads(update.payload), self.application.bot)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            # PTB parses nested objects without checking their types: nothing to answer.
            log.warning("stored Telegram update of unknown shape dropped: %s", type(error).__name__)
            return Outcome.DONE
        state = Processing(parsed.update_id)
        token = processing.set(state)
        try:
            await self.application.process_update(parsed)
        finally:
            processing.reset(token)
        return Retry() if state.retry else Outcome.DONE
