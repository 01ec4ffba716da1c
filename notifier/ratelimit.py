"""Keeping to a provider's rate: evenly spaced send slots, and pauses on Retry-After.

Each sender process keeps its own limiter per provider, so with N sender processes the
configured rate is per process (configure R/N to keep a shared number at R).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Hands out send slots at most `rate` a second (0 = unlimited), one at a time.

    Slots are spaced 1/rate apart rather than allowing bursts, so that a provider that
    counts with a token bucket of its own never sees more than it allows.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._next_slot = 0.0
        self._paused_until = 0.0

    def reserve(self) -> float:
        """Reserve the next slot; return how many seconds to wait before using it."""
        now = self._clock()
        start = max(now, self._next_slot, self._paused_until)
        if self.rate > 0:
            self._next_slot = start + 1.0 / self.rate
        return start - now

    async def acquire(self) -> None:
        """Wait for the next free slot."""
        wait = self.reserve()
        while wait > 0:
            await asyncio.sleep(wait)
            # A Retry-After that arrived while waiting pushes this slot back too.
            wait = self.paused_for

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the provider said Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())
