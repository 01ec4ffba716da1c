"""The Bot API endpoint: `GET|POST /bot{token}/{method}` with query, form, multipart or JSON.

Answers use Telegram's envelope: `{"ok": true, "result": ...}` (with a `description` for
some methods) or `{"ok": false, "error_code", "description", "parameters"?}` with the
same HTTP status as `error_code`. Method names are case-insensitive, as in Telegram.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from simulators.telegram import messages, updates
from simulators.telegram.params import Params, WithDescription
from simulators.telegram.state import BotApiError, BotState, SimulatorState

__all__ = ["router", "execute_method", "METHODS"]

router = APIRouter()

Method = Callable[[SimulatorState, BotState, Params], Awaitable[Any]]

METHODS: dict[str, Method] = {
    name.lower(): method
    for name, method in {
        "getMe": updates.get_me,
        "getUpdates": updates.get_updates,
        "setWebhook": updates.set_webhook,
        "deleteWebhook": updates.delete_webhook,
        "getWebhookInfo": updates.get_webhook_info,
        "setMyCommands": updates.set_my_commands,
        "getMyCommands": updates.get_my_commands,
        "deleteMyCommands": updates.delete_my_commands,
        "sendMessage": messages.send_message,
        "editMessageText": messages.edit_message_text,
        "editMessageReplyMarkup": messages.edit_message_reply_markup,
        "deleteMessage": messages.delete_message,
        "answerCallbackQuery": messages.answer_callback_query,
        "sendChatAction": messages.send_chat_action,
    }.items()
}
TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


async def _params(request: Request) -> Params:
    """Every parameter, from the query string and the body, whatever its encoding."""
    params: Params = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if "application/json" in content_type:
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif "form" in content_type:
        form = await request.form()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params


async def execute_method(state: SimulatorState, bot: BotState, name: str, params: Params) -> Any:
    """Run one Bot API method for `bot`; raises BotApiError as Telegram would answer."""
    method = METHODS.get(name.lower())
    if method is None:
        raise BotApiError(404, "Not Found")
    return await method(state, bot, params)


def _error(error: BotApiError) -> JSONResponse:
    return JSONResponse(error.to_json(), status_code=error.code)


@router.api_route("/bot{token}/{method}", methods=["GET", "POST"])
async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
    """One Bot API call."""
    state = _state(request)
    if not TOKEN_SHAPE.match(token):
        return _error(BotApiError(404, "Not Found"))
    if token not in state.config.tokens:
        return _error(BotApiError(401, "Unauthorized"))
    if state.config.latency > 0:
        await asyncio.sleep(state.config.latency)
    if state.roll(state.config.error_rate):
        return _error(BotApiError(500, "Internal Server Error"))
    try:
        params = await _params(request)
        result = await execute_method(state, state.bot(token), method, params)
    except BotApiError as error:
        return _error(error)
    except ValueError:
        return _error(BotApiError(400, "Bad Request: can't parse request body"))
    if isinstance(result, WithDescription):
        return JSONResponse(
            {"ok": True, "result": result.result, "description": result.description}
        )
    return JSONResponse({"ok": True, "result": result})
