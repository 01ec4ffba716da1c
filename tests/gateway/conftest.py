"""Fixtures: the gateway app on a fake Rasa, with a real (temporary SQLite) database.

Rasa is an external process to the gateway; `testing.fake_rasa.FakeRasa` speaks the
assistant channel's documented JSON (docs/contracts.md) as an httpx transport handler, so
the gateway is tested without patching any of its own code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from gateway_helpers import client_of

from bot.app import create_app
from bot.chat_limits import ChatRateLimiter
from settings import Settings
from testing.clock import FakeClock
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def chat_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gateway_settings(tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        rasa_url=RASA_URL,
        action_server_url=ACTION_SERVER_URL,
        database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
        rasa_timeout_seconds=0.5,
    )


@pytest.fixture
async def gateway_app(
    fake_rasa: FakeRasa, gateway_settings: Settings, chat_clock: FakeClock
) -> AsyncIterator[FastAPI]:
    """The gateway app (lifespan run) whose Rasa is the fake and whose limiter's clock is still."""
    app = create_app(
        gateway_settings,
        transport=httpx.MockTransport(fake_rasa),
        chat_limiter=ChatRateLimiter(gateway_settings.chat_rate_per_minute, clock=chat_clock),
        notifications_limiter=ChatRateLimiter(
            gateway_settings.chat_notifications_rate_per_minute, clock=chat_clock
        ),
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping HTTP client (a browser, as far as cookies go) of the gateway app."""
    async with client_of(gateway_app) as client:
        yield client
