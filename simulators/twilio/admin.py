"""The Twilio simulator's own routes: inspect messages and callbacks, inject inbound SMS.

Settings and reset are the routes every simulator shares (`simulators.sim_admin`).
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from simulators.twilio.callbacks import post_inbound_sms
from simulators.twilio.state import SimulatorState

__all__ = ["router", "InboundSms"]

router = APIRouter()

OUTBOUND = ("outbound-api", "outbound-reply")


class InboundSms(BaseModel):
    """A text a citizen sends to our number, to be posted to our SMS webhook."""

    model_config = ConfigDict(populate_by_name=True)

    # An absolute http(s) URL of printable ASCII: anything else cannot be posted to.
    url: str = Field(pattern=r"^https?://[^\s/?#]+[!-~]*$", max_length=2048)
    body: str
    from_: str = Field(alias="from")
    to: str | None = None
    message_sid: str | None = None


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@router.get("/_sim/messages")
async def list_accepted_messages(
    request: Request, direction: str | None = None, to: str | None = None
) -> list[dict[str, Any]]:
    """Every message the simulator accepted, in acceptance order (outbound unless asked)."""
    directions = OUTBOUND if direction is None else (direction,)
    return [
        record.to_summary()
        for record in _state(request).messages.values()
        if (direction == "all" or record.direction in directions) and to in (None, record.to)
    ]


@router.get("/_sim/callbacks")
async def list_callbacks(request: Request) -> list[dict[str, Any]]:
    """Every status callback attempted, in order, with our webhook's HTTP status."""
    return _state(request).callbacks


@router.post("/_sim/inbound")
async def inbound_sms(request: Request, sms: InboundSms) -> dict[str, Any]:
    """Post a signed inbound-SMS webhook to `url` and answer with what our gateway said."""
    try:
        return await post_inbound_sms(
            _state(request),
            request.app.state.http,
            url=sms.url,
            sender=sms.from_,
            body=sms.body,
            to=sms.to,
            message_sid=sms.message_sid,
        )
    except httpx.InvalidURL as error:
        raise HTTPException(status_code=400, detail=f"not a webhook URL: {error}") from error
    except httpx.HTTPError as error:
        raise HTTPException(status_code=502, detail=f"webhook unreachable: {error}") from error
