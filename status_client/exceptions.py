"""The status client's errors. Callers catch these, never httpx's.

```
OneStopError                 anything that went wrong talking to the one-stop system
├── DossierNotFound          the system answered: no dossier with that code
├── OneStopUnavailable       no usable answer in time: timeouts, connection errors, 5xx
│   └── CircuitOpen          recent calls failed; not even trying until the cooldown ends
├── BadResponse              the system answered with JSON we cannot read
└── TransitionRejected       the system refused a status change (unknown or not allowed)
```
"""

from __future__ import annotations

__all__ = [
    "BadResponse",
    "CircuitOpen",
    "DossierNotFound",
    "OneStopError",
    "OneStopUnavailable",
    "TransitionRejected",
]


class OneStopError(Exception):
    """Base class of every error raised by `status_client`."""


class DossierNotFound(OneStopError):
    """No dossier with this code exists in the one-stop system."""

    def __init__(self, code: str) -> None:
        super().__init__(f"No dossier {code} in the one-stop system")
        self.code = code


class OneStopUnavailable(OneStopError):
    """The one-stop system did not give a usable answer in time (try again later)."""


class CircuitOpen(OneStopUnavailable):
    """The circuit breaker is open after repeated failures; no request was sent."""


class BadResponse(OneStopError):
    """The one-stop system answered, but not with the JSON its API promises."""


class TransitionRejected(OneStopError):
    """The one-stop system refused a status transition (unknown status or not allowed)."""
