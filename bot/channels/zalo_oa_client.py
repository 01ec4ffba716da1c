"""The gateway's side of the Zalo OA: send replies, record followers, claim events.

`ZaloOutbound` is built at start-up (`from_settings`) and kept in `app.state.zalo`; the
webhook route (`bot.channels.zalo`) claims each event here before acknowledging it, and
the event handlers (`bot.channels.zalo_events`) send through it afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, sessionmaker

from db.dialects import insert_ignoring_conflicts
from settings import Settings
from zalo_oa.followers import follower_statements
from zalo_oa.models import ZaloEvent
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
# How long shut-down waits for replies under way.
SHUTDOWN_GRACE_SECONDS = 5.0


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
        claims: AsyncEngine,
        tokens: TokenStore,
        http: httpx.AsyncClient,
    ) -> None:
        self.sessions = sessions
        self._claims = claims
        self.tokens = tokens
        self.http = http
        self._tasks: set[asyncio.Task[None]] = set()
        self._users: dict[str, tuple[asyncio.Lock, int]] = {}  # lock, tasks holding it

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        sessions: sessionmaker[Session],
        *,
        claims: AsyncEngine,
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
            claims=claims,
            tokens=store_from_settings(settings, sessions),
            http=http,
        )

    def spawn(self, work: Coroutine[Any, Any, None], *, user: str | None) -> None:
        """Run `work` after the webhook has answered, outside its request, after the
        work already under way for the same user (so a user's replies keep their order).

        Not a response background task: those hold the request's connection until they
        end, so Zalo's next event on a kept-alive connection would wait for this reply.
        """
        task = asyncio.create_task(self._in_turn(work, user))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _in_turn(self, work: Coroutine[Any, Any, None], user: str | None) -> None:
        if user is None:
            await work
            return
        lock, waiting = self._users.get(user, (asyncio.Lock(), 0))
        self._users[user] = (lock, waiting + 1)
        try:
            async with lock:
                await work
        finally:
            lock, waiting = self._users[user]
            if waiting == 1:
                del self._users[user]
            else:
                self._users[user] = (lock, waiting - 1)

    async def aclose(self) -> None:
        """Let replies under way finish (a few seconds at most), then close the connections."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=SHUTDOWN_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("%d Zalo repl(ies) cut short by shut-down", len(pending))
        await self.http.aclose()
        await asyncio.to_thread(self.tokens.close)

    async def claim(
        self, key: str, event_name: str, *, user: str | None, following: bool | None
    ) -> bool:
        """True the first time an event is seen (across restarts and replicas); the
        user's last message time (the send window) or follow state in the same write.

        On the event loop (the async engine), not in a thread: the webhook's answer
        waits for it, and 50 concurrent claims would queue for the few pool threads.
        """
        now = datetime.now(UTC)
        dialect = self._claims.dialect
        statement = insert_ignoring_conflicts(ZaloEvent, dialect, conflict=["event_key"])
        statement = statement.values(event_key=key, event_name=event_name[:48], received_at=now)
        async with self._claims.begin() as connection:
            claimed = await connection.scalar(statement.returning(ZaloEvent.id))
            if claimed is not None and user is not None:
                wrote = following is None
                for change in follower_statements(
                    dialect, user, now=now, wrote=wrote, following=following
                ):
                    await connection.execute(change)
        return claimed is not None

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
