"""Issue 12's figures row: the console's figures page on 10,000 one-stop dossiers.

The one-stop simulator runs as its own process with 10,000 dossiers; the gateway app
runs in this process over ASGI (no HTTP server: what is timed is the page itself) on a
migrated SQLite file holding a busy month of our own data (outbox rows, survey answers,
question counts). A viewer loads `/admin/figures?fresh=1` once (it waits while every
dossier is read) and then `/admin/figures` `LOADS` more times; the rows are p50/p99 of
their wall time and the p50 of their CPU time in this process (the simulator is apart).
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.load import percentile
from bench.table import Row
from bot.app import create_app
from console.roles import Role
from db import make_engine, make_session_factory, upgrade_to_head
from notifier.models import ChannelName, OutboxMessage, OutboxState, SurveyRequest
from office_figures.models import QuestionTally
from settings import Settings
from testing.console import logged_in
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa
from testing.processes import running_module

__all__ = ["DOSSIERS", "figures_rows"]

DOSSIERS = 10_000
LOADS = 20
GOAL_SECONDS = 1.0
OUTBOX_ROWS = 30_000
SURVEYS = 3_000


def _fill(url: str, now: datetime) -> None:
    """A busy month of our own data: outbox rows, survey answers, question counts."""
    rng = random.Random(12)
    engine = make_engine(url)
    channels = list(ChannelName)
    states = [OutboxState.SENT] * 18 + [OutboxState.FAILED, OutboxState.PENDING]
    serial = itertools.count()
    with make_session_factory(engine).begin() as session:
        for _ in range(OUTBOX_ROWS):
            n, at = next(serial), now - timedelta(minutes=rng.randrange(45 * 24 * 60))
            channel = rng.choice(channels)
            session.add(
                OutboxMessage(
                    idempotency_key=f"bench-{n}", channel=channel, address=f"+849{n:08d}",
                    recipient_key=f"{channel}:+849{n:08d}", body="Hồ sơ đã có kết quả",
                    state=rng.choice(states), available_at=at, created_at=at,
                )
            )  # fmt: skip
        for n in range(SURVEYS):
            asked = now - timedelta(hours=rng.randrange(45 * 24))
            rating = rng.choice((None, 3, 4, 4, 5, 5, 5, 2, 1))
            session.add(
                SurveyRequest(
                    dossier_code=f"BENCH-{n}", channel=ChannelName.SMS, address="", asked_at=asked,
                    rating=rating, answered_at=asked + timedelta(hours=1) if rating else None,
                )
            )  # fmt: skip
        for day in range(45):
            for name in ("webchat", "sms", "telegram", "zalo"):
                questions = rng.randrange(50, 900)
                session.add(
                    QuestionTally(
                        day=(now - timedelta(days=day)).date(), channel=name,
                        questions=questions, fallbacks=questions // rng.randrange(5, 15),
                        failures=rng.randrange(3),
                    )
                )  # fmt: skip
    engine.dispose()


async def _page_times(settings: Settings, loads: int) -> tuple[float, list[float], list[float]]:
    """The first load's wall time; then each load's wall time and CPU time (this process)."""
    app = create_app(settings, transport=httpx.MockTransport(FakeRasa()))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://gateway.bench", timeout=120
        ) as http,
    ):
        await logged_in(http, Role.VIEWER)
        started = time.perf_counter()
        (await http.get("/admin/figures", params={"fresh": "1"})).raise_for_status()
        first = time.perf_counter() - started
        times, cpu = [], []
        for _ in range(loads):
            started, cpu_started = time.perf_counter(), time.process_time()
            page = await http.get("/admin/figures")
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            page.raise_for_status()
            if "Chưa đọc được" in page.text:
                raise RuntimeError("the figures page could not read the one-stop simulator")
    return first, times, cpu


async def figures_rows(area: str, workdir: Path, *, quick: bool) -> list[Row]:
    """The figures page rows of `area`."""
    database = workdir / "figures.db"
    url = f"sqlite:///{database}"
    upgrade_to_head(url)
    _fill(url, datetime.now(UTC))
    with running_module("simulators.onestop", "--count", str(DOSSIERS)) as sim_url:
        settings = Settings(
            environment="test", database_url=url, onestop_base_url=sim_url,
            rasa_url=RASA_URL, action_server_url=ACTION_SERVER_URL,
        )  # fmt: skip
        first, times, cpu = await _page_times(settings, 5 if quick else LOADS)
    p50, p99 = percentile(times, 50), percentile(times, 99)
    return [
        Row(
            area,
            f"figures page time on {DOSSIERS:,} dossiers (p50 / p99 of {len(times)} loads)",
            f"{p50 * 1000:.0f} / {p99 * 1000:.0f} ms",
            f"<= {GOAL_SECONDS * 1000:.0f} ms",
            p99 <= GOAL_SECONDS,
        ),
        # CPU time is what the page costs whatever else the machine is doing.
        Row(area, "figures page CPU time per load (p50)", f"{percentile(cpu, 50) * 1000:.0f} ms"),
        Row(area, "figures page first load (reads every dossier)", f"{first:.1f} s"),
    ]
