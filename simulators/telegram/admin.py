"""The Telegram simulator's own routes: user updates, sent messages, webhook deliveries.

Settings and reset are the routes every simulator shares (`simulators.sim_admin`).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from simulators.telegram.state import BotState, SimulatorState, now
from simulators.telegram.webhook import ensure_delivery

__all__ = ["router", "UserUpdate"]

router = APIRouter()


class UserUpdate(BaseModel):
    """What a user does in a chat: types `text`, or presses a button with `callback_data`."""

    chat_id: int
    text: str | None = None
    callback_data: str | None = None
    media: str | None = None  # sticker | photo | voice | document: a message without text
    message_id: int | None = None  # the bot message whose button was pressed
    first_name: str = "Công dân"
    last_name: str | None = None
    username: str | None = None
    # A bot token is "<bot id>:<secret>"; the id is the bot's user id.
    token: str | None = Field(default=None, pattern=r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$")
    wait: bool = False  # answer only once the bot received the update (or timeout)
    wait_timeout: float = Field(default=10.0, ge=0, le=60)


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _message_update(bot: BotState, user: UserUpdate, text: str) -> dict[str, Any]:
    chat = bot.chat(user.chat_id)
    message: dict[str, Any] = {
        "message_id": chat.take_message_id(),
        "from": chat.user_json(),
        "chat": chat.to_json(),
        "date": now(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    bot.messages[(chat.id, message["message_id"])] = message
    return {"message": message}


def _media(kind: str, message_id: int) -> dict[str, Any]:
    """What a sticker, photo, voice message or file looks like in a Message."""
    file = {"file_id": f"{kind}-{message_id}", "file_unique_id": f"u{kind}{message_id}"}
    shapes: dict[str, Any] = {
        "sticker": file
        | {"type": "regular", "width": 512, "height": 512}
        | {"is_animated": False, "is_video": False, "emoji": "👍"},
        "photo": [file | {"width": 90, "height": 90, "file_size": 1234}],
        "voice": file | {"duration": 3, "mime_type": "audio/ogg"},
        "document": file | {"file_name": "giay-to.pdf", "mime_type": "application/pdf"},
    }
    if kind not in shapes:
        raise HTTPException(status_code=400, detail=f"media is one of {', '.join(shapes)}")
    return {kind: shapes[kind]}


def _media_update(bot: BotState, user: UserUpdate, kind: str) -> dict[str, Any]:
    chat = bot.chat(user.chat_id)
    message_id = chat.take_message_id()
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": chat.user_json(),
        "chat": chat.to_json(),
        "date": now(),
        **_media(kind, message_id),
    }
    bot.messages[(chat.id, message_id)] = message
    return {"message": message}


def _callback_update(bot: BotState, user: UserUpdate, data: str) -> dict[str, Any]:
    chat = bot.chat(user.chat_id)
    if user.message_id is not None:
        message = bot.messages.get((chat.id, user.message_id))
    else:
        with_keyboard = [
            m
            for (chat_id, _), m in bot.messages.items()
            if chat_id == chat.id and "reply_markup" in m
        ]
        message = with_keyboard[-1] if with_keyboard else None
    # A message the bot can no longer see is an InaccessibleMessage (date 0).
    pressed = message or {"chat": chat.to_json(), "message_id": user.message_id or 0, "date": 0}
    query_id = str(secrets.randbits(63))
    bot.callback_queries[query_id] = {"data": data, "answered": False, "answer": None}
    query = {
        "id": query_id,
        "from": chat.user_json(),
        "message": pressed,
        "chat_instance": str(abs(hash((bot.bot_id, chat.id)))),
        "data": data,
    }
    return {"callback_query": query}


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@router.post("/_sim/updates")
async def add_user_update(request: Request, user: UserUpdate) -> dict[str, Any]:
    """Queue a user's message or button press for getUpdates, or post it to the webhook."""
    if [user.text, user.callback_data, user.media].count(None) != 2:
        raise HTTPException(
            status_code=400, detail="give exactly one of text, callback_data, media"
        )
    state = _state(request)
    bot = state.bot(user.token)
    chat = bot.chat(user.chat_id)
    chat.first_name, chat.last_name, chat.username = user.first_name, user.last_name, user.username
    if user.text is not None:
        payload = _message_update(bot, user, user.text)
    elif user.media is not None:
        payload = _media_update(bot, user, user.media)
    else:
        payload = _callback_update(bot, user, user.callback_data or "")
    update = await bot.enqueue(payload)
    ensure_delivery(state, bot)
    delivered = None
    if user.wait:
        try:
            await asyncio.wait_for(bot.delivered[update["update_id"]].wait(), user.wait_timeout)
            delivered = True
        except TimeoutError:
            delivered = False
    attempts = [d for d in bot.deliveries if d["update_id"] == update["update_id"]]
    return {
        "update_id": update["update_id"],
        "update": update,
        "delivered": delivered,
        "deliveries": attempts,
    }


@router.get("/_sim/updates")
async def pending_updates(request: Request, token: str | None = None) -> list[dict[str, Any]]:
    """Updates not yet confirmed (getUpdates) or delivered (webhook)."""
    return list(_state(request).bot(token).pending)


@router.get("/_sim/sent")
async def sent_messages(
    request: Request, chat_id: int | None = None, token: str | None = None
) -> list[dict[str, Any]]:
    """Every message the bot sent, in order (edits update their entry)."""
    sent = _state(request).bot(token).sent
    return [entry for entry in sent if chat_id in (None, entry["chat_id"])]


@router.get("/_sim/deliveries")
async def webhook_deliveries(request: Request, token: str | None = None) -> list[dict[str, Any]]:
    """Every webhook delivery attempt: update_id, attempt, http_status, error."""
    return _state(request).bot(token).deliveries


@router.get("/_sim/callback_queries")
async def callback_queries(request: Request, token: str | None = None) -> dict[str, Any]:
    """Button presses and how the bot answered them."""
    return _state(request).bot(token).callback_queries


@router.get("/_sim/chat_actions")
async def chat_actions(request: Request, chat_id: int, token: str | None = None) -> list[str]:
    """The chat actions ("typing", ...) the bot sent to a chat, in order."""
    return list(_state(request).bot(token).chat(chat_id).actions)
