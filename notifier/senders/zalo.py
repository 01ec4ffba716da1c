"""Chat messages to Zalo Official Account followers over httpx.

`POST {ZALO_BASE_URL}/v3.0/oa/message/cs` with the OA access token in the `access_token`
header and `{"recipient": {"user_id"}, "message": {"text"}}`; Zalo answers HTTP 200 with
`{"error": 0, "data": {"message_id"}}` or a negative error code. A consultation ("cs")
message is free within 48 hours of the user's last message; proactive messages outside
that window need Zalo's paid templates, which this sender does not cover (they fail as
permanent and are recorded).
"""

from __future__ import annotations

import httpx

from notifier.exceptions import (
    DeferredSendError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage
from settings import Settings

__all__ = ["SEND_PATH", "ZaloSender"]

SEND_PATH = "/v3.0/oa/message/cs"
# Zalo error codes that are our fault, not the message's: the rate limit, an invalid or
# expired access token (renewed out of band). Retried without counting an attempt.
_DEFERRED_CODES = frozenset({-32, -216, -124})
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
    ) -> None:
        self.rate = rate
        self._token = settings.zalo_oa_access_token
        self._http = httpx.AsyncClient(
            base_url=settings.zalo_base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    async def send(self, message: ClaimedMessage) -> str:
        """Send one text message; return Zalo's message id."""
        body = {"recipient": {"user_id": message.address}, "message": {"text": message.body}}
        headers = {"access_token": self._token.get_secret_value()}
        try:
            response = await self._http.post(SEND_PATH, json=body, headers=headers)
        except httpx.ConnectError as error:
            raise TransientSendError(f"Zalo is unreachable: {error!r}") from error
        except httpx.HTTPError as error:
            raise UncertainSendError(f"Zalo call ended without an answer: {error!r}") from error
        if response.status_code == 429 or response.status_code >= 500:
            after = response.headers.get("Retry-After")
            kind = DeferredSendError if response.status_code == 429 else TransientSendError
            raise kind(
                f"Zalo answered HTTP {response.status_code}",
                code=str(response.status_code),
                retry_after=float(after) if after and after.isdigit() else None,
            )
        try:
            payload = response.json()
            error_code = int(payload.get("error", -1))
        except (ValueError, TypeError, AttributeError) as error:
            raise UncertainSendError(f"Zalo answered something unreadable: {error}") from error
        if error_code == 0:
            return str(payload.get("data", {}).get("message_id", ""))
        text = f"Zalo error {error_code}: {payload.get('message', '')}"
        if error_code in _DEFERRED_CODES:
            # The rate limit passes in a second; a token waits for its renewal.
            pause = 1.0 if error_code == -32 else 60.0
            raise DeferredSendError(text, code=str(error_code), retry_after=pause)
        if error_code in _TRANSIENT_CODES:
            raise TransientSendError(text, code=str(error_code))
        raise PermanentSendError(text, code=str(error_code))

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """The OA API has no sent-message search for this: nothing to find."""
        return []

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()
