"""Fixtures: the one-stop simulator over real HTTP, and clients of it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from status_test_support import ANCHOR, REDIS_URL

from simulators.onestop import FaultSettings, SimConfig, running_simulator
from status_client.client import ClientPolicy, OneStopClient
from testing.clock import FakeClock


@pytest.fixture(scope="session")
def sim_base_url() -> Iterator[str]:
    """One simulator for the session (2,000 dossiers; hangs last 3 s)."""
    config = SimConfig(seed=11, count=2000, anchor=ANCHOR, faults=FaultSettings(hang_ms=3000))
    with running_simulator(config) as url:
        yield url


@pytest.fixture
def sim(sim_base_url: str) -> Iterator[str]:
    """The simulator, reset to its seeded state and without faults."""
    httpx.post(f"{sim_base_url}/_sim/reset").raise_for_status()
    yield sim_base_url
    httpx.post(f"{sim_base_url}/_sim/reset").raise_for_status()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def client(sim: str, clock: FakeClock) -> AsyncIterator[OneStopClient]:
    """A client of the simulator with fast backoff and a fake clock."""
    async with httpx.AsyncClient() as http:
        yield OneStopClient(http, sim, policy=ClientPolicy(backoff_base=0.01), clock=clock)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """A client of the real Redis; skip (or fail with REQUIRE_REDIS=1) when it is down."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2.0)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        message = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield client
    await client.aclose()


@pytest.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test:failed-lookups:{uuid.uuid4().hex}:"
    yield prefix
    keys = [key async for key in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
