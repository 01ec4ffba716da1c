"""The one-stop system client: the only code that knows its URLs and JSON.

Submodules:

- `codes`: find and canonicalise dossier codes in free text (standard library only)
- `client`: `OneStopClient` (timeouts, retries, circuit breaker, cache)
- `models`, `parsing`, `exceptions`: typed results, the JSON they come from, the errors

What the assistant says about a dossier, and to whom, is `dossier_lookup`'s job.

Names are loaded lazily, so `import status_client.codes` does not import httpx (the Rasa
environment may use `codes` alone).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from status_client.client import ClientPolicy, OneStopClient
    from status_client.exceptions import (
        BadResponse,
        CircuitOpen,
        DossierNotFound,
        OneStopError,
        OneStopUnavailable,
        TransitionRejected,
    )
    from status_client.models import ChangesPage, Dossier, DossierStatus, StatusChange

__all__ = [
    "BadResponse",
    "ChangesPage",
    "CircuitOpen",
    "ClientPolicy",
    "Dossier",
    "DossierNotFound",
    "DossierStatus",
    "OneStopClient",
    "OneStopError",
    "OneStopUnavailable",
    "StatusChange",
    "TransitionRejected",
]

_HOMES = {
    "ClientPolicy": "client",
    "OneStopClient": "client",
    "BadResponse": "exceptions",
    "CircuitOpen": "exceptions",
    "DossierNotFound": "exceptions",
    "OneStopError": "exceptions",
    "OneStopUnavailable": "exceptions",
    "TransitionRejected": "exceptions",
    "ChangesPage": "models",
    "Dossier": "models",
    "DossierStatus": "models",
    "StatusChange": "models",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'status_client' has no attribute {name!r}")
    return getattr(importlib.import_module(f"status_client.{home}"), name)
