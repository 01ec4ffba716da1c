"""The Zalo Official Account channel: `POST /webhooks/zalo`.

Zalo wants HTTP 200 within 2 seconds and retries anything else, so the route only
checks the event, stores it in one INSERT (`bot.channels.zalo_inbox`) and answers 200;
the gateway's worker answers it afterwards through the OA send API
(`bot.channels.zalo_events`), also after a crash or restart. Checks, in order, with
nothing processed or stored on a refusal:

- a body over `MAX_BODY_BYTES` → 400; no `X-ZEvent-Signature` → 403;
- not a JSON object, or without `app_id`, `event_name` and a millisecond `timestamp`
  → 400 (logged without the body);
- the MAC (`zalo_oa.signature`, with `ZALO_OA_SECRET_KEY` over the raw body and the
  body's timestamp) wrong, another app's `app_id`, or a timestamp further than
  `ZALO_WEBHOOK_MAX_AGE_SECONDS` from now (a replay) → 403;
- an event already stored (by `message.msg_id`, else event + user + timestamp) → 200
  and nothing more: Zalo's retries and replays are processed once.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.channels.bodies import read_limited
from bot.channels.zalo_inbox import ZaloEvents
from bot.openapi import error_responses, raw_body
from settings import Settings
from zalo_oa.signature import HEADER, signature_matches

__all__ = ["MAX_BODY_BYTES", "router"]

log = logging.getLogger("bot.zalo")
router = APIRouter(tags=["zalo"])

MAX_BODY_BYTES = 16_384


def _parsed(raw: bytes) -> dict[str, Any]:
    try:
        event = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise HTTPException(status_code=400, detail="body is not JSON") from error
    if not isinstance(event, dict):
        raise HTTPException(status_code=400, detail="body is not a JSON object")
    timestamp = event.get("timestamp")
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        timestamp = str(timestamp)
    if not isinstance(timestamp, str) or not timestamp.isdigit() or len(timestamp) > 15:
        raise HTTPException(status_code=400, detail="timestamp missing or not milliseconds")
    if not isinstance(event.get("app_id"), str) or not isinstance(event.get("event_name"), str):
        raise HTTPException(status_code=400, detail="app_id or event_name missing")
    if _has_nul(event):  # Zalo never sends NUL; the database cannot store it
        raise HTTPException(status_code=400, detail="NUL character in the event")
    event["timestamp"] = timestamp
    return event


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _check(settings: Settings, raw: bytes, event: dict[str, Any], signature: str) -> None:
    secret = settings.zalo_oa_secret_key.get_secret_value()
    app_id = settings.zalo_app_id
    if not signature_matches(
        signature, app_id=app_id, raw_body=raw, timestamp=event["timestamp"], oa_secret_key=secret
    ):
        raise HTTPException(status_code=403, detail="invalid Zalo signature")
    if event["app_id"] != app_id:
        raise HTTPException(status_code=403, detail="event of another app")
    age = abs(time.time() - int(event["timestamp"]) / 1000)
    if age > settings.zalo_webhook_max_age_seconds:
        raise HTTPException(status_code=403, detail="stale event timestamp")


async def verified_event(request: Request, settings: Settings) -> dict[str, Any]:
    """The event Zalo posted, once its size, shape, MAC and age are checked (400/403)."""
    try:
        raw = await read_limited(request, MAX_BODY_BYTES)
        signature = request.headers.get(HEADER)
        if not signature:
            raise HTTPException(status_code=403, detail="missing Zalo signature")
        event = _parsed(raw)
        _check(settings, raw, event, signature)
    except HTTPException as error:
        log.warning("rejected Zalo webhook: %s", error.detail)
        raise
    return event


class ZaloEvent(BaseModel):
    """What the webhook reads of an event; the rest is Zalo's event object."""

    model_config = ConfigDict(extra="allow")

    app_id: str = Field(description="The Official Account's app (ZALO_APP_ID), else 403")
    event_name: str = Field(description="user_send_text, follow, …")
    timestamp: str = Field(
        pattern=r"^[0-9]{1,15}$",
        description="Milliseconds; further than ZALO_WEBHOOK_MAX_AGE_SECONDS from now: 403",
    )


@router.post(
    "/webhooks/zalo",
    responses=error_responses(400, 403),
    openapi_extra=raw_body(
        ZaloEvent,
        X_ZEvent_Signature="mac=<hex SHA-256 of app_id + raw body + timestamp + "
        "ZALO_OA_SECRET_KEY>; missing or wrong: 403",
    ),
)
async def zalo_webhook(request: Request) -> JSONResponse:
    """Store one Zalo event and acknowledge it at once; its reply follows separately."""
    event = await verified_event(request, request.app.state.settings)
    events: ZaloEvents = request.app.state.zalo_events
    if not await events.store(event):
        return JSONResponse({"received": True, "duplicate": True})
    return JSONResponse({"received": True})
