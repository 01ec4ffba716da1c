"""The Zalo channel over real HTTP: the gateway (on a fake Rasa) and the Zalo simulator.

Both run with uvicorn in threads on free ports: the simulator signs and posts webhook
events to the gateway, the gateway answers through the simulator's send API. The
database is the shared migrated one (SQLite and PostgreSQL); Zalo's tables are emptied
around each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, delete
from zalo_helpers import APP_ID, APP_SECRET, OA_SECRET, ZaloWorld, zalo_settings

from bot.app import create_app
from bot.channels.sender_limit import SenderLimit
from db import make_session_factory
from notifier.models import Subscription
from simulators.common import running_server
from simulators.zalo.app import create_app as create_simulator
from simulators.zalo.config import ZaloSimConfig
from testing.clock import FakeClock
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa
from testing.ports import free_ports
from zalo_oa.models import ZaloEvent, ZaloFollower, ZaloToken


def wipe(engine: Engine) -> None:
    """Empty the Zalo tables and the subscriptions."""
    with make_session_factory(engine)() as session, session.begin():
        for table in (ZaloEvent, ZaloFollower, ZaloToken, Subscription):
            session.execute(delete(table))


@pytest.fixture
def zalo(engine: Engine, database_url: str) -> Iterator[ZaloWorld]:
    """The gateway and the simulator, talking to each other."""
    wipe(engine)
    gateway_port, simulator_port = free_ports(2)
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    simulator_config = ZaloSimConfig(
        port=simulator_port,
        app_id=APP_ID,
        oa_secret_key=OA_SECRET,
        app_secret_key=APP_SECRET,
        initial_access_token="access-0",
        initial_refresh_token="refresh-0",
        webhook_url=gateway_url + "/webhooks/zalo",
        webhook_retry_delays=[0.2, 0.4],
    )
    simulator_app = create_simulator(simulator_config)
    with running_server(simulator_app, port=simulator_port) as simulator_url:
        settings = zalo_settings(
            database_url,
            simulator_url,
            rasa_url=RASA_URL,
            action_server_url=ACTION_SERVER_URL,
            rasa_timeout_seconds=0.5,
        )
        rasa = FakeRasa()
        # A still clock: the per-sender limit never refills during a test.
        limit = SenderLimit(settings.channel_sender_rate_per_minute, clock=FakeClock())
        gateway_app = create_app(settings, transport=httpx.MockTransport(rasa), sender_limit=limit)
        with (
            running_server(gateway_app, port=gateway_port),
            httpx.Client(base_url=simulator_url, timeout=30) as simulator,
        ):
            yield ZaloWorld(
                simulator=simulator,
                gateway_url=gateway_url,
                rasa=rasa,
                sessions=make_session_factory(engine),
                state=simulator_app.state.sim,
            )
    wipe(engine)
