"""Twilio's Messages API (2010-04-01): create, fetch, list and delete Message resources.

Requests are form-encoded with HTTP basic auth (AccountSid:AuthToken) as the `twilio`
library sends them; answers are `api.v2010.account.message` resources, and errors carry
Twilio's body `{"code", "message", "more_info", "status"}` with its documented codes.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import secrets
import time
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from simulators.common import TokenBucket, matches_any
from simulators.twilio.callbacks import progress_message
from simulators.twilio.segments import count_segments
from simulators.twilio.state import API_VERSION, MessageRecord, SimulatorState, new_sid

__all__ = ["router", "twilio_error"]

router = APIRouter(prefix=f"/{API_VERSION}/Accounts/{{account_sid}}")

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ALPHANUMERIC_SENDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")
SHORT_CODE = re.compile(r"^\d{3,6}$")
SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
MAX_BODY = 1600
DATE_FILTERS = ("DateSent", "DateSent<", "DateSent>")


def twilio_error(
    status: int, code: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An error answer shaped like Twilio's."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _not_found(request: Request) -> JSONResponse:
    return twilio_error(404, 20404, f"The requested resource {request.url.path} was not found")


async def _guard(request: Request, account_sid: str) -> JSONResponse | None:
    """Latency, authentication and injected 500s, in that order, for every API call."""
    state = _state(request)
    state.last_api_call = time.monotonic()
    if state.config.latency > 0:
        await asyncio.sleep(state.config.latency)
    user, password = "", ""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = ""
    valid = secrets.compare_digest(user, state.config.account_sid) and secrets.compare_digest(
        password, state.config.auth_token
    )
    if not valid:
        headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'}
        return twilio_error(401, 20003, "Authenticate", headers)
    if account_sid != user:
        return _not_found(request)
    if state.roll(state.config.error_rate):
        return twilio_error(500, 20500, "An internal server error has occurred")
    return None


async def _form(request: Request) -> dict[str, list[str]]:
    if request.headers.get("content-type", "").startswith("multipart/"):
        form = await request.form()
        return {key: [str(v) for v in form.getlist(key)] for key in form}
    return parse_qs((await request.body()).decode(), keep_blank_values=True)


def _validate_create(params: dict[str, str], state: SimulatorState) -> JSONResponse | None:
    to, sender = params.get("To", ""), params.get("From", "")
    service = params.get("MessagingServiceSid", "")
    if not to:
        return twilio_error(400, 21604, "A 'To' phone number is required.")
    if not sender and not service:
        return twilio_error(400, 21603, "A 'From' phone number is required.")
    if not params.get("Body") and not params.get("MediaUrl") and not params.get("ContentSid"):
        return twilio_error(400, 21602, "Message body is required.")
    if len(params.get("Body", "")) > MAX_BODY:
        message = f"The concatenated message body exceeds the {MAX_BODY} character limit."
        return twilio_error(400, 21617, message)
    if service and not SERVICE_SID.match(service):
        return twilio_error(400, 21701, f"The Messaging Service Sid {service} is invalid.")
    if sender and not any(p.match(sender) for p in (E164, ALPHANUMERIC_SENDER, SHORT_CODE)):
        return twilio_error(400, 21212, f"Invalid 'From' Phone Number: {sender}")
    if not E164.match(to) or matches_any(to, state.config.invalid_numbers):
        return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
    if state.is_opted_out(to):
        return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
    callback = params.get("StatusCallback", "")
    if callback and not callback.startswith(("http://", "https://")):
        return twilio_error(400, 21609, f"Invalid StatusCallback url: {callback}")
    return None


async def create_message(request: Request) -> Response:
    """Create (send) a message.

    The simulator's hot path (the notifier bench sends thousands a second), so it is a
    plain Starlette route, without FastAPI's parameter resolution (a fifth of its time).
    """
    account_sid: str = request.path_params["account_sid"]
    state = _state(request)
    if failure := await _guard(request, account_sid):
        return failure
    wait = state.bucket.take()
    if wait is not None:
        headers = {"Retry-After": str(TokenBucket.retry_after_seconds(wait))}
        return twilio_error(429, 20429, "Too Many Requests", headers)
    form = await _form(request)
    params = {key: values[-1] for key, values in form.items()}
    if failure := _validate_create(params, state):
        return failure
    body = params.get("Body", "")
    service = params.get("MessagingServiceSid") or None
    record = MessageRecord(
        sid=new_sid(),
        account_sid=account_sid,
        to=params["To"],
        from_=params.get("From") or None,
        body=body,
        # Through a Messaging Service with no From, Twilio answers "accepted" first.
        status="accepted" if service and not params.get("From") else "queued",
        num_segments=count_segments(body),
        messaging_service_sid=service,
        num_media=len(form.get("MediaUrl", [])),
        status_callback=params.get("StatusCallback") or None,
    )
    state.messages[record.sid] = record
    resource = record.to_resource()
    state.tasks.spawn(progress_message(state, request.app.state.http, record))
    if state.roll(state.config.hang_rate):
        await asyncio.sleep(state.config.hang_seconds)
    return JSONResponse(resource, status_code=201)


router.add_route(f"{router.prefix}/Messages.json", create_message, methods=["POST"])


@router.get("/Messages/{message_sid}.json")
async def fetch_message(account_sid: str, message_sid: str, request: Request) -> Response:
    """Fetch one message."""
    if failure := await _guard(request, account_sid):
        return failure
    record = _state(request).messages.get(message_sid)
    if record is None:
        return _not_found(request)
    return JSONResponse(record.to_resource())


@router.delete("/Messages/{message_sid}.json")
async def delete_message(account_sid: str, message_sid: str, request: Request) -> Response:
    """Delete one message from the account's log."""
    if failure := await _guard(request, account_sid):
        return failure
    if _state(request).messages.pop(message_sid, None) is None:
        return _not_found(request)
    return Response(status_code=204)


