"""Events as Zalo posts them: built, signed over the raw body, retried on non-200."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import Any

import httpx

from simulators.zalo.state import SimulatorState
from zalo_oa.signature import HEADER, signature_header

__all__ = ["deliver", "event", "signed_headers"]

log = logging.getLogger("simulators.zalo")

ATTACHMENT_EVENTS = {
    "image": "user_send_image",
    "sticker": "user_send_sticker",
    "audio": "user_send_audio",
    "file": "user_send_file",
    "location": "user_send_location",
}


def _now_ms() -> str:
    return str(int(time.time() * 1000))


def event(state: SimulatorState, name: str, user_id: str, **message: Any) -> dict[str, Any]:
    """The body Zalo posts for `name` from `user_id` (`message` fields for user_send_*)."""
    config = state.config
    body: dict[str, Any] = {
        "app_id": config.app_id,
        "user_id_by_app": f"9{user_id}",
        "event_name": name,
        "timestamp": _now_ms(),
    }
    if name in ("follow", "unfollow"):
        return body | {"oa_id": config.oa_id, "source": "oa_profile", "follower": {"id": user_id}}
    msg_id = secrets.token_hex(16)
    return body | {
        "sender": {"id": user_id},
        "recipient": {"id": config.oa_id},
        "message": {"msg_id": msg_id, **message},
    }


def signed_headers(state: SimulatorState, raw: bytes, timestamp: str) -> dict[str, str]:
    """The headers of one delivery."""
    config = state.config
    return {
        "Content-Type": "application/json",
        HEADER: signature_header(config.app_id, raw, timestamp, config.oa_secret_key),
    }


async def _attempt(state: SimulatorState, raw: bytes, headers: dict[str, str]) -> int:
    assert state.http is not None
    try:
        response = await state.http.post(
            state.config.webhook_url,
            content=raw,
            headers=headers,
            timeout=state.config.webhook_timeout,
        )
        return response.status_code
    except httpx.HTTPError as error:
        log.info("webhook delivery failed: %r", error)
        return 0


async def _retry(
    state: SimulatorState, raw: bytes, headers: dict[str, str], record: dict[str, Any]
) -> None:
    for attempt, delay in enumerate(state.config.webhook_retry_delays, start=2):
        await asyncio.sleep(delay)
        status = await _attempt(state, raw, headers | {"X-ZEvent-Retry": str(attempt - 1)})
        record["statuses"].append(status)
        if status == 200:
            return
    record["gave_up"] = True


async def deliver(state: SimulatorState, body: dict[str, Any]) -> dict[str, Any]:
    """Post `body` once now; on anything but 200 keep retrying in the background."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    record: dict[str, Any] = {"event": body, "statuses": [], "gave_up": False}
    state.deliveries.append(record)
    if not state.config.webhook_url:
        return record
    headers = signed_headers(state, raw, str(body["timestamp"]))
    status = await _attempt(state, raw, headers)
    record["statuses"].append(status)
    if status != 200:
        state.tasks.spawn(_retry(state, raw, headers, record))
    return record
