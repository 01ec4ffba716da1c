"""Zalo events in gateway processes: one acknowledged just before a SIGKILL is answered
once after the restart, and two processes on one PostgreSQL database answer each event
once.

The gateways are real `uvicorn bot.app:app` processes on PostgreSQL, on a Rasa stand-in
served over HTTP that can hold its answer, so that the kill lands after the webhook's
200 and before the reply. Zalo never re-delivers an event it got 200 for: the stored row
is all there is.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from pg_admin import temporary_database
from sqlalchemy import select
from sqlalchemy.orm import Session
from zalo_helpers import APP_ID, APP_SECRET, OA_SECRET, USER, signed, text_event, zalo_settings

from db import make_engine, upgrade_to_head
from settings import Settings
from simulators.common import running_server
from simulators.zalo.app import create_app as create_simulator
from simulators.zalo.config import ZaloSimConfig
from testing.gateway_process import start_gateway
from testing.ports import free_port
from testing.rasa_stand_in import running_rasa
from zalo_oa.models import ZaloEvent

LEASE_SECONDS = 2.0


def gateway_settings(database_url: str, simulator_url: str, rasa_url: str) -> Settings:
    return zalo_settings(
        database_url,
        simulator_url,
        gateway_port=free_port(),
        rasa_url=rasa_url,
        action_server_url=rasa_url,
        channel_update_lease_seconds=LEASE_SECONDS,
    )


def simulator_config() -> ZaloSimConfig:
    return ZaloSimConfig(
        app_id=APP_ID,
        oa_secret_key=OA_SECRET,
        app_secret_key=APP_SECRET,
        initial_access_token="access-0",
        initial_refresh_token="refresh-0",
    )


def sent_to(simulator_url: str, user: str) -> list[str]:
    answer = httpx.get(f"{simulator_url}/_sim/messages", params={"user_id": user})
    return [message["message"]["text"] for message in answer.raise_for_status().json()["messages"]]


def stored(database_url: str) -> list[Any]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return [(row.done_at, row.payload) for row in session.scalars(select(ZaloEvent))]
    finally:
        engine.dispose()


def wait_for(probe: Any, what: str, seconds: float = 90.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := probe():
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds:g} s")


def test_an_event_acknowledged_before_a_sigkill_is_answered_once_after_the_restart(
    tmp_path: Path,
) -> None:
    text = "lệ phí cấp lại căn cước"
    raw, headers = signed(text_event(text))
    with (
        temporary_database("zalo_sigkill") as database_url,
        running_server(create_simulator(simulator_config())) as simulator_url,
        running_rasa() as (rasa, rasa_url),
    ):
        upgrade_to_head(database_url)
        # The user wrote just now, as far as Zalo knows (the event is posted by the test).
        interaction = {"hours_ago": 0}
        httpx.put(f"{simulator_url}/_sim/users/{USER}/last-interaction", json=interaction)
        settings = gateway_settings(database_url, simulator_url, rasa_url)
        rasa.hold()
        first = start_gateway(settings, tmp_path / "first.log")
        try:
            url = f"http://127.0.0.1:{settings.gateway_port}/webhooks/zalo"
            answer = httpx.post(url, content=raw, headers=headers, timeout=30)
            assert answer.status_code == 200 and answer.json() == {"received": True}
            wait_for(lambda: rasa.texts() == [text], "the turn under way")
        finally:
            first.kill()
        assert sent_to(simulator_url, USER) == []
        [(done_at, payload)] = stored(database_url)
        assert done_at is None and payload is not None
        rasa.release()
        restarted = settings.model_copy(update={"gateway_port": free_port()})
        second = start_gateway(restarted, tmp_path / "second.log")
        try:
            wait_for(lambda: sent_to(simulator_url, USER), "the reply after the restart")
            time.sleep(3 * LEASE_SECONDS)
            assert sent_to(simulator_url, USER) == [f"Bạn đã hỏi: {text}"]
            # Zalo's retry of the same event (it saw no 200 in time) changes nothing.
            url = f"http://127.0.0.1:{restarted.gateway_port}/webhooks/zalo"
            again = httpx.post(url, content=raw, headers=headers, timeout=30)
            assert again.json() == {"received": True, "duplicate": True}
        finally:
            second.stop()
        [(done_at, payload)] = stored(database_url)
        assert done_at is not None and payload is None  # done, and the text forgotten
    assert rasa.texts() == [text, text]  # the cut-short turn and the retry


def test_two_gateway_processes_on_one_postgresql_database_answer_each_event_once(
    tmp_path: Path,
) -> None:
    users = [f"84020173{index:08d}" for index in range(10)]
    now_ms = int(time.time() * 1000)
    events = [
        text_event(f"câu hỏi {number} của {user}", user=user, at_ms=now_ms + number)
        for number in range(3)
        for user in users
    ]
    with (
        temporary_database("zalo_two_gateways") as database_url,
        running_server(create_simulator(simulator_config())) as simulator_url,
        running_rasa() as (rasa, rasa_url),
    ):
        upgrade_to_head(database_url)
        for user in users:  # each user wrote just now, as far as Zalo knows
            httpx.put(
                f"{simulator_url}/_sim/users/{user}/last-interaction", json={"hours_ago": 0}
            ).raise_for_status()
        both = [gateway_settings(database_url, simulator_url, rasa_url) for _ in range(2)]
        gateways = [
            start_gateway(settings, tmp_path / f"gateway-{n}.log")
            for n, settings in enumerate(both)
        ]
        try:
            # Every event reaches both replicas (Zalo retrying, a balancer's replay).
            calls = [(settings, signed(event)) for event in events for settings in both]

            def post(call: tuple[Settings, tuple[bytes, dict[str, str]]]) -> int:
                settings, (raw, headers) = call
                url = f"http://127.0.0.1:{settings.gateway_port}/webhooks/zalo"
                return httpx.post(url, content=raw, headers=headers, timeout=30).status_code

            with ThreadPoolExecutor(max_workers=20) as pool:
                codes = list(pool.map(post, calls))
            assert codes == [200] * len(calls)
            total = lambda: sum(len(sent_to(simulator_url, user)) for user in users)  # noqa: E731
            wait_for(lambda: total() >= len(events), "every event answered", 180)
            time.sleep(3 * LEASE_SECONDS)  # any second taker would have answered by now
            assert total() == len(events)
            for user in users:  # each of a user's events answered once (two replicas may
                # take one user's events in either order: not asserted)
                asked = [f"Bạn đã hỏi: câu hỏi {number} của {user}" for number in range(3)]
                assert sorted(sent_to(simulator_url, user)) == asked
        finally:
            for gateway in gateways:
                gateway.stop()
        rows = stored(database_url)
        assert len(rows) == len(events)
        assert all(done_at is not None and payload is None for done_at, payload in rows)
    assert sorted(rasa.texts()) == sorted(event["message"]["text"] for event in events)
