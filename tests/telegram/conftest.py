"""Fixtures: the Telegram simulator and the gateway (real PTB inside) on a fake Rasa.

Both serve real HTTP on loopback in background threads: PTB calls the simulator's Bot
API, and the simulator posts webhook updates to the gateway, as Telegram would.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from telegram_support import SECRET, TOKEN, GatewayUnderTest, wait_until

from bot.app import create_app
from bot.channels.sender_limit import SenderLimit
from db import make_engine, upgrade_to_head
from settings import Settings
from simulators.common import running_server
from testing.clock import FakeClock
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa
from testing.ports import free_port
from testing.telegram_sim import telegram_simulator


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    """A Telegram simulator without its per-chat pace (tests send bursts)."""
    with telegram_simulator(TOKEN, per_chat_rate=0, global_rate=0) as url:
        yield url


@pytest.fixture(scope="module")
def database_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('telegram') / 'gateway.db'}"
    upgrade_to_head(url)
    return url


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


def gateway_settings(database_url: str, sim_url: str, mode: str, port: int) -> Settings:
    return Settings(
        environment="test",
        rasa_url=RASA_URL,
        action_server_url=ACTION_SERVER_URL,
        database_url=database_url,
        rasa_timeout_seconds=0.5,
        public_base_url=f"http://127.0.0.1:{port}",
        telegram_mode=mode,  # type: ignore[arg-type]
        telegram_base_url=sim_url,
        telegram_bot_token=TOKEN,  # type: ignore[arg-type]
        telegram_webhook_secret=SECRET,  # type: ignore[arg-type]
    )


@pytest.fixture(params=["webhook", "polling"])
def gateway(
    request: pytest.FixtureRequest, sim_url: str, database_file: str, fake_rasa: FakeRasa
) -> Iterator[GatewayUnderTest]:
    """The gateway with its Telegram channel up, in webhook then in polling mode."""
    yield from running_gateway(request.param, sim_url, database_file, fake_rasa)


def running_gateway(
    mode: str, sim_url: str, database_url: str, fake_rasa: FakeRasa, *, fresh: bool = True
) -> Iterator[GatewayUnderTest]:
    """Start the gateway and wait for its channel (`fresh`: reset the simulator and claims)."""
    if fresh:
        httpx.post(f"{sim_url}/_sim/reset").raise_for_status()
        engine = make_engine(database_url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM telegram_update_claim")
        engine.dispose()
    port = free_port()
    settings = gateway_settings(database_url, sim_url, mode, port)
    # The senders' clock stands still: a slow machine never refills a bucket mid-test.
    limit = SenderLimit(settings.channel_sender_rate_per_minute, clock=FakeClock())
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa), sender_limit=limit)
    with running_server(app, port=port) as url:
        wait_until(lambda: app.state.telegram.ready.is_set(), "the Telegram channel is up")
        yield GatewayUnderTest(url=url, sim_url=sim_url, app=app, rasa=fake_rasa)


@pytest.fixture
def webhook_gateway(
    sim_url: str, database_file: str, fake_rasa: FakeRasa
) -> Iterator[GatewayUnderTest]:
    """The gateway in webhook mode only."""
    yield from running_gateway("webhook", sim_url, database_file, fake_rasa)


@pytest.fixture
def second_replica(
    webhook_gateway: GatewayUnderTest, sim_url: str, database_file: str
) -> Iterator[GatewayUnderTest]:
    """Another gateway process on the same database and bot (its own fake Rasa)."""
    yield from running_gateway("webhook", sim_url, database_file, FakeRasa(), fresh=False)
