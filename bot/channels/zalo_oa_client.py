"""The gateway's side of the Zalo OA: send replies (consultation messages).

`ZaloOutbound` is built at start-up (`from_settings`) and kept in `app.state.zalo`; the
worker of stored events (`bot.channels.zalo_inbox`) delivers the messages that the
event handlers (`bot.channels.zalo_events`) make. A delivery stops at the first message
that fails and says which are left, and whether trying again later can help (Zalo or
the network down, its rate limit, no usable token) or not (Zalo refused the message).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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

__all__ = ["Delivery", "ZaloOutbound", "message_bodies", "split_text"]

log = logging.getLogger("bot.zalo")

# Zalo allows about 20 sends a second per OA: a reply over it waits and tries again.
RATE_LIMIT_RETRIES = 4
# Zalo's refusals that may pass: its rate limit, a token it no longer takes (refreshed
# once per send already), an answer we could not read (a proxy's error page).
_PASSING_CODES = frozenset({RATE_LIMIT_CODE, *INVALID_TOKEN_CODES, None})


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text else pieces


def message_bodies(
    user_id: str, text: str, buttons: Sequence[tuple[str, str]] = ()
) -> list[dict[str, Any]]:
    """The send API bodies for `text` (split if long; `buttons` under its last piece)."""
    pieces = split_text(text) or [""]
    last = len(pieces) - 1
    return [
        message_body(user_id, piece, buttons if index == last else ())
        for index, piece in enumerate(pieces)
    ]


@dataclass(frozen=True)
class Delivery:
    """What a delivery left: the messages not sent (in order), and whether to try again."""

    unsent: list[dict[str, Any]] = field(default_factory=list)
    passing: bool = False  # the failure may pass: try the unsent ones again later

    @property
    def complete(self) -> bool:
        return not self.unsent


def _passing(error: Exception) -> bool:
    if isinstance(error, ZaloApiError):
        return error.code in _PASSING_CODES
    return True  # the network, or no usable access token yet


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

    async def deliver(self, bodies: Sequence[dict[str, Any]]) -> Delivery:
        """Send `bodies` in order, stopping at the first that fails (logged)."""
        for index, body in enumerate(bodies):
            try:
                await self._send_one(body)
            except (ZaloApiError, TokenUnavailable, httpx.HTTPError) as error:
                passing = _passing(error)
                left = len(bodies) - index
                if passing:
                    log.warning("Zalo reply not sent, %d message(s) tried later: %s", left, error)
                else:
                    log.error("Zalo refused a reply, %d message(s) not sent: %s", left, error)
                return Delivery(list(bodies[index:]), passing)
        return Delivery()

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
