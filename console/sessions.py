"""Server-side staff sessions: a random cookie value, kept in the database only as SHA-256.

Logging out deletes the row; disabling an account or changing its password deletes all of
its rows (`revoke_all`), so a stolen cookie stops working at once. A session ends
`SESSION_HOURS` after login, or `IDLE_MINUTES` after its last request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.accounts import staff_of
from console.models import StaffAccount, StaffSession
from console.roles import Staff

__all__ = [
    "IDLE_MINUTES",
    "SESSION_HOURS",
    "close_session",
    "csrf_for",
    "open_session",
    "revoke_all",
    "staff_for_token",
]

SESSION_HOURS = 12
IDLE_MINUTES = 120
# last_seen_at is written at most this often (not on every request).
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_for(token: str, secret: str) -> str:
    """The CSRF token of a session: an HMAC of its cookie value (never stored)."""
    return hmac.new(secret.encode(), b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def open_session(session: Session, staff: Staff, *, client_address: str) -> str:
    """A new session for `staff`; returns the cookie value (flushed, not committed)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        StaffSession(
            token_hash=_hash(token),
            staff_id=staff.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
            client_address=client_address[:64],
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    session.flush()
    return token


def staff_for_token(session: Session, token: str) -> Staff | None:
    """The active staff member whose live session has this cookie value, else None."""
    if not token or len(token) > 128:
        return None
    row = session.execute(
        select(StaffSession, StaffAccount)
        .join(StaffAccount, StaffAccount.id == StaffSession.staff_id)
        .where(StaffSession.token_hash == _hash(token))
    ).first()
    if row is None:
        return None
    live, account = row
    now = datetime.now(UTC)
    idle_end = live.last_seen_at + timedelta(minutes=IDLE_MINUTES)
    if not account.active or now >= live.expires_at or now >= idle_end:
        session.delete(live)
        return None
    if now - live.last_seen_at >= _TOUCH_EVERY:
        live.last_seen_at = now
    return staff_of(account)


def close_session(session: Session, token: str) -> None:
    """Log out: the session with this cookie value is gone."""
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash(token)))


def revoke_all(session: Session, staff_id: int) -> None:
    """Every session of one account ends (disabled, password or role changed)."""
    session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
