"""Test routes: a user writes, presses a button, follows; what the OA sent; the tokens."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from simulators.zalo.state import SimulatorState
from simulators.zalo.webhook import ATTACHMENT_EVENTS, deliver, event

__all__ = ["router"]

router = APIRouter(prefix="/_sim")


class Text(BaseModel):
    """What the user types."""

    text: str


class Button(BaseModel):
    """The payload of the quick-reply button the user presses."""

    payload: str


class Interaction(BaseModel):
    """When the user last wrote, in hours before now."""

    hours_ago: float = Field(ge=0)


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _user_id(user_id: str) -> str:
    if not user_id.isdigit() or len(user_id) > 32:
        raise HTTPException(status_code=400, detail="a Zalo user id is a numeric string")
    return user_id


async def _write(state: SimulatorState, user_id: str, text: str) -> dict[str, Any]:
    user = state.user(_user_id(user_id))
    user.last_interaction = time.time()
    return await deliver(state, event(state, "user_send_text", user_id, text=text))


@router.post("/users/{user_id}/text")
async def user_writes(request: Request, user_id: str, body: Text) -> dict[str, Any]:
    """The user sends a text message to the OA."""
    return await _write(_state(request), user_id, body.text)


@router.post("/users/{user_id}/button")
async def user_presses(request: Request, user_id: str, body: Button) -> dict[str, Any]:
    """The user presses a quick-reply button: Zalo sends its payload as their text."""
    return await _write(_state(request), user_id, body.payload)


@router.post("/users/{user_id}/attachment/{kind}")
async def user_sends_attachment(request: Request, user_id: str, kind: str) -> dict[str, Any]:
    """The user sends an image, sticker, audio, file or location."""
    state = _state(request)
    if kind not in ATTACHMENT_EVENTS:
        raise HTTPException(status_code=400, detail=f"kind is one of {sorted(ATTACHMENT_EVENTS)}")
    state.user(_user_id(user_id)).last_interaction = time.time()
    attachment = {"type": kind, "payload": {"url": f"https://zalo.example/{kind}.bin"}}
    body = event(state, ATTACHMENT_EVENTS[kind], user_id, text="", attachments=[attachment])
    return await deliver(state, body)


@router.post("/users/{user_id}/{action}")
async def user_follows(request: Request, user_id: str, action: str) -> dict[str, Any]:
    """The user follows or unfollows the OA."""
    state = _state(request)
    if action not in ("follow", "unfollow"):
        raise HTTPException(status_code=404, detail="follow or unfollow")
    user = state.user(_user_id(user_id))
    user.following = action == "follow"
    if user.following:
        user.last_interaction = time.time()
    return await deliver(state, event(state, action, user_id))


@router.put("/users/{user_id}/last-interaction")
async def set_last_interaction(request: Request, user_id: str, body: Interaction) -> dict[str, Any]:
    """Pretend the user last wrote `hours_ago` hours ago (the 48-hour and 7-day windows)."""
    user = _state(request).user(_user_id(user_id))
    user.last_interaction = time.time() - body.hours_ago * 3600
    return {"user_id": user.user_id, "last_interaction": user.last_interaction}


@router.get("/messages")
async def messages(
    request: Request, user_id: str | None = None, after: int = 0, wait: float = 0.0
) -> dict[str, Any]:
    """Messages the OA sent (to `user_id`), from index `after`; waits up to `wait` s for one."""
    state = _state(request)
    deadline = time.monotonic() + min(wait, 30.0)
    while True:
        found = [m for m in state.sent[after:] if user_id is None or m["user_id"] == user_id]
        if found or time.monotonic() >= deadline:
            return {"messages": found, "next": len(state.sent)}
        await asyncio.sleep(0.05)


@router.get("/deliveries")
async def deliveries(request: Request) -> dict[str, Any]:
    """Every event posted, with the status of each attempt."""
    return {"deliveries": _state(request).deliveries}


@router.get("/tokens")
async def tokens(
    request: Request, access_token: str = "", refresh_token: str = ""
) -> dict[str, Any]:
    """Refresh counts, and whether the given tokens would be accepted now."""
    state = _state(request)
    return {
        "refreshes": state.refreshes,
        "refused_refreshes": state.refused_refreshes,
        "access_token": state.access_state(access_token),
        "refresh_token_usable": refresh_token in state.refresh_tokens,
        "refresh_token_spent": refresh_token in state.spent_refresh_tokens,
    }
