"""Fault injection: added latency, a share of 500s, hangs and malformed JSON.

Applied to `/api/*` only (never to `/health` or `/_sim/*`). One draw per request from a
seeded generator decides its fate, so a fault sequence is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

__all__ = ["FaultInjector", "FaultSettings", "Outcome"]


@dataclass(frozen=True)
class FaultSettings:
    """What to inject; rates are shares of requests in [0, 1] whose sum is at most 1."""

    latency_ms: int = 0
    error_rate: float = 0.0
    hang_rate: float = 0.0
    malformed_rate: float = 0.0
    hang_ms: int = 30_000
    seed: int = 0

    def __post_init__(self) -> None:
        rates = (self.error_rate, self.hang_rate, self.malformed_rate)
        if any(rate < 0 or rate > 1 for rate in rates) or sum(rates) > 1 + 1e-9:
            raise ValueError("fault rates must be in [0, 1] and sum to at most 1")
        if self.latency_ms < 0 or self.hang_ms < 0:
            raise ValueError("latency_ms and hang_ms must be >= 0")

    def to_json(self) -> dict[str, Any]:
        """As the admin API shows it."""
        return asdict(self)


class Outcome(Enum):
    """What happens to one request."""

    NORMAL = "normal"
    ERROR = "error"
    HANG = "hang"
    MALFORMED = "malformed"


@dataclass
class FaultInjector:
    """Holds the current settings and decides each request's outcome."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.settings.seed)

    def configure(self, settings: FaultSettings) -> None:
        """Replace the settings and restart the random sequence from their seed."""
        self.settings = settings
        self._rng = random.Random(settings.seed)

    def draw(self) -> Outcome:
        """The outcome of the next request (counted for `/_sim/stats`)."""
        roll = self._rng.random()
        current = self.settings
        outcome = Outcome.NORMAL
        if roll < current.error_rate:
            outcome = Outcome.ERROR
        elif roll < current.error_rate + current.hang_rate:
            outcome = Outcome.HANG
        elif roll < current.error_rate + current.hang_rate + current.malformed_rate:
            outcome = Outcome.MALFORMED
        self.counts[outcome.value] = self.counts.get(outcome.value, 0) + 1
        return outcome
