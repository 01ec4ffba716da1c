"""Helpers for the status tests (a unique module name: safe to import from any test)."""

from __future__ import annotations

import os

import httpx

from simulators.onestop.config import parse_anchor
from status_client.client import OneStopClient
from status_client.models import Dossier, DossierStatus

ANCHOR = parse_anchor("2026-03-16T17:00")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def set_faults(base_url: str, **faults: float) -> None:
    """Configure the simulator's fault injection (hangs last 3 s unless told)."""
    body = {"hang_ms": 3000, **faults}
    httpx.post(f"{base_url}/_sim/faults", json=body).raise_for_status()


def sim_requests(base_url: str) -> dict[str, int]:
    """How many /api requests the simulator saw since the reset, by outcome."""
    counts: dict[str, int] = httpx.get(f"{base_url}/_sim/stats").json()["requests"]
    return counts


async def one_per_status(client: OneStopClient) -> dict[DossierStatus, Dossier]:
    """A seeded dossier in each national status."""
    found = {}
    for status in DossierStatus:
        page = await client.list_dossiers(status=status, limit=1)
        found[status] = page.dossiers[0]
    return found
