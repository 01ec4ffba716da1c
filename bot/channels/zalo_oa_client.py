"""The gateway's side of the Zalo OA: send replies, record followers, claim events.

`ZaloOutbound` is built at start-up (`from_settings`) and kept in `app.state.zalo`; the
webhook route (`bot.channels.zalo`) claims each event here before acknowledging it, and
the event handlers (`bot.channels.zalo_events`) send through it afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx
from sqlalchemy.orm import Session, sessionmaker

from db.dialects import insert_ignoring_conflicts
from settings import Settings
from zalo_oa.followers import note_follower
from zalo_oa.models import ZaloEvent
from zalo_oa.send import (
    INVALID_TOKEN_CODES,
    MAX_TEXT_CHARS,
    SEND_PATH,
    ZaloApiError,
    message_body,
    message_id_of,
)
from zalo_oa.tokens import TokenStore, TokenUnavailable, store_from_settings

__all__ = ["ZaloOutbound", "split_text"]

log = logging.getLogger("bot.zalo")


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
    """Claims webhook events, records followers and sends consultation messages."""

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
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> ZaloOutbound:
        """Built from the settings; the token store seeded from them when empty."""
        http = httpx.AsyncClient(
            base_url=settings.zalo_base_url.rstrip("/"),
            timeout=httpx.Timeout(10.0, connect=5.0),
            transport=transport,
        )
        return cls(
            sessions=sessions,
            tokens=store_from_settings(settings, sessions),
            http=http,
        )

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()
        await asyncio.to_thread(self.tokens.close)

    def _claim(self, key: str, event_name: str) -> bool:
        with self.sessions() as session, session.begin():
            statement = insert_ignoring_conflicts(
                ZaloEvent, session.get_bind().dialect, conflict=["event_key"]
            )
            claimed = session.scalar(
                statement.values(
                    event_key=key, event_name=event_name[:48], received_at=datetime.now(UTC)
                ).returning(ZaloEvent.id)
            )
            return claimed is not None

    async def claim(self, key: str, event_name: str) -> bool:
        """True the first time an event is seen (across restarts and replicas)."""
        return await asyncio.to_thread(self._claim, key, event_name)

    async def note(
        self, user_id: str, *, wrote: bool = False, following: bool | None = None
    ) -> None:
        """Remember that the user wrote now (the send window) or (un)followed."""

        def write() -> None:
            with self.sessions() as session, session.begin():
                note_follower(
                    session, user_id, now=datetime.now(UTC), wrote=wrote, following=following
                )

        await asyncio.to_thread(write)

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
        for attempt in (1, 2):
            token = await asyncio.to_thread(self.tokens.access_token)
            response = await self.http.post(SEND_PATH, json=body, headers={"access_token": token})
            try:
                return message_id_of(response)
            except ZaloApiError as error:
                if attempt == 2 or error.code not in INVALID_TOKEN_CODES:
                    raise
                await asyncio.to_thread(self.tokens.rejected, token)
        raise AssertionError("unreachable")
