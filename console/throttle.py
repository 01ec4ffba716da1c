"""Login rate limit with a growing lock-out, per username and per client address.

Every failed login counts against the typed username and the client's address. From the
`free`-th failure on, the key is locked for `BASE_LOCK` doubled with each further failure
(at most `MAX_LOCK`); while locked, even the right password is refused. A key's count is
forgotten `FORGET_AFTER` after its last failure. A successful login clears its username's
count but not its address's (one valid account must not reset an address's guesses).
Addresses get more free failures than usernames: an office's clerks share one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.models import LoginThrottle

__all__ = ["ADDRESS_FREE", "USERNAME_FREE", "Lock", "clear_username", "lock_of", "note_failure"]

USERNAME_FREE = 5
ADDRESS_FREE = 20
BASE_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=24)
FORGET_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Lock:
    """Logins are refused until `until`."""

    until: datetime

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def _keys(username: str, address: str) -> dict[str, int]:
    return {f"user:{username[:100]}": USERNAME_FREE, f"addr:{address[:100]}": ADDRESS_FREE}


def lock_of(session: Session, username: str, address: str, now: datetime) -> Lock | None:
    """The lock in force for this username or address (the later one), else None."""
    rows = session.scalars(
        select(LoginThrottle).where(LoginThrottle.key.in_(_keys(username, address)))
    ).all()
    ends = [row.locked_until for row in rows if row.locked_until and row.locked_until > now]
    return Lock(max(ends)) if ends else None


def note_failure(session: Session, username: str, address: str, now: datetime) -> None:
    """Count one failed login against both keys, locking those over their free failures."""
    for key, free in _keys(username, address).items():
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        elif now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= free:
            lock = BASE_LOCK * 2 ** min(row.failures - free, 20)
            row.locked_until = now + min(lock, MAX_LOCK)
    session.flush()


def clear_username(session: Session, username: str) -> None:
    """A successful login forgets its username's failures."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"user:{username[:100]}"))


def utcnow() -> datetime:
    return datetime.now(UTC)
