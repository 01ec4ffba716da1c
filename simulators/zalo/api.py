"""Zalo's own routes: the consultation message and the token refresh."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from simulators.zalo.state import DAY, SimulatorState
from zalo_oa.send import MAX_TEXT_CHARS, OUTSIDE_WINDOW_CODE, RATE_LIMIT_CODE, SEND_PATH
from zalo_oa.tokens import REFRESH_PATH

__all__ = ["router"]

router = APIRouter()

FREE_WINDOW = 2 * DAY
PAID_WINDOW = 7 * DAY


def _error(code: int, message: str) -> JSONResponse:
    # Zalo answers HTTP 200 whatever happened; the error is in the body.
    return JSONResponse({"error": code, "message": message})


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _message_problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "body must be a JSON object"
    user_id = (body.get("recipient") or {}).get("user_id")
    message = body.get("message")
    if not isinstance(user_id, str) or not user_id.isdigit():
        return "recipient.user_id is invalid"
    if not isinstance(message, dict):
        return "message is missing"
    text = message.get("text")
    attachment = message.get("attachment")
    if text is None and attachment is None:
        return "message has neither text nor attachment"
    if text is not None and (not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT_CHARS):
        return f"text must be 1 to {MAX_TEXT_CHARS} characters"
    if attachment is not None:
        payload = attachment.get("payload") if isinstance(attachment, dict) else None
        buttons = (payload or {}).get("buttons", [])
        if not isinstance(buttons, list) or len(buttons) > 5:
            return "a button template holds at most 5 buttons"
    return None


@router.post(SEND_PATH)
async def send_consultation(request: Request) -> JSONResponse:
    """One consultation message to a user who wrote within the last 7 days."""
    state = _state(request)
    if state.config.latency:
        await asyncio.sleep(state.config.latency)
    token_state = state.access_state(request.headers.get("access_token", ""))
    if token_state == "invalid":
        return _error(-216, "Access token is invalid")
    if token_state == "expired":
        return _error(-124, "Access token has expired")
    if state.bucket.take() is not None:
        return _error(RATE_LIMIT_CODE, "Out of rate limit")
    try:
        body = await request.json()
    except ValueError:
        return _error(-201, "Parameters are invalid: body is not JSON")
    problem = _message_problem(body)
    if problem:
        return _error(-201, f"Parameters are invalid: {problem}")
    user = state.users.get(body["recipient"]["user_id"])
    if user is None or user.last_interaction is None:
        return _error(OUTSIDE_WINDOW_CODE, "User has not interacted with the OA in 7 days")
    age = time.time() - user.last_interaction
    if age > PAID_WINDOW:
        return _error(OUTSIDE_WINDOW_CODE, "User has not interacted with the OA in 7 days")
    message_id = state.record_sent(user.user_id, body["message"], charged=age > FREE_WINDOW)
    return JSONResponse(
        {
            "error": 0,
            "message": "Success",
            "data": {"message_id": message_id, "user_id": user.user_id},
        }
    )


@router.post(REFRESH_PATH)
async def refresh_access_token(request: Request) -> JSONResponse:
    """A new pair for a refresh token, which is spent at once (single-use)."""
    state = _state(request)
    form = await request.form()
    if request.headers.get("secret_key") != state.config.app_secret_key:
        return JSONResponse({"error": -14002, "error_name": "Invalid secret key"})
    if form.get("app_id") != state.config.app_id or form.get("grant_type") != "refresh_token":
        return JSONResponse({"error": -14001, "error_name": "Invalid parameter"})
    if not state.spend_refresh(str(form.get("refresh_token", ""))):
        return JSONResponse(
            {
                "error": -14014,
                "error_name": "Invalid refresh token",
                "error_reason": "spent or expired",
            }
        )
    pair = state.issue_pair()
    if state.config.refresh_latency:
        # The pair exists and the old refresh token is spent before the answer leaves.
        await asyncio.sleep(state.config.refresh_latency)
    return JSONResponse(pair)
