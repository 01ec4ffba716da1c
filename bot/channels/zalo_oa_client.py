"""The gateway's side of the Zalo OA: send replies (consultation messages).

`ZaloOutbound` is built at start-up (`from_settings`) and kept in `app.state.zalo`; the
event handlers (`bot.channels.zalo_events`), run by the worker of stored events
(`bot.channels.zalo_inbox`), send through it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import httpx
from sqlalchemy.orm import Session, sessionmaker

from settings import Settings
from zalo_oa.send import (
    INVALID_TOKEN_CODES,
    MAX_TEXT_CHARS,
    RATE_LIMIT_CODE,
    SEND_PATH,
    ZaloApiError,
    message_body,
    message_id_of,
)
from zalo_oa.tokens import TokenStore, TokenUnavailable, store_from_settings

__all__ = ["ZaloOutbound", "split_text"]

log = logging.getLogger("bot.zalo")

# Zalo allows about 20 sends a second per OA: a reply over it waits and tries again.
RATE_LIMIT_RETRIES = 4


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text else pieces


class ZaloOutbound:
    """Sends consultation messages with the OA's current access token."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        tokens: TokenStore,
        http: httpx.AsyncClient,
    ) -> None:
        self.sessions = sessions
        self.tokens = tokens
        self.http = http

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        sessions: sessionmaker[Session],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> ZaloOutbound:
        """Built from the settings; the token store seeded from them when empty."""
        http = httpx.AsyncClient(
            base_url=settings.zalo_base_url.rstrip("/"),
            timeout=httpx.Timeout(10.0, connect=5.0),
            transport=transport,
        )
        return cls(sessions=sessions, tokens=store_from_settings(settings, sessions), http=http)

    async def aclose(self) -> None:
        """Close the connections (the worker has stopped sending by now)."""
        await self.http.aclose()
        await asyncio.to_thread(self.tokens.close)

    async def send(self, user_id: str, text: str, buttons: Sequence[tuple[str, str]] = ()) -> None:
        """Send `text` (split if long; `buttons` under its last piece); errors are logged."""
        pieces = split_text(text) or [""]
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            try:
                await self._send_one(message_body(user_id, piece, buttons if last else ()))
            except (ZaloApiError, TokenUnavailable, httpx.HTTPError) as error:
                log.error("Zalo reply not sent: %s", error)
                return

    async def _send_one(self, body: dict[str, object]) -> str:
        """One send; a refused token is refreshed once, Zalo's rate limit waited out."""
        refreshed = False
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            token = await asyncio.to_thread(self.tokens.access_token)
            response = await self.http.post(SEND_PATH, json=body, headers={"access_token": token})
            try:
                return message_id_of(response)
            except ZaloApiError as error:
                if error.code in INVALID_TOKEN_CODES and not refreshed:
                    refreshed = True
                    await asyncio.to_thread(self.tokens.rejected, token)
                elif error.code != RATE_LIMIT_CODE or attempt == RATE_LIMIT_RETRIES:
                    raise
                else:
                    await asyncio.sleep(0.5 * (attempt + 1))
        raise ZaloApiError(RATE_LIMIT_CODE, "still over Zalo's rate limit")
