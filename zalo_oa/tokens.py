"""The OA token pair, kept in the database and refreshed by one process at a time.

The access token lives 25 hours; the refresh token is single-use (Zalo answers each
refresh with a new pair and the old refresh token stops working). So:

1. A process that finds the access token due (less than the margin left) claims the
   refresh with a compare-and-swap: `refresh_started_at` is set only where the row is
   still at the generation it read and no other claim is younger than the lease. One
   process wins; the others keep using the current access token, which is still valid
   (the margin is hours, a refresh takes a second).
2. The winner calls Zalo with the refresh token, then writes the new pair and the next
   generation, clearing the claim, in one UPDATE guarded by the same generation.
3. Nothing is held across the network call. If the process dies between the call and
   the write, the row still holds the last pair it had (never half of one), the access
   token in it keeps working until its expiry, and the claim stays set: once its lease
   is over the next process retries. If Zalo already spent that refresh token it says so,
   and `RefreshTokenRejected` names the deadline by which the OA must be re-authorised.
   No client can do better against a strictly single-use token whose answer was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from db.dialects import insert_ignoring_conflicts
from settings import Settings
from zalo_oa.models import TOKEN_ROW, ZaloToken

__all__ = [
    "REFRESH_PATH",
    "RefreshTokenRejected",
    "TokenPair",
    "TokenStore",
    "TokenUnavailable",
    "store_from_settings",
]

log = logging.getLogger("zalo_oa.tokens")

REFRESH_PATH = "/v4/oa/access_token"
ACCESS_TOKEN_SECONDS = 90_000
# A refresh claim older than this is taken to be dead (longer than any refresh call).
CLAIM_LEASE = timedelta(seconds=60)


class TokenUnavailable(Exception):
    """No usable access token: none stored, or the refresh failed."""


class RefreshTokenRejected(TokenUnavailable):
    """Zalo refused the stored refresh token: the OA must be authorised again."""


@dataclass(frozen=True)
class TokenPair:
    """The pair as stored, with its generation."""

    access_token: str
    refresh_token: str
    access_expires_at: datetime
    generation: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _pair(row: ZaloToken) -> TokenPair:
    return TokenPair(row.access_token, row.refresh_token, row.access_expires_at, row.generation)


class TokenStore:
    """Reads the OA's access token, refreshing it (once across processes) when due."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        app_id: str,
        app_secret_key: str,
        oauth_url: str,
        margin: timedelta,
        http: httpx.Client | None = None,
        clock: Callable[[], datetime] = _utcnow,
        initial: tuple[str, str] | None = None,
    ) -> None:
        """`initial` (access, refresh) is stored on first use when the database has none."""
        self._sessions = sessions
        self._initial = initial
        self._app_id = app_id
        self._secret = app_secret_key
        self._url = oauth_url.rstrip("/") + REFRESH_PATH
        self._margin = margin
        self._http = http or httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
        self._clock = clock
        self._cached: TokenPair | None = None

    def seed(self, access_token: str, refresh_token: str, expires_at: datetime) -> bool:
        """Store the first pair when the database holds none; True when stored.

        Safe when several threads or processes seed at once: one insert wins.
        """
        with self._sessions() as session, session.begin():
            dialect = session.get_bind().dialect
            statement = insert_ignoring_conflicts(ZaloToken, dialect, conflict=["id"])
            stored = session.scalar(
                statement.values(
                    id=TOKEN_ROW,
                    access_token=access_token,
                    refresh_token=refresh_token,
                    access_expires_at=expires_at,
                    generation=1,
                    updated_at=self._clock(),
                ).returning(ZaloToken.id)
            )
        return stored is not None

    def replace(self, access_token: str, refresh_token: str, expires_at: datetime) -> TokenPair:
        """Store a pair from a new authorisation of the OA (after a lost refresh)."""
        with self._sessions() as session, session.begin():
            row = session.get(ZaloToken, TOKEN_ROW, with_for_update=True)
            if row is None:
                row = ZaloToken(id=TOKEN_ROW, generation=0)
                session.add(row)
            row.access_token, row.refresh_token = access_token, refresh_token
            row.access_expires_at, row.updated_at = expires_at, self._clock()
            row.generation, row.refresh_started_at = row.generation + 1, None
            session.flush()
            pair = _pair(row)
        self._cached = None
        return pair

    def stored(self) -> TokenPair | None:
        """The pair in the database (None before the first seed)."""
        with self._sessions() as session:
            row = session.get(ZaloToken, TOKEN_ROW)
            return _pair(row) if row else None

    def access_token(self) -> str:
        """A valid access token, refreshed first when less than the margin is left."""
        pair = self._cached
        if pair is None or self._due(pair):
            pair = self.stored()
            if pair is None and self._initial:
                # The configured pair's age is unknown: taken as fresh, and refreshed at
                # once if Zalo calls the access token expired (`rejected`).
                expires = self._clock() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
                self.seed(*self._initial, expires)
                pair = self.stored()
            if pair is None:
                raise TokenUnavailable("no Zalo OA token stored")
            if self._due(pair):
                pair = self.refresh_if_due(pair) or self.stored() or pair
            self._cached = pair
        if pair.access_expires_at <= self._clock():
            raise TokenUnavailable("the Zalo OA access token has expired")
        return pair.access_token

    def rejected(self, access_token: str) -> None:
        """Zalo called `access_token` invalid or expired: refresh now if it is still stored."""
        self._cached = None
        pair = self.stored()
        if pair is not None and pair.access_token == access_token:
            self.refresh_if_due(pair, force=True)

    def _due(self, pair: TokenPair) -> bool:
        return pair.access_expires_at - self._clock() <= self._margin

    def refresh_if_due(self, seen: TokenPair, *, force: bool = False) -> TokenPair | None:
        """Refresh when `seen` is still current and due (or `force`); None when another
        process holds the claim or already refreshed."""
        if not force and not self._due(seen):
            return None
        if not self._claim(seen.generation):
            return None
        return self._spend(seen)

    def _claim(self, generation: int) -> bool:
        now = self._clock()
        with self._sessions() as session, session.begin():
            claimed = session.execute(
                update(ZaloToken)
                .where(
                    ZaloToken.id == TOKEN_ROW,
                    ZaloToken.generation == generation,
                    or_(
                        ZaloToken.refresh_started_at.is_(None),
                        ZaloToken.refresh_started_at < now - CLAIM_LEASE,
                    ),
                )
                .values(refresh_started_at=now)
            )
            won = bool(getattr(claimed, "rowcount", 0))
            if won:
                log.info("refreshing the Zalo OA token (generation %d)", generation)
            return won

    def _spend(self, seen: TokenPair) -> TokenPair:
        """Call Zalo with the refresh token, then store the new pair (same generation guard)."""
        answer = self._call_refresh(seen)
        now = self._clock()
        new = TokenPair(
            access_token=str(answer["access_token"]),
            refresh_token=str(answer["refresh_token"]),
            access_expires_at=now + timedelta(seconds=int(answer.get("expires_in", 90000))),
            generation=seen.generation + 1,
        )
        with self._sessions() as session, session.begin():
            stored = session.execute(
                update(ZaloToken)
                .where(ZaloToken.id == TOKEN_ROW, ZaloToken.generation == seen.generation)
                .values(
                    access_token=new.access_token,
                    refresh_token=new.refresh_token,
                    access_expires_at=new.access_expires_at,
                    generation=new.generation,
                    refresh_started_at=None,
                    updated_at=now,
                )
            )
            if not getattr(stored, "rowcount", 0):
                # Only possible when our claim's lease ran out mid-call and another
                # process refreshed with a token Zalo had not spent yet: theirs stands.
                log.error("Zalo OA token refreshed twice; keeping the other process's pair")
                raise TokenUnavailable("the token row moved on during the refresh")
        self._cached = new
        return new

    def _call_refresh(self, seen: TokenPair) -> dict[str, Any]:
        form = {
            "refresh_token": seen.refresh_token,
            "app_id": self._app_id,
            "grant_type": "refresh_token",
        }
        try:
            response = self._http.post(self._url, data=form, headers={"secret_key": self._secret})
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise TokenUnavailable(f"Zalo token refresh failed: {error!r}") from error
        if isinstance(answer, dict) and answer.get("access_token") and answer.get("refresh_token"):
            return answer
        deadline = seen.access_expires_at.isoformat(timespec="minutes")
        log.error(
            "Zalo refused the OA refresh token (%s); re-authorise the OA before %s, "
            "when the current access token expires",
            answer.get("error_name") or answer.get("error") if isinstance(answer, dict) else "?",
            deadline,
        )
        raise RefreshTokenRejected(
            f"Zalo refused the refresh token; re-authorise before {deadline}"
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()


def store_from_settings(settings: Settings, sessions: sessionmaker[Session]) -> TokenStore:
    """The token store of `settings`; their pair seeds the database when it has none."""
    return TokenStore(
        sessions,
        app_id=settings.zalo_app_id,
        app_secret_key=settings.zalo_app_secret_key.get_secret_value(),
        oauth_url=settings.zalo_oauth_url,
        margin=timedelta(seconds=settings.zalo_token_refresh_margin_seconds),
        initial=(
            settings.zalo_oa_access_token.get_secret_value(),
            settings.zalo_oa_refresh_token.get_secret_value(),
        ),
    )
