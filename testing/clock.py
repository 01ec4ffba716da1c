"""The one fake clock: stands still until a test moves it.

It serves both kinds of clock the code takes: `now()` for the notifier's wall time (an
aware UTC datetime, `notifier.clock.Clock`) and a call for the seconds the status
client's breaker and cache and the lookup limiter count (`time.monotonic`'s shape).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["FakeClock"]

# Any fixed moment will do; tests that care about the time of day pass their own.
DEFAULT_START = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The fake current moment (aware, UTC)."""
        return self._now

    def __call__(self) -> float:
        """The fake current moment in seconds, for code that takes a monotonic clock."""
        return self._now.timestamp()

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`."""
        self._now += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware)."""
        self._now = moment.astimezone(UTC)
