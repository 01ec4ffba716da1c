"""A circuit breaker and a bounded TTL cache, both with an injectable monotonic clock."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from enum import StrEnum
from typing import Generic, TypeVar

__all__ = ["BreakerState", "CircuitBreaker", "Clock", "TTLCache"]

Clock = Callable[[], float]
"""Seconds from a monotonic clock (`time.monotonic` unless a test injects another)."""

_V = TypeVar("_V")


class BreakerState(StrEnum):
    """Where the breaker stands."""

    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls fail fast until the cooldown ends
    HALF_OPEN = "half_open"  # one trial call decides


class CircuitBreaker:
    """Opens after `failure_threshold` consecutive failed calls; half-open after `cooldown`.

    In the half-open state a single trial call is let through: success closes the
    breaker, failure opens it for another cooldown.
    """

    def __init__(
        self, *, failure_threshold: int = 5, cooldown: float = 10.0, clock: Clock = time.monotonic
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        """The current state (moves from open to half-open as time passes)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.cooldown:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a call go out now? In half-open, only the first caller gets True."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        """A call worked: close the breaker."""
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """A call failed: count it, and open (or re-open) the breaker when due."""
        self._failures += 1
        if self._trial_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_in_flight = False


class TTLCache(Generic[_V]):
    """A small least-recently-used cache whose entries expire after `ttl` seconds."""

    def __init__(self, *, ttl: float = 30.0, max_size: int = 1024, clock: Clock = time.monotonic):
        self.ttl = ttl
        self.max_size = max_size
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, _V]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> _V | None:
        """The cached value, or None when absent or expired."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._clock():
            if entry is not None:
                del self._entries[key]
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[1]

    def put(self, key: str, value: _V) -> None:
        """Store `value`, evicting the least recently used entry when full."""
        self._entries[key] = (self._clock() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

    def invalidate(self, key: str) -> None:
        """Forget `key` (after a known change)."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
