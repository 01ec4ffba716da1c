"""Reading Bot API parameters as Telegram does: strings from forms, JSON where objects go."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from simulators.telegram.state import BotApiError, BotState, ChatState

__all__ = ["Params", "WithDescription", "bad_request", "optional_int", "json_param", "resolve_chat"]

Params = dict[str, Any]


@dataclass
class WithDescription:
    """A result that Telegram answers with a `description` beside it ("Webhook was set")."""

    result: Any
    description: str


def bad_request(detail: str) -> BotApiError:
    """A 400 "Bad Request: ..." error."""
    return BotApiError(400, f"Bad Request: {detail}")


def optional_int(params: Params, name: str) -> int | None:
    """An integer parameter (forms send "42"), or None when absent."""
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def json_param(params: Params, name: str, error: str) -> Any:
    """An object parameter: JSON text in forms, already decoded in JSON bodies."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad_request(error) from None
    return value


def resolve_chat(bot: BotState, params: Params) -> ChatState:
    """The chat `chat_id` names (an integer id or "@username"), honouring strict/blocked."""
    raw = params.get("chat_id")
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    if isinstance(raw, str) and raw.startswith("@"):
        for chat in bot.chats.values():
            if chat.username and chat.username.lower() == raw[1:].lower():
                return chat
        raise bad_request("chat not found")
    try:
        chat_id = int(raw)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None
    config = bot.config
    if config.strict_chats and chat_id not in bot.chats and chat_id not in config.known_chats:
        raise bad_request("chat not found")
    if chat_id in config.blocked_chats:
        raise BotApiError(403, "Forbidden: bot was blocked by the user")
    return bot.chat(chat_id)
