"""The apps under fuzzing: the gateway (development and production mode) on a fake Rasa,
the one-stop simulator behind the real one-stop client, and a real PostgreSQL database;
the one-stop, Twilio, Telegram and Zalo simulators on their own.

Schemathesis runs each app's lifespan itself (in its own event loop thread) and sends
every request in-process. The request counts and the seed are printed at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fuzzing import (
    EXAMPLES,
    PUBLIC_BASE_URL,
    REQUESTS,
    SECONDS,
    SEED,
    STATUSES,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TWILIO_TOKEN,
    ZALO_APP_ID,
    ZALO_SECRET,
)
from production_env import production_settings
from pydantic import SecretStr
from schemathesis.specs.openapi.schemas import OpenApiSchema

from bot.app import create_app
from bot.web_identity import COOKIE_NAME
from db import make_engine, make_session_factory
from notifier.models import ChannelName
from notifier.outbox import NewMessage, enqueue
from settings import Settings
from simulators.common import running_server
from simulators.onestop.app import create_app as create_onestop
from simulators.onestop.config import SimConfig
from simulators.telegram.app import create_app as create_telegram
from simulators.twilio.app import create_app as create_twilio
from simulators.zalo.app import create_app as create_zalo
from simulators.zalo.config import ZaloSimConfig
from status_client.client import OneStopClient
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa

ONESTOP_URL = "http://onestop.test"
# The development app runs without rate limits, so every request reaches its handler;
# the production app keeps the defaults (its 429s and "slow down" replies are fuzzed too).
_UNLIMITED = {
    "chat_rate_per_minute": 0,
    "chat_notifications_rate_per_minute": 0,
    "channel_sender_rate_per_minute": 0,
}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests each route got, and the seed (the figure `make fuzz` reports)."""
    if not REQUESTS:
        return
    terminalreporter.section(f"fuzzing: seed {SEED}, {EXAMPLES} examples per route asked")
    for route, count in sorted(REQUESTS.items()):
        statuses = sorted((status, n) for (name, status), n in STATUSES.items() if name == route)
        answers = ", ".join(f"{status}: {n}" for status, n in statuses)
        seconds = f"{SECONDS[route]:.1f} s"
        terminalreporter.write_line(f"{count:>8} requests  {route}  ({answers}; {seconds})")
    terminalreporter.write_line(f"{sum(REQUESTS.values()):>8} requests in all")


def _gateway(settings: Settings) -> FastAPI:
    """The gateway on a fake Rasa, reading dossiers from the one-stop simulator."""
    onestop = OneStopClient(
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_onestop(SimConfig(seed=7, count=50))),
            base_url=ONESTOP_URL,
        ),
        ONESTOP_URL,
        owns_http=True,
    )
    return create_app(settings, transport=httpx.MockTransport(FakeRasa()), onestop=onestop)


def _common(database_url: str) -> dict[str, Any]:
    return {
        "database_url": database_url,
        "rasa_url": RASA_URL,
        "action_server_url": ACTION_SERVER_URL,
        "public_base_url": PUBLIC_BASE_URL,
        "twilio_auth_token": SecretStr(TWILIO_TOKEN),
        "log_level": "WARNING",
    }


def _seed_notifications(database_url: str, address: str) -> None:
    """A few notifications for the fuzzing cookie's conversation, so reads return rows."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            messages = [
                NewMessage(ChannelName.WEBCHAT, address, f"Thông báo {n}", f"fuzz-{n}")
                for n in range(3)
            ]
            enqueue(session, messages, now=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def telegram_bot_api() -> Iterator[str]:
    """The Telegram simulator on a port of its own: the gateway's PTB talks HTTP to it."""
    with running_server(create_telegram()) as url:
        yield url


def _development(database_url: str, telegram_bot_api: str) -> Settings:
    """The gateway as developers run it (with /openapi.json), no rate limits, Telegram on."""
    return Settings(
        environment="test",
        telegram_mode="webhook",
        telegram_base_url=telegram_bot_api,
        telegram_bot_token=SecretStr(TELEGRAM_TOKEN),
        telegram_webhook_secret=SecretStr(TELEGRAM_SECRET),
        zalo_app_id=ZALO_APP_ID,
        zalo_oa_secret_key=SecretStr(ZALO_SECRET),
        **_UNLIMITED,
        **_common(database_url),
    )


@pytest.fixture(scope="session")
def zalo_oa_api() -> Iterator[str]:
    """The Zalo simulator on a port of its own: the OA message and token APIs."""
    with running_server(create_zalo()) as url:
        yield url


@pytest.fixture(scope="session")
def gateway_app(database_url: str, telegram_bot_api: str, zalo_oa_api: str) -> FastAPI:
    """The development gateway the fuzzing drives, replying on Zalo through the simulator."""
    settings = _development(database_url, telegram_bot_api).model_copy(
        update={"zalo_base_url": zalo_oa_api, "zalo_oauth_url": zalo_oa_api}
    )
    return _gateway(settings)


@pytest.fixture(scope="session")
def chat_cookies(gateway_app: FastAPI, database_url: str) -> Iterator[dict[str, str]]:
    """A valid web chat cookie whose conversation has notifications to read."""
    identity = gateway_app.state.web_identity
    conversation = identity.new_conversation()
    _seed_notifications(database_url, identity.sender(conversation))
    yield {COOKIE_NAME: identity.cookie_value(conversation)}


@pytest.fixture
def fresh_gateway(database_url: str, telegram_bot_api: str) -> Iterator[TestClient]:
    """Another development gateway on the same database, for requests written by hand."""
    with TestClient(_gateway(_development(database_url, telegram_bot_api))) as client:
        yield client


@pytest.fixture(scope="session")
def gateway_schema(gateway_app: FastAPI) -> OpenApiSchema:
    """The gateway's own description, served by the gateway."""
    return schemathesis.openapi.from_asgi("/openapi.json", gateway_app)


@pytest.fixture(scope="session")
def production_schema(gateway_app: FastAPI, database_url: str) -> OpenApiSchema:
    """The same description driving the production-mode gateway (which does not serve it)."""
    url = database_url.replace("postgres@", "postgres:fuzz-0123456789abcdef-strong@", 1)
    # Telegram off: production refuses a local Bot API, and tests never call the real one.
    production = _gateway(production_settings(telegram_mode="off", **_common(url)))
    assert production.openapi_url is None
    schema = schemathesis.openapi.from_dict(gateway_app.openapi())
    schema.app = production
    return schema


def _twiml_everywhere(request: httpx.Request) -> httpx.Response:
    """Every webhook the Twilio simulator posts to answers with a one-message TwiML."""
    return httpx.Response(
        200,
        text="<Response><Message>ok</Message></Response>",
        headers={"Content-Type": "application/xml"},
    )


@pytest.fixture(scope="session")
def onestop_schema() -> OpenApiSchema:
    """The one-stop simulator, as the gateway's tests and the notifier drive it."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_onestop(SimConfig(count=50)))


@pytest.fixture(scope="session")
def twilio_schema() -> OpenApiSchema:
    """The Twilio simulator, its webhooks going to a fake network (never out)."""
    app = create_twilio(transport=httpx.MockTransport(_twiml_everywhere))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="session")
def telegram_schema() -> OpenApiSchema:
    """The Telegram simulator (no webhook is set, so it posts nowhere)."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_telegram())


@pytest.fixture(scope="session")
def zalo_schema() -> OpenApiSchema:
    """The Zalo simulator (no webhook URL, so it posts nowhere)."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_zalo(ZaloSimConfig()))
