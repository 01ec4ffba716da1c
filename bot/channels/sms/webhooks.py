"""The SMS channel's routes: Twilio's inbound-message and status-callback webhooks.

`POST /webhooks/twilio/sms` answers a text with TwiML (see `bot.channels.sms.inbound` for
what is answered how); `POST /webhooks/twilio/status` records delivered / failed /
undelivered against the outbox row with that MessageSid. Both sit behind
`twilio_form`, the reusable guard: a form body of bounded size, signed with
`X-Twilio-Signature` over `PUBLIC_BASE_URL` + the path (the gateway is behind a proxy,
so the URL Twilio signed is the public one, not the one we see) and `TWILIO_AUTH_TOKEN`.
Oversized or malformed bodies get 400, bad or missing signatures 403, and nothing is
processed in either case.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.bodies import read_limited
from bot.channels.sms.inbound import InboundSmsHandler
from bot.channels.sms.keywords import Keyword, parse_keyword
from bot.channels.turn import Turn, TurnRunner
from bot.conversation import BUSY_APOLOGY
from bot.deps import get_sessions, get_settings_of_app
from bot.openapi import error_responses, form_body
from bot.schemas import ChatResponse
from bot.twilio_forms import (
    SIGNATURE_DESCRIPTION,
    InboundSmsForm,
    StatusCallbackForm,
    checked_form,
)
from notifier.clock import SystemClock
from notifier.deliveries import record_delivery
from notifier.exceptions import NotifierUnavailable
from notifier.models import ChannelName
from notifier.phones import normalize_phone
from settings import Settings
from vntext import fold

__all__ = ["router", "twilio_form", "verified_form"]

log = logging.getLogger("bot.sms")
router = APIRouter(tags=["sms"])

_FORM = "application/x-www-form-urlencoded"
_TWIML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/xml": {"schema": {"type": "string"}}}, "description": "TwiML"}
}


async def verified_form(request: Request, settings: Settings) -> dict[str, str]:
    """The form Twilio posted, once its size, shape and signature are checked (400/403)."""
    try:
        raw = await read_limited(request, settings.sms_webhook_max_bytes)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != _FORM:
            raise HTTPException(status_code=400, detail="expected a form-encoded body")
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError) as error:
            raise HTTPException(status_code=400, detail="malformed form body") from error
    except HTTPException as error:
        log.warning("rejected Twilio webhook %s: %s", request.url.path, error.detail)
        raise
    form = dict(pairs)
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature", "")
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not signature or not validator.validate(url, form, signature):
        log.warning("forged or missing X-Twilio-Signature on %s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return form


async def twilio_form(
    request: Request, settings: Annotated[Settings, Depends(get_settings_of_app)]
) -> dict[str, str]:
    """`verified_form` as a dependency, for every other Twilio-signed route."""
    return await verified_form(request, settings)


def _twiml(text: str | None) -> Response:
    reply = MessagingResponse()
    if text:
        reply.message(text)
    return Response(str(reply), media_type="application/xml")


@router.post(
    "/webhooks/twilio/sms",
    response_class=Response,
    responses={**_TWIML, **error_responses(400, 403)},
    openapi_extra=form_body(InboundSmsForm, X_Twilio_Signature=SIGNATURE_DESCRIPTION),
)
async def inbound_sms(request: Request) -> Response:
    """Answer one inbound text with TwiML.

    The busiest webhook, so its parts come from `app.state` directly rather than
    through FastAPI's dependency resolution, which cost a quarter of the request.
    """
    settings: Settings = request.app.state.settings
    form = await verified_form(request, settings)
    handler: InboundSmsHandler = request.app.state.sms_handler
    turns: TurnRunner = request.app.state.turns
    inbound = checked_form(InboundSmsForm, form)
    sid, sender, body = inbound.MessageSid, inbound.From, inbound.Body
    if parse_keyword(body) is not Keyword.OPT_OUT:  # STOP is always honoured
        refused = turns.admit(f"sms:{normalize_phone(sender) or sender}")
        if refused is not None:  # nothing claimed, looked up or sent to Rasa
            return _twiml(None if refused.silent else _folded(handler, _text_of(refused.answer)))

    async def ask_rasa(conversation: str, text: str) -> str:
        turn = Turn(ChannelName.SMS, conversation, text, client=conversation)
        result = await turns.run(turn, limited=False)  # admitted above
        return _text_of(result.answer)  # the handler folds and shortens it

    try:
        return _twiml(await handler.answer(sid, sender, body, ask_rasa))
    except NotifierUnavailable as error:
        # Twilio does not retry an inbound webhook: a 500 would leave the citizen with no
        # answer at all. A text that failed before its MessageSid was claimed is handled
        # afresh when the citizen sends it again.
        log.error("database unavailable for inbound SMS %s: %s", sid, error)
        return _twiml(_folded(handler, BUSY_APOLOGY))


def _text_of(answer: ChatResponse) -> str:
    """An answer as one text: replies line by line, buttons as "- <title>" lines."""
    lines = [reply.text for reply in answer.replies if reply.text]
    for reply in answer.replies:
        lines += [f"- {button.title}" for button in reply.buttons]
    return "\n".join(lines) or BUSY_APOLOGY


def _folded(handler: InboundSmsHandler, text: str) -> str:
    """`text` without diacritics unless SMS_DIACRITICS (one GSM-7 segment holds more)."""
    return text if handler.diacritics else fold(text, lower=False)


@router.post(
    "/webhooks/twilio/status",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 403),
    openapi_extra=form_body(StatusCallbackForm, X_Twilio_Signature=SIGNATURE_DESCRIPTION),
)
async def status_callback(
    form: Annotated[dict[str, str], Depends(twilio_form)],
    sessions: Annotated[sessionmaker[Session], Depends(get_sessions)],
) -> Response:
    """Record a delivery report (queued, sent, delivered, undelivered, failed)."""
    report = checked_form(StatusCallbackForm, form)
    sid, status = report.MessageSid, report.MessageStatus

    def write() -> bool:
        with sessions() as session, session.begin():
            return record_delivery(
                session,
                provider_id=sid,
                status=status,
                error_code=report.ErrorCode or None,
                now=SystemClock().now(),
            )

    if not await asyncio.to_thread(write):
        log.info("status callback for unknown message %s (%s)", sid, status)
    return Response(status_code=204)
