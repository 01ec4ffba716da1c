"""Chat messages to Zalo Official Account followers over httpx.

`POST {ZALO_BASE_URL}/v3.0/oa/message/cs` with the OA access token from the shared token
store (`zalo_oa.tokens`: the database's pair, refreshed once across processes) and
`{"recipient": {"user_id"}, "message": {"text"}}`; Zalo answers HTTP 200 with
`{"error": 0, "data": {"message_id"}}` or a negative error code. Before sending, the
user's window decides (`notifier.zalo_window`): free within 48 hours of their last
message; up to 7 days paid or by SMS instead (`ZALO_OUTSIDE_WINDOW`); after that SMS.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
from sqlalchemy.orm import Session, sessionmaker

from db import make_engine, make_session_factory
from notifier.exceptions import (
    DeferredSendError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage
from notifier.zalo_window import decide
from settings import Settings
from zalo_oa.send import (
    INVALID_TOKEN_CODES,
    RATE_LIMIT_CODE,
    SEND_PATH,
    ZaloApiError,
    message_body,
    message_id_of,
)
from zalo_oa.tokens import TokenUnavailable, store_from_settings

__all__ = ["SEND_PATH", "ZaloSender"]

# Worth another try: internal errors.
_TRANSIENT_CODES = frozenset({-1})


class ZaloSender:
    """Sends Zalo rows (address = the follower's user_id)."""

    channel = ChannelName.ZALO
    recipient_interval = 0.0

    def __init__(
        self,
        settings: Settings,
        *,
        rate: float,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sessions: sessionmaker[Session] | None = None,
    ) -> None:
        self.rate = rate
        self._sessions = sessions or make_session_factory(make_engine(settings.database_url))
        self._tokens = store_from_settings(settings, self._sessions)
        self._paid = settings.zalo_outside_window == "paid"
        self._http = httpx.AsyncClient(
            base_url=settings.zalo_base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    def _by_zalo(self, message: ClaimedMessage) -> bool:
        with self._sessions() as session, session.begin():
            return decide(session, message.id, paid=self._paid, now=datetime.now(UTC))

    async def send(self, message: ClaimedMessage) -> str:
        """Send one text message; return Zalo's message id."""
        if not await asyncio.to_thread(self._by_zalo, message):
            raise PermanentSendError(
                "outside the Zalo window: sent by SMS or not at all", code="zalo-window"
            )
        try:
            token = await asyncio.to_thread(self._tokens.access_token)
        except TokenUnavailable as error:
            raise DeferredSendError(str(error), code="zalo-token", retry_after=60.0) from error
        body = message_body(message.address, message.body)
        try:
            response = await self._http.post(SEND_PATH, json=body, headers={"access_token": token})
        except httpx.ConnectError as error:
            raise TransientSendError(f"Zalo is unreachable: {error!r}") from error
        except httpx.HTTPError as error:
            raise UncertainSendError(f"Zalo call ended without an answer: {error!r}") from error
        if response.status_code == 429 or response.status_code >= 500:
            kind = DeferredSendError if response.status_code == 429 else TransientSendError
            raise kind(f"Zalo answered HTTP {response.status_code}", code=str(response.status_code))
        try:
            return message_id_of(response)
        except ZaloApiError as error:
            await self._raise_for(error, token)
            raise  # unreachable: _raise_for always raises

    async def _raise_for(self, error: ZaloApiError, token: str) -> None:
        if error.code is None:
            raise UncertainSendError(str(error)) from error
        code = str(error.code)
        if error.code == RATE_LIMIT_CODE:
            raise DeferredSendError(str(error), code=code, retry_after=1.0) from error
        if error.code in INVALID_TOKEN_CODES:
            # Refresh (once across processes) and try again shortly.
            await asyncio.to_thread(self._tokens.rejected, token)
            raise DeferredSendError(str(error), code=code, retry_after=1.0) from error
        if error.code in _TRANSIENT_CODES:
            raise TransientSendError(str(error), code=code) from error
        raise PermanentSendError(str(error), code=code) from error

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """The OA API has no sent-message search for this: nothing to find."""
        return []

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()
        await asyncio.to_thread(self._tokens.close)
