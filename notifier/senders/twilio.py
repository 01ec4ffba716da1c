"""SMS through Twilio's Messages API with the official `twilio` library.

The library is synchronous (requests), so calls run in a thread pool sized to the
sender's concurrency. `TWILIO_BASE_URL` points the client's `api` domain at the
simulator; unset, it talks to api.twilio.com. Every message asks for status callbacks at
`{PUBLIC_BASE_URL}/webhooks/twilio/status`.

Error mapping: HTTP 429 / code 20429 → transient, honouring Retry-After; 5xx and read
timeouts or dropped connections → uncertain (the provider may have taken it: reconcile
first); connect timeouts → transient; 21610 (opted out), 21211 (invalid number) and other 4xx →
permanent; 401/403/404 → transient with a long pause (a configuration fault, not the
message's: never drop notifications because a token was rotated).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from notifier.exceptions import PermanentSendError, TransientSendError, UncertainSendError
from notifier.outbox import ClaimedMessage
from settings import Settings

__all__ = ["PERMANENT_CODES", "TwilioSender"]

log = logging.getLogger("notifier.senders.twilio")

PERMANENT_CODES = frozenset({21211, 21610, 21612, 21614, 21408, 21606})
_CONFIG_STATUSES = frozenset({401, 403, 404})


class _RecordingHttpClient(TwilioHttpClient):
    """The library's client, with a pool for plain http and the last response per thread."""

    def __init__(self, *, timeout: float, pool_size: int) -> None:
        super().__init__(timeout=timeout)
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
        assert self.session is not None
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._local = threading.local()

    def request(self, *args: Any, **kwargs: Any) -> Response:  # noqa: D102 - the library's
        self._local.response = None
        response = super().request(*args, **kwargs)
        self._local.response = response
        return response

    def last_headers(self) -> dict[str, str]:
        """Headers of this thread's last response (Retry-After lives there)."""
        response = getattr(self._local, "response", None)
        return dict(response.headers or {}) if response is not None else {}


def _retry_after(headers: dict[str, str]) -> float | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class TwilioSender:
    """Sends SMS rows through one `twilio.rest.Client`."""

    channel = "sms"
    recipient_interval = 0.0

    def __init__(
        self, settings: Settings, *, rate: float, concurrency: int = 16, timeout: float = 10.0
    ) -> None:
        self.rate = rate
        self._http = _RecordingHttpClient(timeout=timeout, pool_size=concurrency)
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
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="twilio")

    def _create(self, message: ClaimedMessage) -> str:
        origin: dict[str, str] = (
            {"messaging_service_sid": self._service} if self._service else {"from_": self._from}
        )
        try:
            created = self._client.messages.create(
                to=message.address, body=message.body, status_callback=self._callback, **origin
            )
        except TwilioRestException as error:
            raise self._classify(error) from error
        except TwilioException as error:
            raise UncertainSendError(f"Twilio answered something unreadable: {error}") from error
        except requests.ConnectTimeout as error:
            raise TransientSendError(f"Twilio is unreachable: {error}") from error
        except requests.RequestException as error:
            # A read timeout or a connection dropped after the request left: maybe accepted.
            raise UncertainSendError(f"Twilio call ended without an answer: {error}") from error
        if not created.sid:
            raise UncertainSendError("Twilio answered without a message SID")
        return created.sid

    def _classify(self, error: TwilioRestException) -> Exception:
        text = f"Twilio {error.status} / {error.code}: {error.msg}"
        code = str(error.code) if error.code else None
        if error.status == 429 or error.code == 20429:
            after = _retry_after(self._http.last_headers())
            return TransientSendError(text, code=code or "20429", retry_after=after or 1.0)
        if error.status >= 500:
            return UncertainSendError(text, code=code)
        if error.status in _CONFIG_STATUSES:
            log.error("Twilio refuses our credentials or account: %s", text)
            return TransientSendError(text, code=code, retry_after=60.0)
        return PermanentSendError(text, code=code)

    async def send(self, message: ClaimedMessage) -> str:
        """Create the message at Twilio; return its SID."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._create, message)

    def _lookup(self, message: ClaimedMessage) -> list[str]:
        since = message.first_attempt_at - timedelta(minutes=5)
        try:
            # Newest first: covers messages still queued (no date_sent yet) ...
            recent = self._client.messages.list(to=message.address, limit=50, page_size=50)
            # ... and, by DateSent, those already sent since the first attempt.
            dated = self._client.messages.list(
                to=message.address, date_sent_after=since, limit=200, page_size=200
            )
        except TwilioException as error:
            # Paging errors arrive as the base TwilioException (e.g. a 500 on a list page).
            raise TransientSendError(f"Twilio message list failed: {error}") from error
        except requests.RequestException as error:
            raise TransientSendError(f"Twilio message list failed: {error}") from error
        found = [
            candidate.sid
            for candidate in [*recent, *dated]
            if candidate.sid and candidate.body == message.body
        ]
        return list(dict.fromkeys(found))

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """SIDs of messages Twilio holds with the same To and body (newest first)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._lookup, message)

    async def aclose(self) -> None:
        """Stop the worker threads and close the HTTP session."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._http.session is not None:
            self._http.session.close()
