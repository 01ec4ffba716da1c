"""The notifier's /metrics: sends by channel and outcome, outbox depth and age, quiet-hours
holds, in the Prometheus text format, from the dispatcher loop and from the real process."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from notifier_fakes import FakeFeed, FakeSender, notifier_config
from sqlalchemy.orm import Session, sessionmaker

from launcher.process import ManagedProcess
from metrics import serve_http
from notifier.dispatcher import Dispatcher
from notifier.exceptions import TransientSendError
from notifier.metrics import OutboxGauges
from notifier.watcher import Watcher
from settings import REPO_ROOT
from testing.clock import FakeClock
from testing.metrics_text import Samples, grew, samples, value
from testing.ports import free_ports

CODE_A = "000.00.06.H56-231027-0361"
CODE_B = "000.17.22.H56-210531-0001"
PHONE_B = "0912345678"


@pytest.fixture(scope="module")
def metrics_url() -> Iterator[str]:
    """This process's /metrics, served as the notifier serves it."""
    port, stop = serve_http("127.0.0.1", 0)
    yield f"http://127.0.0.1:{port}/metrics"
    stop()


def scrape(url: str) -> tuple[str, Samples]:
    response = httpx.get(url, timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text, samples(response.text)


async def test_quiet_night_then_morning(sessions: sessionmaker[Session], metrics_url: str) -> None:
    night = FakeClock(datetime(2025, 3, 10, 15, 30, tzinfo=UTC))  # 22:30 in Hanoi
    cfg = notifier_config(quiet_hours="21:00-07:00", notify_urgent_statuses="denied")
    feed = FakeFeed()
    for status in ("new", "processing"):
        feed.add(CODE_A, status)
    feed.add(CODE_B, "denied", phone=PHONE_B)  # urgent: goes out at night
    await Watcher(sessions, feed, config=cfg, clock=night).run_once()
    sms = FakeSender(failures=[TransientSendError("busy")])
    dispatcher = Dispatcher(sessions, {"sms": sms}, config=cfg, clock=night)
    gauges = OutboxGauges(sessions, cfg, night)
    _, before = scrape(metrics_url)

    night.advance(90)
    await dispatcher.run_once()  # the urgent SMS: the provider is busy
    night.advance(1)
    await dispatcher.run_once()  # and now takes it
    gauges.refresh()
    text, after = scrape(metrics_url)

    sends = "notifier_sends_total"
    assert grew(before, after, sends, channel="sms", outcome="retry") == 1
    assert grew(before, after, sends, channel="sms", outcome="sent") == 1
    assert value(after, "notifier_quiet_hours_active") == 1
    assert value(after, "notifier_quiet_hours_held") == 2
    assert value(after, "notifier_outbox_open", channel="sms") == 2
    assert value(after, "notifier_outbox_oldest_open_age_seconds") == 91
    for personal in (CODE_A, CODE_B, PHONE_B[1:], "901234567"):
        assert personal not in text

    night.set(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))  # 07:00 in Hanoi
    await dispatcher.run_once()
    await dispatcher.run_once()  # the second row of one recipient follows the first
    gauges.refresh()
    _, morning = scrape(metrics_url)

    assert grew(after, morning, sends, channel="sms", outcome="sent") == 2
    assert value(morning, "notifier_quiet_hours_active") == 0
    assert value(morning, "notifier_quiet_hours_held") == 0
    assert value(morning, "notifier_outbox_open", channel="sms") == 0
    assert value(morning, "notifier_outbox_oldest_open_age_seconds") == 0


def test_the_notifier_process_serves_metrics_on_its_port(tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one database is enough to see the process serve")
    port = free_ports(1)[0]
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": database_url,
        "NOTIFIER_METRICS_PORT": str(port),
    }
    process = ManagedProcess(
        "notifier",
        [sys.executable, "-m", "notifier", "--role", "sender"],
        env=env,
        log_path=tmp_path / "notifier.log",
    )
    process.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                text, samples = scrape(f"http://127.0.0.1:{port}/metrics")
                break
            except httpx.TransportError:
                assert process.alive, process.log_tail()
                assert time.monotonic() < deadline, process.log_tail()
                time.sleep(0.2)
    finally:
        assert process.stop(grace=10), "the notifier did not stop on SIGTERM"
    assert "notifier_outbox_oldest_open_age_seconds" in text
    assert value(samples, "notifier_quiet_hours_held") == 0
