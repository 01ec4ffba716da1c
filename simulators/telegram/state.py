"""What the Telegram simulator remembers, per bot: chats, messages, updates, webhook."""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulators.common import TokenBucket
from simulators.telegram.config import TelegramSimConfig

__all__ = ["BotApiError", "ChatState", "BotState", "SimulatorState", "Executor", "now"]

FIRST_UPDATE_ID = 100_000_001


def now() -> int:
    """Telegram's timestamps: whole Unix seconds."""
    return int(time.time())


class BotApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code", "description", "parameters"?}`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """The error envelope Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class ChatState:
    """A chat the bot talks in (private for positive ids, a group for negative ones)."""

    id: int
    first_name: str = "Công dân"
    last_name: str | None = None
    username: str | None = None
    next_message_id: int = 1
    bucket: TokenBucket | None = None
    actions: list[str] = field(default_factory=list)  # sendChatAction calls, in order

    def to_json(self) -> dict[str, Any]:
        """The `Chat` object."""
        if self.id < 0:
            kind = "supergroup" if str(self.id).startswith("-100") else "group"
            return {"id": self.id, "type": kind, "title": self.first_name}
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    def user_json(self) -> dict[str, Any]:
        """The `User` a private chat is with."""
        user = {k: v for k, v in self.to_json().items() if k != "type"}
        return user | {"is_bot": False, "language_code": "vi"}

    def take_message_id(self) -> int:
        """The next message id in this chat (ids are per chat, shared by both sides)."""
        self.next_message_id += 1
        return self.next_message_id - 1


@dataclass
class BotState:
    """One bot (one token): its chats, messages, pending updates and webhook."""

    token: str
    config: TelegramSimConfig
    chats: dict[int, ChatState] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    next_update_id: int = FIRST_UPDATE_ID
    delivered: dict[int, asyncio.Event] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    poll_generation: int = 0
    poll_changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    webhook: dict[str, Any] = field(default_factory=dict)
    webhook_task: asyncio.Task[None] | None = None
    commands: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bucket = TokenBucket(self.config.global_rate, self.config.global_burst or None)

    def reconfigure(self, config: TelegramSimConfig) -> None:
        """Take new settings; the rate limits start afresh."""
        self.config = config
        self.bucket = TokenBucket(config.global_rate, config.global_burst or None)
        for chat in self.chats.values():
            chat.bucket = TokenBucket(config.per_chat_rate, config.per_chat_burst or None)

    @property
    def bot_id(self) -> int:
        """The bot's user id: the number before the colon in its token."""
        return int(self.token.split(":", 1)[0])

    def user_json(self) -> dict[str, Any]:
        """The bot's own `User` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.config.bot_first_name,
            "username": self.config.bot_username,
        }

    def chat(self, chat_id: int) -> ChatState:
        """The chat with this id, made on first use."""
        if chat_id not in self.chats:
            bucket = TokenBucket(self.config.per_chat_rate, self.config.per_chat_burst or None)
            self.chats[chat_id] = ChatState(id=chat_id, bucket=bucket)
        return self.chats[chat_id]

    def add_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (`payload` without its id) and return it with its `update_id`."""
        update = {"update_id": self.next_update_id, **payload}
        self.next_update_id += 1
        self.pending.append(update)
        self.delivered[update["update_id"]] = asyncio.Event()
        return update

    async def enqueue(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Add an update and wake a waiting getUpdates."""
        update = self.add_update(payload)
        async with self.poll_changed:
            self.poll_changed.notify_all()
        return update

    def mark_delivered(self, update_id: int) -> None:
        """Tell anyone waiting that this update reached the bot."""
        if event := self.delivered.get(update_id):
            event.set()

    async def bump_pollers(self) -> int:
        """Start a new poll generation; a getUpdates still waiting is then terminated."""
        async with self.poll_changed:
            self.poll_generation += 1
            self.poll_changed.notify_all()
            return self.poll_generation


Executor = Callable[[BotState, str, dict[str, Any]], Awaitable[Any]]


class SimulatorState:
    """All bots of one simulator process; `reset` forgets everything."""

    def __init__(self, config: TelegramSimConfig) -> None:
        self.startup_config = config
        self.bots: dict[str, BotState] = {}
        # Set by the app: the client that calls webhooks, and the method dispatcher (which
        # runs a method a webhook answers with).
        self.http: httpx.AsyncClient | None = None
        self.execute: Executor | None = None
        self.configure(config)

    def configure(self, config: TelegramSimConfig) -> None:
        """Apply new settings; bots keep their state, limits restart."""
        self.config = config
        self.random = random.Random(config.seed)
        for bot in self.bots.values():
            bot.reconfigure(config)

    def reset(self) -> None:
        """Forget every bot's chats, messages, updates and webhook; restore start-up settings."""
        for bot in self.bots.values():
            if bot.webhook_task:
                bot.webhook_task.cancel()
        self.bots.clear()
        self.configure(self.startup_config)

    def bot(self, token: str | None = None) -> BotState:
        """The bot for `token` (the first configured one by default)."""
        token = token or self.config.tokens[0]
        if token not in self.bots:
            self.bots[token] = BotState(token=token, config=self.config)
        return self.bots[token]

    def roll(self, share: float) -> bool:
        """True with probability `share` (seeded)."""
        return share > 0 and self.random.random() < share