def _parse_moment(value: str) -> date | datetime:
    if "T" in value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return date.fromisoformat(value)


def _sent_within(record: MessageRecord, filters: dict[str, date | datetime]) -> bool:
    if not filters:
        return True
    if record.date_sent is None:
        return False
    for key, bound in filters.items():
        if key == "DateSent" and isinstance(bound, datetime):
            bound = bound.date()  # equality is by day, however the client wrote the date
        sent: date | datetime = record.date_sent
        if not isinstance(bound, datetime):
            sent = record.date_sent.date()
        ok = {"DateSent": sent == bound, "DateSent<": sent <= bound, "DateSent>": sent >= bound}
        if not ok[key]:
            return False
    return True


@router.get("/Messages.json")
async def list_messages(account_sid: str, request: Request) -> Response:
    """List messages, newest first, filtered by To, From and DateSent, in pages."""
    if failure := await _guard(request, account_sid):
        return failure
    query = request.query_params
    try:
        page_size = min(1000, max(1, int(query.get("PageSize", "50"))))
        page = max(0, int(query.get("Page", "0")))
        dates = {key: _parse_moment(query[key]) for key in DATE_FILTERS if key in query}
    except ValueError as error:
        return twilio_error(400, 20001, f"Invalid paging or date parameter: {error}")
    filters = {key: value for key, value in query.items() if key in ("To", "From", *DATE_FILTERS)}
    records = [
        record
        for record in reversed(_state(request).messages.values())
        if query.get("To", record.to) == record.to
        and query.get("From", record.from_) == record.from_
        and _sent_within(record, dates)
    ]
    start = page * page_size
    token = query.get("PageToken", "")
    sids = [record.sid for record in records]
    if token.startswith("PA") and token[2:] in sids:
        # A page token pins the page to the last message seen, so that new messages
        # arriving while a client pages through the list do not shift the pages.
        start = sids.index(token[2:]) + 1
    chunk = records[start : start + page_size]
    path = request.url.path

    def page_uri(number: int, extra: dict[str, str] | None = None) -> str:
        paging = {"PageSize": str(page_size), "Page": str(number)}
        return f"{path}?{urlencode(filters | paging | (extra or {}))}"

    has_next = start + page_size < len(records) and bool(chunk)
    next_token = {"PageToken": "PA" + chunk[-1].sid} if chunk else {}
    payload: dict[str, Any] = {
        "messages": [record.to_resource() for record in chunk],
        "end": start + max(len(chunk), 1) - 1,
        "first_page_uri": page_uri(0),
        "next_page_uri": page_uri(page + 1, next_token) if has_next else None,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": page_uri(page - 1) if page > 0 else None,
        "start": start,
        "uri": page_uri(page, {"PageToken": token} if token else None),
    }
    return JSONResponse(payload)
