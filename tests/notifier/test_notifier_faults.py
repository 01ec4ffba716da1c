"""Fault injection on PostgreSQL with real processes: provider 5xx, 429 and timeouts,
SIGKILL of the watcher and of a sender at random points, and database restarts (every
connection dropped, new ones refused for a few seconds), asserted against the Twilio
simulator's record of accepted messages.

Every run moves fresh dossiers through the one-stop simulator while a watcher and two
senders (real `python -m notifier` subprocesses) work, kills one to three of them at
random moments and restarts them, waits until the notifier has settled, and checks: each
transition produced exactly one accepted SMS to its dossier's phone, in order, and
nothing went to a number that had opted out. Randomness is seeded per run, and the
assertions do not depend on timing.
"""

from __future__ import annotations

import os
import random
import signal
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pg_admin import refusing_connections, temporary_database
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from db import make_engine, upgrade_to_head
from notifier.models import OptOut, OutboxMessage
from testing.notifier_stack import NotifierStack
from vntext import fold
from wording.status import STATUS_WORDING

pytestmark = pytest.mark.postgres

RUNS = 20
DOSSIERS_PER_RUN = 6
PATH = ("waiting", "processing", "releasing", "done")
# Provider behaviour per run, in turn: clean, 5xx, slow answers (client timeouts after
# the provider accepted), 429 with Retry-After, and everything at once.
PROFILES: list[dict[str, float]] = [
    {},
    {"error_rate": 0.2},
    {"hang_rate": 0.15, "hang_seconds": 1.0},
    {"rate_limit": 30.0, "rate_burst": 3.0},
    {"error_rate": 0.1, "hang_rate": 0.05, "hang_seconds": 1.0},
]
NO_FAULTS = {"error_rate": 0.0, "hang_rate": 0.0, "rate_limit": 0.0, "rate_burst": 0.0}
LABELS = sorted(
    ((fold(w.label, lower=False), status) for status, w in STATUS_WORDING.items()),
    key=lambda pair: -len(pair[0]),
)


def announced(body: str) -> tuple[str, str]:
    """The dossier code and the status an SMS body announces."""
    code, rest = body.removeprefix("Ho so ").split(" ", 1)
    return code, next(status for label, status in LABELS if rest.startswith(label + "."))


@pytest.fixture(scope="module")
def fault_db() -> Iterator[str]:
    with temporary_database(f"notifier_faults_{uuid.uuid4().hex[:10]}") as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="module")
