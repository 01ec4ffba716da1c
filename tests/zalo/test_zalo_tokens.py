"""The OA token pair: refreshed before expiry, once across processes, never half-stored.

The token endpoint is the simulator's (single-use refresh tokens, as Zalo's); the
racing and killed refreshes are real `python -m zalo_oa refresh` processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, delete
from zalo_helpers import APP_ID, APP_SECRET

from db import make_session_factory
from settings import REPO_ROOT
from simulators.common import running_server
from simulators.zalo.app import create_app as create_simulator
from simulators.zalo.config import ZaloSimConfig
from simulators.zalo.state import SimulatorState
from zalo_oa.models import ZaloToken
from zalo_oa.tokens import CLAIM_LEASE, RefreshTokenRejected, TokenStore

MARGIN = timedelta(hours=1)


@dataclass
class TokenWorld:
    """The simulator's token endpoint, and a store on the test database."""

    url: str
    state: SimulatorState
    store: TokenStore
    database_url: str

    def process(self, *arguments: str) -> subprocess.Popen[bytes]:
        """`python -m zalo_oa <arguments>` on the same database and simulator."""
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "DATABASE_URL": self.database_url,
            "ZALO_OAUTH_URL": self.url,
            "ZALO_APP_ID": APP_ID,
            "ZALO_APP_SECRET_KEY": APP_SECRET,
            "ZALO_TOKEN_REFRESH_MARGIN_SECONDS": str(MARGIN.total_seconds()),
        }
        command = [sys.executable, "-m", "zalo_oa", *arguments]
        return subprocess.Popen(
            command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def check(self, access: str = "", refresh: str = "") -> dict[str, object]:
        """What the simulator thinks of these tokens now."""
        params = {"access_token": access, "refresh_token": refresh}
        return dict(httpx.get(self.url + "/_sim/tokens", params=params).json())


@pytest.fixture
def tokens(engine: Engine, database_url: str) -> Iterator[TokenWorld]:
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        session.execute(delete(ZaloToken))
    config = ZaloSimConfig(
        app_id=APP_ID,
        app_secret_key=APP_SECRET,
        initial_access_token="access-0",
        initial_refresh_token="refresh-0",
    )
    app = create_simulator(config)
    with running_server(app) as url:
        store = TokenStore(
            sessions, app_id=APP_ID, app_secret_key=APP_SECRET, oauth_url=url, margin=MARGIN
        )
        # The pair the OA was authorised with, 30 minutes before its access token expires.
        store.seed("access-0", "refresh-0", datetime.now(UTC) + timedelta(minutes=30))
        yield TokenWorld(url, app.state.sim, store, database_url)
        store.close()
    with sessions() as session, session.begin():
        session.execute(delete(ZaloToken))


def test_a_due_token_is_refreshed_and_the_new_pair_stored(tokens: TokenWorld) -> None:
    access = tokens.store.access_token()
    stored = tokens.store.stored()
    assert stored is not None and stored.generation == 2 and stored.access_token == access
    assert access != "access-0" and stored.access_expires_at > datetime.now(UTC) + timedelta(
        hours=24
    )
    assert tokens.check(access, stored.refresh_token) == {
        "refreshes": 1,
        "refused_refreshes": 0,
        "access_token": "valid",
        "refresh_token_usable": True,
        "refresh_token_spent": False,
    }
    assert tokens.check(refresh="refresh-0")["refresh_token_spent"] is True
    assert tokens.store.access_token() == access  # not due any more: no second refresh


def test_processes_racing_to_refresh_spend_the_refresh_token_once(tokens: TokenWorld) -> None:
    tokens.state.config = ZaloSimConfig(**{**tokens.state.config.__dict__, "refresh_latency": 0.5})
    racers = [tokens.process("refresh") for _ in range(2)]
    outcomes = [racer.wait(timeout=60) for racer in racers]
    assert outcomes == [0, 0], [r.stderr.read() for r in racers if r.stderr]
    stored = tokens.store.stored()
    assert stored is not None and stored.generation == 2
    seen = tokens.check(stored.access_token, stored.refresh_token)
    assert (seen["refreshes"], seen["refused_refreshes"]) == (1, 0)
    assert seen["access_token"] == "valid" and seen["refresh_token_usable"] is True


def test_sigkill_after_zalo_spent_the_token_keeps_a_working_pair(tokens: TokenWorld) -> None:
    tokens.state.config = ZaloSimConfig(**{**tokens.state.config.__dict__, "refresh_latency": 4})
    victim = tokens.process("refresh")
    deadline = time.monotonic() + 30
    while tokens.state.refreshes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert tokens.state.refreshes == 1  # Zalo has spent refresh-0 and made a new pair
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)

    # What we kept: the whole old pair (never half of a new one), the claim still set.
    stored = tokens.store.stored()
    assert stored is not None and (stored.access_token, stored.refresh_token) == (
        "access-0",
        "refresh-0",
    )
    assert stored.generation == 1
    # The kept access token still works until its expiry: nothing is lost meanwhile.
    assert tokens.check("access-0")["access_token"] == "valid"
    assert tokens.store.access_token() == "access-0"  # the claim is younger than its lease

    # Once the lease is over, the next refresh finds the spent token and says what to do.
    later = TokenStore(
        tokens.store._sessions,  # noqa: SLF001 - the same database, a later clock
        app_id=APP_ID,
        app_secret_key=APP_SECRET,
        oauth_url=tokens.url,
        margin=MARGIN,
        clock=lambda: datetime.now(UTC) + CLAIM_LEASE + timedelta(seconds=1),
    )
    with pytest.raises(RefreshTokenRejected, match="re-authorise before"):
        later.refresh_if_due(stored)
    later.close()
    assert tokens.store.stored() == stored  # still the pair that works


def test_threads_seeding_at_once_store_one_pair(tokens: TokenWorld) -> None:
    with tokens.store._sessions() as session, session.begin():  # noqa: SLF001
        session.execute(delete(ZaloToken))
    expires = datetime.now(UTC) + timedelta(hours=25)
    with ThreadPoolExecutor(8) as pool:
        stored = list(pool.map(lambda _: tokens.store.seed("a", "r", expires), range(8)))
    assert stored.count(True) == 1
