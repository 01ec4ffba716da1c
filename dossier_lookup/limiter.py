"""Per-sender limits on failed lookups, to stop enumerating dossier codes.

`FailedLookupLimiter` counts failures per key in a sliding window through a
`FailureStore`. `InMemoryFailureStore` serves one process; a Redis store can implement
the same two methods later (a sorted set per key: ZADD now, ZREMRANGEBYSCORE older than
the window, ZCARD, EXPIRE window) with wall-clock time.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from typing import Protocol

from status_client.resilience import Clock

__all__ = ["FailedLookupLimiter", "FailureStore", "InMemoryFailureStore"]


class FailureStore(Protocol):
    """Where failure timestamps live (in process now, Redis later)."""

    async def add(self, key: str, at: float, window: float) -> int:
        """Record a failure at `at`; return the failures for `key` within `window`."""
        ...

    async def count(self, key: str, at: float, window: float) -> int:
        """The failures for `key` within `window` before `at`."""
        ...


class InMemoryFailureStore:
    """Failure timestamps per key in this process, with a bound on the number of keys."""

    def __init__(self, *, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, at: float, window: float) -> deque[float]:
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        while stamps and stamps[0] <= at - window:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
        return stamps

    async def add(self, key: str, at: float, window: float) -> int:
        stamps = self._recent(key, at, window)
        stamps.append(at)
        self._failures[key] = stamps
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)
        return len(stamps)

    async def count(self, key: str, at: float, window: float) -> int:
        return len(self._recent(key, at, window))


class FailedLookupLimiter:
    """Blocks a key after `max_failures` failures within `window` seconds."""

    def __init__(
        self,
        store: FailureStore | None = None,
        *,
        max_failures: int = 5,
        window: float = 600.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.store: FailureStore = store or InMemoryFailureStore()
        self.max_failures = max_failures
        self.window = window
        self._clock = clock

    async def blocked(self, *keys: str) -> bool:
        """True when any of `keys` has used up its failures."""
        now = self._clock()
        for key in keys:
            if await self.store.count(key, now, self.window) >= self.max_failures:
                return True
        return False

    async def record_failure(self, *keys: str) -> bool:
        """Count a failure against each key; True when one of them is now blocked."""
        now = self._clock()
        counts = [await self.store.add(key, now, self.window) for key in keys]
        return any(count >= self.max_failures for count in counts)
