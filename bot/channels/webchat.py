"""The web chat: the page at `/`, its assets, `POST /api/chat`, and
`GET /api/chat/notifications` (what the notifier wrote for a conversation that follows a
dossier; the page polls it, since the web chat has no push).

Both API routes act only on the caller's own conversation, named by the gateway's
signed cookie (`bot.web_identity`); both are bounded per client address by
`bot.chat_limits` (each its own budget: the page's polling never eats its messages').
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.turn import Outcome, Turn
from bot.chat_limits import read_limited_body, too_fast
from bot.deps import get_sessions, get_web_identity
from bot.observability import current_request_id
from bot.openapi import error_responses
from bot.schemas import (
    SENDER_PATTERN,
    ChatRequest,
    ChatResponse,
    Notification,
    NotificationsResponse,
)
from bot.web_identity import WebIdentity
from notifier.models import ChannelName
from notifier.webchat_feed import webchat_notifications

__all__ = ["router"]

log = logging.getLogger("bot.webchat")
router = APIRouter(tags=["webchat"])

# At most this many notifications per answer; the page asks again from the last id.
NOTIFICATIONS_PER_PAGE = 50
# Notification ids are the outbox's BIGINT ids: a larger `after` is no id at all (422,
# rather than an integer the database cannot take).
MAX_NOTIFICATION_ID = 2**63 - 1

_STATIC = Path(__file__).resolve().parent.parent / "static"
_ASSETS = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
}
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The page"}
_ASSET = {
    "content": {media.split(";")[0]: {"schema": {"type": "string"}} for media in _ASSETS.values()},
    "description": "The page's script or style sheet",
}
# The page loads only its own script and style and talks only to this gateway.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@router.get("/", response_class=Response, responses={200: _HTML})
async def chat_page() -> Response:
    """The web chat page."""
    page = (_STATIC / "index.html").read_bytes()
    return Response(page, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


@router.get(
    "/static/{asset}",
    response_class=Response,
    responses={200: _ASSET, **error_responses(404)},
)
async def chat_asset(asset: str) -> Response:
    """The page's script and style sheet (only these two files are served)."""
    if asset not in _ASSETS:
        raise HTTPException(status_code=404, detail="Không tìm thấy tệp này.")
    return Response(
        (_STATIC / asset).read_bytes(),
        media_type=_ASSETS[asset],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


def _chat_request(raw: bytes) -> ChatRequest:
    """The body as a `ChatRequest`; 422 (the usual Vietnamese answer) when it is not one."""
    try:
        return ChatRequest.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("body", *item.get("loc", ()))} for item in error.errors()]
        ) from None


def _answer(payload: ChatResponse, status: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(payload.model_dump(), status_code=status, headers=headers or None)


@router.post(
    "/api/chat",
    response_model=ChatResponse,
    responses={
        **error_responses(413, 422, 429),
        503: {"model": ChatResponse, "description": "Rasa is down: an apology"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ChatRequest.model_json_schema()}},
        }
    },
)
async def chat(request: Request) -> JSONResponse:
    """Answer one message of the caller's conversation (its cookie; issued when missing)."""
    state = request.app.state
    client = state.client_addresses.of(request)
    wait = state.chat_limiter.take(client)
    if wait:
        raise too_fast(wait)
    body = _chat_request(await read_limited_body(request))
    identity: WebIdentity = state.web_identity
    conversation, fresh = identity.of(request)
    turn = Turn(
        channel=ChannelName.WEBCHAT,
        conversation=identity.sender(conversation, body.sender),
        text=body.message,
        client=client,
        locale=body.locale,
        request_id=current_request_id(),
    )
    # Bounded per client address above: its conversation ids are the client's to mint.
    result = await state.turns.run(turn, limited=False)
    if result.outcome is Outcome.APOLOGY:
        answer = _answer(result.answer, 503, **{"Retry-After": "30"})
    else:
        answer = _answer(result.answer)
    if fresh:
        identity.set_cookie(answer, conversation)
    return answer


@router.get(
    "/api/chat/notifications",
    response_model=NotificationsResponse,
    responses=error_responses(422, 429),
)
async def chat_notifications(
    request: Request,
    response: Response,
    sessions: Annotated[sessionmaker[Session], Depends(get_sessions)],
    identity: Annotated[WebIdentity, Depends(get_web_identity)],
    sender: Annotated[
        str | None,
        Query(pattern=SENDER_PATTERN, description="The sub-conversation, as sent to /api/chat"),
    ] = None,
    after: Annotated[
        int, Query(ge=0, le=MAX_NOTIFICATION_ID, description="The last notification id seen")
    ] = 0,
) -> NotificationsResponse:
    """Notifications of the caller's conversation (its cookie) after `after`, oldest first.

    Without a valid cookie there is nothing to read: a new cookie is issued (so a script
    can get one here before going concurrent) and the list is empty.
    """
    wait = request.app.state.notifications_limiter.take(
        request.app.state.client_addresses.of(request)
    )
    if wait:
        raise too_fast(wait)
    conversation, fresh = identity.of(request)
    if fresh:
        identity.set_cookie(response, conversation)
        return NotificationsResponse(notifications=[])
    address = identity.sender(conversation, sender)

    def read() -> list[tuple[int, str]]:
        with sessions() as session:
            return webchat_notifications(
                session, address=address, after_id=after, limit=NOTIFICATIONS_PER_PAGE
            )

    rows = await asyncio.to_thread(read)
    return NotificationsResponse(notifications=[Notification(id=i, text=t) for i, t in rows])
