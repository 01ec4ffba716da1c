"""The web chat: the page at `/`, its assets, `POST /api/chat`, and
`GET /api/chat/notifications` (what the notifier wrote for a conversation that follows a
dossier; the page polls it, since the web chat has no push)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from bot.conversation import apology, converse
from bot.deps import get_rasa, get_sessions
from bot.observability import current_request_id
from bot.rasa_client import RasaError
from bot.rasa_pool import RasaPool
from bot.schemas import (
    SENDER_PATTERN,
    ChatRequest,
    ChatResponse,
    Notification,
    NotificationsResponse,
)
from notifier.models import ChannelName
from notifier.subscriptions import conversation_of
from notifier.webchat_feed import webchat_notifications

__all__ = ["router"]

log = logging.getLogger("bot.webchat")
router = APIRouter(tags=["webchat"])

# At most this many notifications per answer; the page asks again from the last id.
NOTIFICATIONS_PER_PAGE = 50

_STATIC = Path(__file__).resolve().parent.parent / "static"
_ASSETS = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
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


@router.get("/", include_in_schema=False)
async def chat_page() -> Response:
    """The web chat page."""
    page = (_STATIC / "index.html").read_bytes()
    return Response(page, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


@router.get("/static/{asset}", include_in_schema=False)
async def chat_asset(asset: str) -> Response:
    """The page's script and style sheet (only these two files are served)."""
    if asset not in _ASSETS:
        raise HTTPException(status_code=404, detail="Không tìm thấy tệp này.")
    return Response(
        (_STATIC / asset).read_bytes(),
        media_type=_ASSETS[asset],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.post(
    "/api/chat",
    response_model=ChatResponse,
    responses={503: {"model": ChatResponse, "description": "Rasa is down: an apology"}},
)
async def chat(
    body: ChatRequest, rasa: Annotated[RasaPool, Depends(get_rasa)]
) -> ChatResponse | JSONResponse:
    """Answer one message; 503 with an apology in `replies` when Rasa cannot answer."""
    try:
        return await converse(
            rasa,
            sender=body.sender,
            message=body.message,
            locale=body.locale,
            request_id=current_request_id(),
        )
    except RasaError as error:
        log.error("Rasa could not answer: %s", error, extra={"error_type": type(error).__name__})
        return JSONResponse(apology().model_dump(), status_code=503, headers={"Retry-After": "30"})


@router.get("/api/chat/notifications", response_model=NotificationsResponse)
async def chat_notifications(
    sender: Annotated[str, Query(pattern=SENDER_PATTERN, description="The web chat's sender")],
    sessions: Annotated[sessionmaker[Session], Depends(get_sessions)],
    after: Annotated[int, Query(ge=0, description="The last notification id seen")] = 0,
) -> NotificationsResponse:
    """Notifications for a web chat conversation after `after`, oldest first."""
    conversation = conversation_of(sender)
    if conversation is None or conversation[0] != ChannelName.WEBCHAT:
        return NotificationsResponse(notifications=[])

    def read() -> list[tuple[int, str]]:
        with sessions() as session:
            return webchat_notifications(session, address=conversation[1], after_id=after)

    rows = (await asyncio.to_thread(read))[:NOTIFICATIONS_PER_PAGE]
    return NotificationsResponse(notifications=[Notification(id=i, text=t) for i, t in rows])
