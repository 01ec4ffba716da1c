"""Helpers for the simulator tests (a unique module name: safe to import from any test)."""

from __future__ import annotations

from typing import Any

import httpx
from twilio.rest import Client

# The account the Twilio simulator of these tests is configured with.
SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "test-auth-token"


def configure(sim_url: str, **changes: Any) -> None:
    """Change a simulator's settings through its `/_sim/config`."""
    httpx.post(f"{sim_url}/_sim/config", json=changes).raise_for_status()


def twilio_client(sim_url: str) -> Client:
    """The official `twilio` client, pointed at the simulator."""
    client = Client(SID, TOKEN)
    client.api.base_url = sim_url
    return client
