"""The Telegram channel: `POST /webhooks/telegram`, fed to python-telegram-bot in-process.

Telegram sends each update with the secret given to setWebhook in
`X-Telegram-Bot-Api-Secret-Token`; a request without it, or with another one, gets 403
before its body is read (nothing processed, nothing stored). A checked update is stored
in one INSERT keyed by (bot, `update_id`) — a replay inserts nothing — and answered 200
at once, without PTB or Rasa: the gateway's worker answers it afterwards through the
Bot API (`stored`), so Telegram never re-delivers because Rasa was slow, and an update
acknowledged just before a crash is answered after the restart. Bodies over
`MAX_UPDATE_BYTES`, malformed JSON or JSON that is not an update get 400 (logged
without their content). The handlers are in `handlers`, the PTB application's life in
`runtime`.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from bot.channels.telegram.runtime import WEBHOOK_PATH, TelegramChannel, telegram_channel
from bot.chat_limits import read_limited_body
from bot.openapi import error_responses, raw_body

__all__ = ["MAX_UPDATE_BYTES", "router", "telegram_channel"]

log = logging.getLogger("bot.telegram")
router = APIRouter(tags=["telegram"])

# A text update is a few KiB at most (4,096 characters plus entities and the chat).
MAX_UPDATE_BYTES = 64 * 1024
SECRET_HEADER = "x-telegram-bot-api-secret-token"
# Update ids are claimed in a BIGINT column: a larger one is no Telegram update.
MAX_UPDATE_ID = 2**63 - 1


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class TelegramChat(_Part):
    """The chat of a message."""

    id: StrictInt
    type: StrictStr


class TelegramUser(_Part):
    """Who wrote or pressed a button."""

    id: StrictInt
    is_bot: StrictBool
    first_name: StrictStr


class TelegramMessage(_Part):
    """A message: the rest is Telegram's `Message` object."""

    message_id: StrictInt
    date: StrictInt
    chat: TelegramChat
    from_: TelegramUser | None = Field(default=None, alias="from")


class TelegramCallbackQuery(_Part):
    """A pressed button: the rest is Telegram's `CallbackQuery` object."""

    id: StrictStr
    from_: TelegramUser = Field(alias="from")
    message: TelegramMessage | None = None


class TelegramUpdate(_Part):
    """What the webhook reads of an update; the rest is Telegram's `Update` object."""

    update_id: StrictInt = Field(ge=0, le=MAX_UPDATE_ID, description="Telegram's id of the update")
    message: TelegramMessage | None = Field(default=None, description="A text the citizen sent")
    callback_query: TelegramCallbackQuery | None = Field(
        default=None, description="A button pressed"
    )


def _channel(request: Request) -> TelegramChannel:
    channel: TelegramChannel | None = getattr(request.app.state, "telegram", None)
    if channel is None or channel.mode != "webhook":
        raise HTTPException(status_code=404, detail="Telegram webhook is not enabled")
    return channel


def _check_secret(request: Request, channel: TelegramChannel) -> None:
    given = request.headers.get(SECRET_HEADER, "")
    if not given or not hmac.compare_digest(given.encode(), channel.secret.encode()):
        log.warning("Telegram webhook refused: missing or wrong secret token")
        raise HTTPException(status_code=403, detail="forbidden")


async def _update(request: Request) -> tuple[int, str]:
    """The update's id and its JSON text, once its size and shape are checked (400)."""
    try:
        body = await read_limited_body(request, MAX_UPDATE_BYTES)
    except HTTPException as error:
        log.warning("Telegram webhook refused: body over %d bytes", MAX_UPDATE_BYTES)
        raise HTTPException(status_code=400, detail="update too large") from error
    try:
        text = body.decode()
        data: Any = json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        log.warning("Telegram webhook refused: malformed JSON")
        raise HTTPException(status_code=400, detail="malformed JSON") from error
    try:
        update = TelegramUpdate.model_validate(data)
    except ValueError as error:  # pydantic's ValidationError is one
        log.warning("Telegram webhook refused: not an update")
        raise HTTPException(status_code=400, detail="not a Telegram update") from error
    return update.update_id, text


@router.post(
    WEBHOOK_PATH,
    status_code=200,
    response_class=Response,
    responses=error_responses(400, 403, 404),
    openapi_extra=raw_body(
        TelegramUpdate,
        X_Telegram_Bot_Api_Secret_Token="The secret given to setWebhook (TELEGRAM_WEBHOOK_SECRET); "
        "missing or wrong: 403",
    ),
)
async def telegram_webhook(request: Request) -> Response:
    """Store one update from Telegram; the answer to the citizen follows separately."""
    channel = _channel(request)
    _check_secret(request, channel)
    update_id, payload = await _update(request)
    await channel.store(update_id, payload)  # False: a replay, stored before
    return Response(status_code=200)
