"""GET /health: 200 only when Rasa, the action server and the database all answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import create_app
from settings import Settings


async def test_all_parts_up_is_200(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert {name: part["status"] for name, part in body["parts"].items()} == {
        "rasa": "up",
        "action_server": "up",
        "database": "up",
    }


async def test_rasa_down_is_503_naming_rasa(gateway: httpx.AsyncClient, fake_rasa: Any) -> None:
    fake_rasa.mode = "down"

    response = await gateway.get("/health")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["rasa"]
    assert "ConnectError" in body["parts"]["rasa"]["detail"]


async def test_action_server_down_is_503_naming_it(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.actions_up = False

    response = await gateway.get("/health")

    assert response.status_code == 503
    assert response.json()["down"] == ["action_server"]


async def test_hanging_rasa_is_reported_within_the_short_timeout(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.mode = "hang"
    fake_rasa.hang_seconds = 60.0
    started = time.perf_counter()

    response = await gateway.get("/health")

    assert time.perf_counter() - started < 3.0
    assert response.status_code == 503
    assert response.json()["down"] == ["rasa"]


@pytest.fixture
async def gateway_without_database(
    fake_rasa: Any, gateway_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    # Nothing listens on port 1: the database connection is refused at once.
    settings = gateway_settings.model_copy(
        update={"database_url": "postgresql+psycopg://assistant@127.0.0.1:1/assistant"}
    )
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        yield client


async def test_database_down_is_503_naming_it(gateway_without_database: httpx.AsyncClient) -> None:
    response = await gateway_without_database.get("/health")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["database"]
    assert body["parts"]["rasa"]["status"] == "up"
