"""The real stack for end-to-end tests: Rasa, the action server, the gateway, simulators.

Started once per test session on free ports with a temporary SQLite database (migrated
and filled by the catalog's own CLI), by the same `Stack` that `make run` uses. Rasa
needs 20-40 s to load. Skipped only when `.venv-rasa` is missing, and then only unless
REQUIRE_RASA=1. Each part's output is in the session's temp folder (`logs/`), and a
start-up failure quotes the failing part's last lines.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from e2e_support import Simulator, ask

from launcher.model import RASA_BIN, ensure_model
from launcher.services import endpoints_for, plan_services, prepare_database
from launcher.stack import Stack
from settings import Settings
from testing.ports import local_placement


@dataclass(frozen=True)
class RunningStack:
    """Where the parts of the session's stack listen."""

    gateway_url: str
    settings: Settings
    stack: Stack


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """Start the whole assistant once for the session; stop every process afterwards."""
    if not RASA_BIN.exists():
        message = f"Rasa is not installed at {RASA_BIN} (make rasa-venv)"
        if os.environ.get("REQUIRE_RASA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("stack")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{folder / 'e2e.db'}",
        **local_placement(),
        # No quiet hours: one-time codes are refused at night, whenever the suite runs.
        quiet_hours="",
        # Every test talks from 127.0.0.1: the per-address chat limit would pace the session.
        chat_rate_per_minute=0,
        # Every test's lookups come from this one address (README "Lookup limits").
        lookup_unlimited_clients="127.0.0.1",
        # The Telegram simulator posts updates to the gateway's webhook, as in production.
        telegram_mode="webhook",
    )
    prepare_database(settings.database_url)
    stack = Stack(
        plan_services(settings, model=ensure_model(), endpoints=endpoints_for(settings, folder)),
        log_dir=folder / "logs",
    )
    stack.start()
    try:
        yield RunningStack(f"http://127.0.0.1:{settings.gateway_port}", settings, stack)
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def gateway_url(running_stack: RunningStack) -> str:
    """The base URL of the gateway of the session's real stack."""
    return running_stack.gateway_url


@pytest.fixture
async def gateway(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the real gateway."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30.0) as client:
        yield client


@pytest.fixture
def sender() -> str:
    """A fresh conversation id for each test."""
    return f"e2e-{uuid.uuid4().hex[:16]}"


@pytest.fixture
async def onestop(running_stack: Any) -> AsyncIterator[Simulator]:
    """The stack's simulator, fault-free before and after the test."""
    base_url = running_stack.settings.onestop_base_url
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as http:
        simulator = Simulator(http)
        await simulator.set_faults()
        yield simulator
        await simulator.set_faults()


@pytest.fixture
async def faulty_onestop(
    onestop: Simulator, gateway: httpx.AsyncClient
) -> AsyncIterator[Simulator]:
    """The simulator for a fault test; afterwards waits until lookups work again.

    Failed calls count toward the action server's circuit breaker; a later test must not
    meet an open breaker left behind by this one.
    """
    yield onestop
    await onestop.set_faults()
    probe = await onestop.fresh()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = await ask(gateway, f"e2e-probe-{time.monotonic_ns()}", probe["MaHoSo"])
        if body.get("dossier_status"):
            return
        await asyncio.sleep(1.0)
    raise AssertionError("lookups did not recover within 30 s after the faults were removed")
