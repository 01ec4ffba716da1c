"""Fixtures the simulator test modules share; each module starts its own `sim_url`."""

from __future__ import annotations

import httpx
import pytest
from sim_test_support import twilio_client
from twilio.rest import Client


@pytest.fixture(autouse=True)
def fresh_simulator(request: pytest.FixtureRequest) -> None:
    """Each test starts on a reset simulator (in modules that run one as `sim_url`)."""
    if "sim_url" in request.fixturenames:
        sim_url = request.getfixturevalue("sim_url")
        httpx.post(f"{sim_url}/_sim/reset").raise_for_status()


@pytest.fixture
def client(sim_url: str) -> Client:
    """The `twilio` client on the module's Twilio simulator."""
    return twilio_client(sim_url)
