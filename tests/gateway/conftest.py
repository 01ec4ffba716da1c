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

from bot.app import create_app
from settings import Settings
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


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
async def gateway(
    fake_rasa: FakeRasa, gateway_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the gateway app (lifespan run) whose Rasa is the fake."""
    app = create_app(gateway_settings, transport=httpx.MockTransport(fake_rasa))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway.test"
        ) as client,
    ):
        yield client