def stack(fault_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotifierStack]:
    env = {
        "NOTIFY_SMS_RATE": "0",
        "NOTIFY_SURVEY_ENABLED": "false",
        "NOTIFY_LEASE_SECONDS": "2.5",
        "NOTIFY_PROVIDER_TIMEOUT_SECONDS": "0.4",
        "NOTIFY_POLL_SECONDS": "0.05",
        "NOTIFY_BATCH_SIZE": "10",
        "NOTIFY_SEND_CONCURRENCY": "8",
        "NOTIFY_RETRY_BASE_SECONDS": "0.1",
        "NOTIFY_RETRY_MAX_SECONDS": "1",
    }
    workdir: Path = tmp_path_factory.mktemp("notifier-stack")
    stack = NotifierStack(
        database_url=fault_db, workdir=workdir, onestop_count=3000, notifier_env=env
    )
    try:
        stack.start_simulators()
        stack.start_notifier("watcher")
        stack.start_notifier("sender", "sender1")
        stack.start_notifier("sender", "sender2")
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="module")
def fault_engine(fault_db: str) -> Iterator[Engine]:
    engine = make_engine(fault_db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pool(stack: NotifierStack) -> list[dict[str, object]]:
    dossiers = stack.dossiers("processing", 500)
    assert len(dossiers) >= RUNS * DOSSIERS_PER_RUN, "the simulator has too few dossiers"
    return dossiers


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_and_provider_faults_lose_and_duplicate_nothing(
    run: int, stack: NotifierStack, fault_engine: Engine, pool: list[dict[str, object]]
) -> None:
    rng = random.Random(run)
    stack.twilio_config(**(NO_FAULTS | PROFILES[run % len(PROFILES)]), seed=1000 + run)
    chosen = pool[run * DOSSIERS_PER_RUN : (run + 1) * DOSSIERS_PER_RUN]
    phone_of = {str(d["MaHoSo"]): str(d["SoDienThoai"]) for d in chosen}
    opted_out = {phone_of[str(chosen[0]["MaHoSo"])]}
    with fault_engine.begin() as connection:
        for phone in opted_out:
            connection.execute(
                OptOut.__table__.insert().values(
                    phone=phone, opted_out=True, keyword="STOP", updated_at=datetime.now(UTC)
                )
            )
    # Each dossier walks PATH in order; dossiers interleave at random.
    steps = [code for code in phone_of for _ in PATH]
    rng.shuffle(steps)
    kills = sorted(rng.uniform(0, 1.5) for _ in range(rng.randint(1, 3)))
    victims = [rng.choice(["watcher", "sender1", "sender2"]) for _ in kills]
    done: dict[str, int] = dict.fromkeys(phone_of, 0)
    transitions: list[tuple[str, str]] = []
    started = time.monotonic()
    for code in steps:
        status = PATH[done[code]]
        stack.transition(code, status)
        transitions.append((code, status))
        done[code] += 1
        while kills and time.monotonic() - started >= kills[0]:
            kills.pop(0)
            process = stack.processes[victims.pop(0)]
            process.kill(signal.SIGKILL)
            process.start()
        time.sleep(rng.uniform(0, 0.06))
    for delay, victim in zip(kills, victims, strict=True):
        time.sleep(max(0.0, delay - (time.monotonic() - started)))
        stack.processes[victim].kill(signal.SIGKILL)
        stack.processes[victim].start()

    stack.wait_settled(fault_engine, timeout=90)

    accepted = [m for m in stack.accepted_messages() if m["to"] in phone_of.values()]
    assert not [m for m in accepted if m["to"] in opted_out], "SMS sent to an opted-out number"
    for phone in set(phone_of.values()) - opted_out:
        expected = [(c, status) for c, status in transitions if phone_of[c] == phone]
        got = [announced(m["body"]) for m in accepted if m["to"] == phone]
        assert got == expected, f"{phone}: expected {expected}, accepted {got}"
    with fault_engine.connect() as connection:
        failed = connection.scalars(
            select(OutboxMessage.error_message).where(OutboxMessage.state == "failed")
        ).all()
    assert failed == []
    if os.environ.get("NOTIFIER_FAULTS_VERBOSE"):
        with fault_engine.connect() as connection:
            retried = connection.scalar(text("SELECT sum(attempts - 1) FROM notifier_outbox"))
        print(f"run {run}: {len(accepted)} accepted, retries so far {retried}")


@pytest.mark.parametrize("run", range(2))
def test_database_restart_loses_and_duplicates_nothing(
    run: int,
    fault_db: str,
    stack: NotifierStack,
    fault_engine: Engine,
    pool: list[dict[str, object]],
) -> None:
    rng = random.Random(500 + run)
    stack.twilio_config(**NO_FAULTS, seed=500 + run)
    first = (RUNS + run) * DOSSIERS_PER_RUN
    chosen = pool[first : first + DOSSIERS_PER_RUN]
    phone_of = {str(d["MaHoSo"]): str(d["SoDienThoai"]) for d in chosen}
    steps = [code for code in phone_of for _ in PATH]
    rng.shuffle(steps)
    outage_after = rng.randint(3, len(steps) - 3)
    name = make_url(fault_db).database
    assert name is not None
    done: dict[str, int] = dict.fromkeys(phone_of, 0)
    transitions: list[tuple[str, str]] = []
    for index, code in enumerate(steps):
        status = PATH[done[code]]
        stack.transition(code, status)
        transitions.append((code, status))
        done[code] += 1
        if index == outage_after:
            # A database restart as the notifier sees it, for 1-3 s.
            with refusing_connections(name):
                time.sleep(rng.uniform(1.0, 3.0))
        time.sleep(rng.uniform(0, 0.05))

    stack.wait_settled(fault_engine, timeout=90)

    accepted = [m for m in stack.accepted_messages() if m["to"] in phone_of.values()]
    for phone in set(phone_of.values()):
        expected = [(c, status) for c, status in transitions if phone_of[c] == phone]
        got = [announced(m["body"]) for m in accepted if m["to"] == phone]
        assert got == expected, f"{phone}: expected {expected}, accepted {got}"
    for name_of_process in ("watcher", "sender1", "sender2"):
        assert stack.processes[name_of_process].alive, f"{name_of_process} died with the database"
