"""A growing lock-out per dossier on wrong second factors, across every conversation.

`max_failures` wrong answers lock the dossier's details for `lock_seconds`; each further
round of `max_failures` doubles the lock (15 min, 30, 60, ...) up to `max_lock_seconds`
(24 hours by default, `LOOKUP_FACTOR_MAX_LOCK_HOURS`): a guesser who keeps at it gains
nothing from a longer lock (5 guesses a day against 10,000 possible digits), while the
owner who mistyped is never locked out for more than a day.
The count is the dossier's, not the sender's or the client's: rotating senders or
addresses buys no extra guesses. The record is forgotten `forget_seconds` after the last
failure or lock (7 days), and a right answer clears it.

A locked dossier never locks its owner out: the dossier code texted from the phone on
file (the SMS channel), and a confirmed one-time code sent to that phone, unlock the
details whatever this count says.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from status_client.resilience import Clock

__all__ = ["DossierLockout", "InMemoryLockoutStore", "LockoutPolicy", "LockoutStore"]

MAX_LOCK_SECONDS = 86_400.0


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """How many failures lock, for how long first and at most, and when the record is
    forgotten."""

    max_failures: int = 5
    lock_seconds: float = 900.0
    max_lock_seconds: float = MAX_LOCK_SECONDS
    forget_seconds: float = 7 * 86_400.0


class LockoutStore(Protocol):
    """Where each dossier's failures and locks live (in process, or Redis)."""

    async def locked_until(self, key: str) -> float:
        """When the lock on `key` ends (0 or a past time: not locked)."""
        ...

    async def fail(self, key: str, at: float, policy: LockoutPolicy) -> float:
        """Record a failure at `at` (ignored while locked); return when the lock ends."""
        ...

    async def clear(self, key: str) -> None:
        """Forget `key`'s failures and locks."""
        ...


@dataclass(slots=True)
class _Record:
    failures: int = 0
    level: int = 0
    until: float = 0.0
    last: float = 0.0


def next_record(record: _Record, at: float, policy: LockoutPolicy) -> _Record:
    """`record` after one more failure at `at` (the Redis script does the same)."""
    if record.until > at:
        return record
    if at - max(record.last, record.until) > policy.forget_seconds:
        record = _Record()
    failures, level, until = record.failures + 1, record.level, record.until
    if failures >= policy.max_failures:
        until = at + min(policy.lock_seconds * 2**level, policy.max_lock_seconds)
        failures, level = 0, level + 1
    return _Record(failures, level, until, at)


class InMemoryLockoutStore:
    """Lock-out records per dossier in this process, with a bound on the number kept."""

    def __init__(self, *, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self._records: OrderedDict[str, _Record] = OrderedDict()

    async def locked_until(self, key: str) -> float:
        record = self._records.get(key)
        return record.until if record else 0.0

    async def fail(self, key: str, at: float, policy: LockoutPolicy) -> float:
        record = next_record(self._records.get(key, _Record()), at, policy)
        self._records[key] = record
        self._records.move_to_end(key)
        while len(self._records) > self.max_keys:
            self._records.popitem(last=False)
        return record.until

    async def clear(self, key: str) -> None:
        self._records.pop(key, None)


class DossierLockout:
    """Counts wrong second factors per dossier; answers how long it stays locked."""

    def __init__(
        self,
        store: LockoutStore | None = None,
        policy: LockoutPolicy | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self.store: LockoutStore = store or InMemoryLockoutStore()
        self.policy = policy or LockoutPolicy()
        self._clock = clock

    async def locked_for(self, dossier_code: str) -> float:
        """Seconds until the dossier's details may be unlocked by a second factor (0: now)."""
        until = await self.store.locked_until(f"dossier:{dossier_code}")
        return max(0.0, until - self._clock())

    async def record_failure(self, dossier_code: str) -> float:
        """Count a wrong second factor; the seconds the dossier is now locked for (0: not)."""
        now = self._clock()
        until = await self.store.fail(f"dossier:{dossier_code}", now, self.policy)
        return max(0.0, until - now)

    async def clear(self, dossier_code: str) -> None:
        """The right second factor: start counting afresh."""
        await self.store.clear(f"dossier:{dossier_code}")
