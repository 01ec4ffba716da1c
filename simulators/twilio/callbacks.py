"""Requests the Twilio simulator makes to us: status callbacks and inbound SMS webhooks.

Both are form-encoded POSTs signed with `X-Twilio-Signature` exactly as Twilio signs them
(HMAC-SHA1 over the URL and the sorted parameters, keyed by the auth token), computed by
the `twilio` library's own `RequestValidator`, so our gateway validates them unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import time
import xml.etree.ElementTree as ElementTree
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

from simulators.common import matches_any
from simulators.twilio.segments import count_segments
from simulators.twilio.state import API_VERSION, MessageRecord, SimulatorState, new_sid

__all__ = ["progress_message", "post_inbound_sms", "OPT_OUT_KEYWORDS", "OPT_IN_KEYWORDS"]

logger = logging.getLogger(__name__)

# Twilio's default Advanced Opt-Out keywords.
OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_KEYWORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})

# While API calls keep arriving, a status callback waits (at most this long) for a lull:
# Twilio's own callbacks come later, and here they share one process with the API.
CALLBACK_YIELD_SECONDS = 2.0
_LULL_SECONDS = 0.05

UNREACHABLE = (30003, "Unreachable destination handset")
UNKNOWN_ERROR = (30008, "Unknown error")


def _signed_headers(state: SimulatorState, url: str, params: dict[str, str]) -> dict[str, str]:
    signature = RequestValidator(state.config.auth_token).compute_signature(url, params)
    return {"X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"}


def _status_steps(record: MessageRecord, state: SimulatorState) -> list[str]:
    if matches_any(record.to, state.config.failed_numbers):
        return ["queued", "failed"]
    if matches_any(record.to, state.config.unreachable_numbers):
        return ["queued", "sent", "undelivered"]
    return ["queued", "sent", "delivered"]


def _callback_params(record: MessageRecord) -> dict[str, str]:
    params = {
        "AccountSid": record.account_sid,
        "ApiVersion": API_VERSION,
        "From": record.from_ or "",
        "MessageSid": record.sid,
        "MessageStatus": record.status,
        "SmsSid": record.sid,
        "SmsStatus": record.status,
        "To": record.to,
    }
    if record.messaging_service_sid:
        params["MessagingServiceSid"] = record.messaging_service_sid
    if record.error_code is not None:
        params["ErrorCode"] = str(record.error_code)
    if record.status == "delivered":
        params["RawDlrDoneDate"] = time.strftime("%y%m%d%H%M", time.gmtime())
    return params


async def _post_status_callback(
    state: SimulatorState, client: httpx.AsyncClient, record: MessageRecord
) -> None:
    url = record.status_callback
    if not url:
        return
    params = _callback_params(record)
    headers = _signed_headers(state, url, params)
    headers["I-Twilio-Idempotency-Token"] = f"{record.sid}-{record.status}"
    entry: dict[str, Any] = {"sid": record.sid, "status": record.status, "url": url}
    entry |= {"params": params, "http_status": None, "error": None}
    try:
        async with state.callback_slots:
            await _wait_for_lull(state)
            response = await client.post(
                url, data=params, headers=headers, timeout=state.config.callback_timeout
            )
        entry["http_status"] = response.status_code
    except httpx.HTTPError as error:
        # Twilio does not retry a failed status callback; it only logs it (error 11200).
        entry["error"] = f"{type(error).__name__}: {error}"
        _log_failure(state, url, entry["error"])
    state.callbacks.append(entry)


async def _wait_for_lull(state: SimulatorState) -> None:
    deadline = time.monotonic() + CALLBACK_YIELD_SECONDS
    while (now := time.monotonic()) < deadline and now - state.last_api_call < _LULL_SECONDS:
        await asyncio.sleep(_LULL_SECONDS)


def _log_failure(state: SimulatorState, url: str, error: str) -> None:
    """Log the 1st, 10th, 100th ... failure per URL; every one is in `state.callbacks`."""
    failures = state.callback_failures[url] = state.callback_failures.get(url, 0) + 1
    if failures == 1 or str(failures).rstrip("0") == "1":
        logger.warning("status callback to %s failed (%d so far): %s", url, failures, error)


async def progress_message(
    state: SimulatorState, client: httpx.AsyncClient, record: MessageRecord
) -> None:
    """Walk an accepted message to its final status, posting a callback at each step."""
    for status in _status_steps(record, state):
        if state.config.callback_delay > 0:
            await asyncio.sleep(state.config.callback_delay)
        error = {"undelivered": UNREACHABLE, "failed": UNKNOWN_ERROR}.get(status)
        if status == "queued" and record.from_ is None:
            record.from_ = state.config.service_number  # the Messaging Service picks a sender
        record.set_status(status, error=error)
        await _post_status_callback(state, client, record)


def _inbound_params(
    state: SimulatorState, sender: str, body: str, to: str, message_sid: str
) -> dict[str, str]:
    params = {
        "ToCountry": "US",
        "ToState": "",
        "SmsMessageSid": message_sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": message_sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "VN" if sender.startswith("+84") else "",
        "To": to,
        "ToZip": "",
        "NumSegments": str(max(1, count_segments(body))),
        "MessageSid": message_sid,
        "AccountSid": state.config.account_sid,
        "From": sender,
        "ApiVersion": API_VERSION,
    }
    keyword = body.strip().upper()
    if state.config.honor_opt_out_keywords:
        if keyword in OPT_OUT_KEYWORDS:
            params["OptOutType"] = "STOP"
            state.set_opted_out(sender, True)
        elif keyword in OPT_IN_KEYWORDS:
            params["OptOutType"] = "START"
            state.set_opted_out(sender, False)
        elif keyword in HELP_KEYWORDS:
            params["OptOutType"] = "HELP"
    return params


def _twiml_replies(twiml: str) -> list[str]:
    """The texts of the `<Message>` verbs in a TwiML document (ours, so trusted)."""
    try:
        root = ElementTree.fromstring(twiml)
    except ElementTree.ParseError:
        return []
    replies = []
    for verb in root.iter("Message"):
        body = verb.find("Body")
        replies.append((body.text if body is not None else verb.text) or "")
    return replies


async def post_inbound_sms(
    state: SimulatorState,
    client: httpx.AsyncClient,
    *,
    url: str,
    sender: str,
    body: str,
    to: str | None = None,
    message_sid: str | None = None,
) -> dict[str, Any]:
    """Post a signed inbound-SMS webhook to `url`; record the TwiML replies as messages."""
    to = to or state.config.service_number
    message_sid = message_sid or new_sid()
    params = _inbound_params(state, sender, body, to, message_sid)
    if message_sid not in state.messages:
        state.messages[message_sid] = MessageRecord(
            sid=message_sid,
            account_sid=state.config.account_sid,
            to=to,
            from_=sender,
            body=body,
            status="received",
            num_segments=int(params["NumSegments"]),
            direction="inbound",
        )
    response = await client.post(
        url, data=params, headers=_signed_headers(state, url, params), timeout=30
    )
    replies: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    is_twiml = "xml" in response.headers.get("content-type", "")
    for text in _twiml_replies(response.text) if response.is_success and is_twiml else []:
        if state.is_opted_out(sender):
            rejected.append({"body": text, "code": 21610})
            continue
        record = MessageRecord(
            sid=new_sid(),
            account_sid=state.config.account_sid,
            to=sender,
            from_=to,
            body=text,
            status="queued",
            num_segments=count_segments(text),
            direction="outbound-reply",
        )
        state.messages[record.sid] = record
        state.tasks.spawn(progress_message(state, client, record))
        replies.append(record.to_summary())
    return {
        "message_sid": message_sid,
        "params": params,
        "status_code": response.status_code,
        "content_type": response.headers.get("content-type"),
        "body": response.text,
        "replies": replies,
        "rejected_replies": rejected,
    }
