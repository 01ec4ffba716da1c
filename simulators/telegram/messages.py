"""Bot API methods about messages: sendMessage, editMessageText, answerCallbackQuery, ..."""

from __future__ import annotations

import html
import re
from typing import Any

from simulators.common import TokenBucket
from simulators.telegram.params import (
    Params,
    bad_request,
    json_param,
    optional_int,
    resolve_chat,
)
from simulators.telegram.state import BotApiError, BotState, ChatState, SimulatorState, now

__all__ = [
    "send_message",
    "edit_message_text",
    "edit_message_reply_markup",
    "delete_message",
    "answer_callback_query",
    "send_chat_action",
    "MAX_TEXT",
]

MAX_TEXT = 4096
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MAX_CALLBACK_DATA_BYTES = 64
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
TAG = re.compile(r"<[^>]+>")
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _visible_length(text: str, parse_mode: str | None) -> int:
    """The length Telegram checks: the text after its markup is parsed."""
    if parse_mode and parse_mode.upper() == "HTML":
        return len(html.unescape(TAG.sub("", text)))
    return len(text)


def _inline_keyboard(params: Params) -> dict[str, Any] | None:
    """The inline keyboard to show under the message (other keyboards are not echoed)."""
    markup = json_param(params, "reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if not {"keyboard", "remove_keyboard", "force_reply"} & set(markup):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("can't parse inline keyboard button: Text must be non-empty")
        if not BUTTON_ACTIONS & set(button):
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the "
                "inline keyboard"
            )
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows}


def _take_send_slot(bot: BotState, chat: ChatState) -> None:
    """Keep Telegram's limits: about 1 message a second a chat and 30 a second overall."""
    for bucket in (chat.bucket, bot.bucket):
        wait = bucket.take() if bucket else None
        if wait is not None:
            seconds = TokenBucket.retry_after_seconds(wait)
            raise BotApiError(429, f"Too Many Requests: retry after {seconds}", seconds)


def _text(params: Params) -> str:
    text = params.get("text")
    if text is None or str(text).strip() == "":
        raise bad_request("message text is empty")
    text = str(text)
    if _visible_length(text, params.get("parse_mode")) > MAX_TEXT:
        raise bad_request("message is too long")
    return text


async def send_message(state: SimulatorState, bot: BotState, params: Params) -> dict[str, Any]:
    """sendMessage: a text (with an optional inline keyboard) from the bot to a chat."""
    chat = resolve_chat(bot, params)
    text = _text(params)
    keyboard = _inline_keyboard(params)
    _take_send_slot(bot, chat)
    message: dict[str, Any] = {
        "message_id": chat.take_message_id(),
        "from": bot.user_json(),
        "chat": chat.to_json(),
        "date": now(),
        "text": text,
    }
    if keyboard:
        message["reply_markup"] = keyboard
    bot.messages[(chat.id, message["message_id"])] = message
    bot.sent.append(
        {
            "chat_id": chat.id,
            "message_id": message["message_id"],
            "text": text,
            "parse_mode": params.get("parse_mode"),
            "reply_markup": keyboard,
            "date": message["date"],
            "edit_date": None,
            "deleted": False,
        }
    )
    return message


def _own_message(bot: BotState, params: Params, action: str) -> tuple[ChatState, dict[str, Any]]:
    if params.get("inline_message_id"):
        raise bad_request(f"message to {action} not found")
    chat = resolve_chat(bot, params)
    message_id = optional_int(params, "message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = bot.messages.get((chat.id, message_id))
    if message is None or message["from"]["id"] != bot.bot_id:
        raise bad_request(f"message to {action} not found")
    return chat, message


def _record_edit(bot: BotState, chat_id: int, message: dict[str, Any]) -> None:
    for entry in bot.sent:
        if entry["chat_id"] == chat_id and entry["message_id"] == message["message_id"]:
            entry.update(
                text=message.get("text"),
                reply_markup=message.get("reply_markup"),
                edit_date=message["edit_date"],
            )


def _edited(
    bot: BotState, chat_id: int, message: dict[str, Any], keyboard: dict[str, Any] | None
) -> dict[str, Any]:
    """Put `keyboard` (None: no keyboard) on an edited message, stamp and record the edit."""
    message.pop("reply_markup", None)
    if keyboard:
        message["reply_markup"] = keyboard
    message["edit_date"] = now()
    _record_edit(bot, chat_id, message)
    return message


async def edit_message_text(state: SimulatorState, bot: BotState, params: Params) -> dict[str, Any]:
    """editMessageText: change the text (and keyboard) of one of the bot's messages."""
    chat, message = _own_message(bot, params, "edit")
    text = _text(params)
    keyboard = _inline_keyboard(params)
    if text == message.get("text") and keyboard == message.get("reply_markup"):
        raise bad_request(NOT_MODIFIED)
    _take_send_slot(bot, chat)
    message["text"] = text
    return _edited(bot, chat.id, message, keyboard)


async def edit_message_reply_markup(
    state: SimulatorState, bot: BotState, params: Params
) -> dict[str, Any]:
    """editMessageReplyMarkup: change or remove the inline keyboard of a bot message."""
    chat, message = _own_message(bot, params, "edit")
    keyboard = _inline_keyboard(params)
    if keyboard == message.get("reply_markup"):
        raise bad_request(NOT_MODIFIED)
    return _edited(bot, chat.id, message, keyboard)


async def delete_message(state: SimulatorState, bot: BotState, params: Params) -> bool:
    """deleteMessage: remove one of the bot's messages."""
    chat, message = _own_message(bot, params, "delete")
    del bot.messages[(chat.id, message["message_id"])]
    for entry in bot.sent:
        if entry["chat_id"] == chat.id and entry["message_id"] == message["message_id"]:
            entry["deleted"] = True
    return True


async def answer_callback_query(state: SimulatorState, bot: BotState, params: Params) -> bool:
    """answerCallbackQuery: acknowledge a button press (once, and only a real one)."""
    query = bot.callback_queries.get(str(params.get("callback_query_id", "")))
    if query is None or query["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(str(params.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answered"] = True
    query["answer"] = {k: params.get(k) for k in ("text", "show_alert", "url") if k in params}
    return True


async def send_chat_action(state: SimulatorState, bot: BotState, params: Params) -> bool:
    """sendChatAction: "typing..." and the like."""
    chat = resolve_chat(bot, params)
    action = str(params.get("action") or "")
    if not action:
        raise bad_request("action is empty")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action)
    return True
