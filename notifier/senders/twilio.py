"""SMS through Twilio's Messages API with the official `twilio` library.

The library's asynchronous client (`AsyncTwilioHttpClient`, aiohttp underneath) keeps a
pool of keep-alive connections, so sends need neither threads nor the GIL hand-offs
they cost. `TWILIO_BASE_URL` points the client's `api` domain at the simulator; unset,
it talks to api.twilio.com. Every message asks for status callbacks at
`{PUBLIC_BASE_URL}/webhooks/twilio/status`.

Error mapping: HTTP 429 / code 20429 → deferred (our fault: not counted as an attempt),
honouring Retry-After; 5xx and read timeouts or dropped connections → uncertain (the
provider may have taken it: reconcile first); connect failures and connect timeouts →
transient; 21610 (opted out), 21211 (invalid number) and other 4xx → permanent;
401/403/404 and 20003 → deferred with a long pause (a configuration fault, not the
message's: never drop notifications because a token was rotated).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from notifier.exceptions import (
    DeferredSendError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage
from settings import Settings

__all__ = ["PERMANENT_CODES", "TwilioSender"]

log = logging.getLogger("notifier.senders.twilio")

PERMANENT_CODES = frozenset({21211, 21610, 21612, 21614, 21408, 21606})
_CONFIG_STATUSES = frozenset({401, 403, 404})
# 20003: authentication failed (a rotated or wrong auth token).
_CONFIG_CODES = frozenset({20003})
# Headers of the last Twilio response seen by the current task (Retry-After lives there;
# the library's exceptions do not carry headers).
_last_headers: ContextVar[dict[str, str] | None] = ContextVar("twilio_last_headers", default=None)


class _HttpClient(AsyncTwilioHttpClient):
    """The library's async client with our pool size and timeouts, remembering headers.

    `AsyncTwilioHttpClient.request` hands aiohttp `timeout=None` (no timeout at all)
    unless each call passes one, so the request is made here with the session's timeouts.
    """

    def __init__(self, *, timeout: float, pool_size: int) -> None:
        super().__init__(pool_connections=False)
        self._timeout = aiohttp.ClientTimeout(
            # The whole call, connection included, within `timeout` (the dispatcher's bound).
            sock_connect=min(timeout, 5.0),
            sock_read=timeout,
            total=timeout,
        )
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    async def request(  # noqa: D102 - the library's
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if self._session is None:
            # Made inside the running loop, on first use.
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(timeout=self._timeout, connector=connector)
        _last_headers.set(None)
        async with self._session.request(
            method.upper(),
            url,
            params=params,
            data=data,
            headers=headers,
            auth=aiohttp.BasicAuth(*auth) if auth else None,
            timeout=aiohttp.ClientTimeout(total=timeout) if timeout else self._timeout,
            allow_redirects=allow_redirects,
        ) as answer:
            response = Response(answer.status, await answer.text(), answer.headers)
        _last_headers.set(dict(answer.headers))
        return response

    async def close(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _retry_after(headers: dict[str, str]) -> float | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class TwilioSender:
    """Sends SMS rows through one `twilio.rest.Client`."""

    channel = ChannelName.SMS
    recipient_interval = 0.0

    def __init__(
        self, settings: Settings, *, rate: float, concurrency: int = 16, timeout: float = 10.0
    ) -> None:
        self.rate = rate
        self._http = _HttpClient(timeout=timeout, pool_size=concurrency)
        self._client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            http_client=self._http,
        )
        if settings.twilio_base_url:
            self._client.api.base_url = settings.twilio_base_url.rstrip("/")
        self._from = settings.twilio_from_number
        self._service = settings.twilio_messaging_service_sid
        self._callback = settings.public_base_url.rstrip("/") + "/webhooks/twilio/status"

    async def send(self, message: ClaimedMessage) -> str:
        """Create the message at Twilio; return its SID."""
        origin: dict[str, str] = (
            {"messaging_service_sid": self._service} if self._service else {"from_": self._from}
        )
        try:
            created = await self._client.messages.create_async(
                to=message.address, body=message.body, status_callback=self._callback, **origin
            )
        except TwilioRestException as error:
            raise self._classify(error) from error
        except TwilioException as error:
            raise UncertainSendError(f"Twilio answered something unreadable: {error}") from error
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
            raise TransientSendError(f"Twilio is unreachable: {error!r}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            # A read timeout or a connection dropped after the request left: maybe accepted.
            raise UncertainSendError(f"Twilio call ended without an answer: {error!r}") from error
        if not created.sid:
            raise UncertainSendError("Twilio answered without a message SID")
        return created.sid

    def _classify(self, error: TwilioRestException) -> Exception:
        text = f"Twilio {error.status} / {error.code}: {error.msg}"
        code = str(error.code) if error.code else None
        if error.status == 429 or error.code == 20429:
            after = _retry_after(_last_headers.get() or {})
            return DeferredSendError(text, code=code or "20429", retry_after=after or 1.0)
        if error.status >= 500:
            return UncertainSendError(text, code=code)
        if error.status in _CONFIG_STATUSES or error.code in _CONFIG_CODES:
            log.error("ALERT: Twilio refuses our credentials or account (messages wait): %s", text)
            return DeferredSendError(text, code=code, retry_after=60.0)
        return PermanentSendError(text, code=code)

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """SIDs of messages Twilio holds with the same To and body (newest first)."""
        since = message.first_attempt_at - timedelta(minutes=5)
        try:
            # Newest first: covers messages still queued (no date_sent yet) ...
            recent = await self._client.messages.list_async(
                to=message.address, limit=50, page_size=50
            )
            # ... and, by DateSent, those already sent since the first attempt.
            dated = await self._client.messages.list_async(
                to=message.address, date_sent_after=since, limit=200, page_size=200
            )
        except TwilioException as error:
            # Paging errors arrive as the base TwilioException (e.g. a 500 on a list page).
            raise TransientSendError(f"Twilio message list failed: {error}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TransientSendError(f"Twilio message list failed: {error!r}") from error
        found = [
            candidate.sid
            for candidate in [*recent, *dated]
            if candidate.sid and candidate.body == message.body
        ]
        return list(dict.fromkeys(found))

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.close()
