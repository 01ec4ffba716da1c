"""Updates processed concurrently across chats, in order within one chat.

PTB processes updates one at a time unless told otherwise; with many citizens writing at
once that makes each wait for the others' Rasa turns. With plain concurrency, though, a
citizen's two quick messages (or a message and a button press) could reach Rasa in the
wrong order. This processor runs up to `max_concurrent_updates` at once, one per chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["ChatOrderedProcessor"]


class ChatOrderedProcessor(BaseUpdateProcessor):
    """One lock per chat while it has updates in flight (then forgotten)."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # chat → (lock, users)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await `coroutine` after the chat's earlier updates."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.get(chat.id, (asyncio.Lock(), 0))
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users <= 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
