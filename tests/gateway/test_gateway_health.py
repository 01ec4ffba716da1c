"""GET /health: 200 only when Rasa, the action server and the database all answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from production_env import production_settings
from pydantic import SecretStr

from bot.app import create_app
from settings import Settings
from tests.gateway.conftest import ACTION_SERVER_URL, RASA_URL

OPERATOR_TOKEN = "operator-token-0123456789abcdef"


@asynccontextmanager
async def serving(settings: Settings, fake_rasa: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway for `settings` (lifespan run) on the fake Rasa."""
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        yield client


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


async def test_rasa_down_is_503_naming_rasa_without_why(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.mode = "down"

    response = await gateway.get("/health")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["rasa"]
    # The public answer: up or down per part, no exception text, latencies or versions.
    assert body["parts"] == {
        "rasa": {"status": "down"},
        "action_server": {"status": "up"},
        "database": {"status": "up"},
    }
    assert "ConnectError" not in response.text and "refused" not in response.text


@pytest.fixture
async def gateway_with_operator_token(
    fake_rasa: Any, gateway_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    settings = gateway_settings.model_copy(update={"health_token": SecretStr(OPERATOR_TOKEN)})
    async with serving(settings, fake_rasa) as client:
        yield client


async def test_operators_with_the_token_see_why_a_part_is_down(
    gateway_with_operator_token: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.mode = "down"

    operator = await gateway_with_operator_token.get(
        "/health", headers={"X-Health-Token": OPERATOR_TOKEN}
    )
    stranger = await gateway_with_operator_token.get(
        "/health", headers={"X-Health-Token": "guess-" + OPERATOR_TOKEN}
    )

    assert operator.status_code == stranger.status_code == 503
    assert "ConnectError" in operator.json()["parts"]["rasa"]["detail"]
    assert "latency_ms" in operator.json()["parts"]["database"]
    assert stranger.json()["parts"]["rasa"] == {"status": "down"}


async def test_rasa_version_is_for_operators_only(
    gateway_with_operator_token: httpx.AsyncClient,
) -> None:
    public = await gateway_with_operator_token.get("/health")
    operator = await gateway_with_operator_token.get(
        "/health", headers={"X-Health-Token": OPERATOR_TOKEN}
    )

    assert public.status_code == operator.status_code == 200
    assert "3.6.21" not in public.text
    assert operator.json()["parts"]["rasa"]["detail"] == "Hello from Rasa: 3.6.21"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
async def test_api_docs_are_off_in_production(path: str, fake_rasa: Any) -> None:
    production = create_app(
        production_settings(rasa_url=RASA_URL, action_server_url=ACTION_SERVER_URL),
        transport=httpx.MockTransport(fake_rasa),
    )
    development = create_app(Settings(), transport=httpx.MockTransport(fake_rasa))

    for app, expected in ((production, 404), (development, 200)):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            assert (await client.get(path)).status_code == expected, (path, expected)


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
    async with serving(settings, fake_rasa) as client:
        yield client


async def test_database_down_is_503_naming_it(gateway_without_database: httpx.AsyncClient) -> None:
    response = await gateway_without_database.get("/health")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["database"]
    assert body["parts"]["rasa"]["status"] == "up"
