"""Issue 4's figures: the notifier on PostgreSQL, with real processes and the simulators.

1. 10,000 transitions over 5,000 dossiers, unlimited provider rate: time from the first
   outbox row to the last accepted SMS, with 1 and with 4 sender processes.
2. A configured rate R = 100/s against a simulator that allows exactly R: achieved rate
   and the number of 429s (retries).
3. SIGKILL runs (watcher or a sender killed at random points): lost and duplicated SMS.
4. Inbound SMS webhook latency, p50/p99, 50 concurrent senders texting cached codes.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

import aiohttp
import httpx
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from bench.context import BenchContext
from bench.load import percentile
from bench.table import Row
from db import make_engine, upgrade_to_head
from launcher.process import ManagedProcess
from notifier.models import OutboxMessage
from testing.notifier_stack import AUTH_TOKEN, NotifierStack
from testing.ports import free_port

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "notifier"
TIMEOUT_SECONDS = 1500.0
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CYCLE = {"processing": "waiting", "waiting": "processing", "new": "processing",
         "paying": "processing"}  # fmt: skip
BASE_ENV = {"NOTIFY_SURVEY_ENABLED": "false", "NOTIFY_POLL_SECONDS": "0.05",
            "NOTIFY_BATCH_SIZE": "100", "NOTIFY_SEND_CONCURRENCY": "16",
            "NOTIFY_LEASE_SECONDS": "30", "NOTIFY_PROVIDER_TIMEOUT_SECONDS": "5"}  # fmt: skip
# Seconds sender processes get to import and connect before the watcher starts.
SENDER_WARMUP = 5.0


class Bench:
    """One PostgreSQL database, one set of simulators; notifier processes come and go."""

    def __init__(self, context: BenchContext, url: str, dossiers: int) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.stack = NotifierStack(
            database_url=url, workdir=context.workdir, onestop_count=dossiers * 14,
            notifier_env=BASE_ENV,
        )  # fmt: skip
        self.status: dict[str, str] = {}
        self.phone: dict[str, str] = {}

    def load_dossiers(self, wanted: int) -> None:
        for status in CYCLE:
            offset = 0
            while len(self.status) < wanted:
                page = self.stack.dossiers(status, 500, offset)
                if not page:
                    break
                for record in page[: wanted - len(self.status)]:
                    self.status[record["MaHoSo"]] = status
                    self.phone[record["MaHoSo"]] = record["SoDienThoai"]
                offset += 500

    async def transitions(self, codes: list[str], rounds: int) -> None:
        """Move every code `rounds` times, round by round (keeps each dossier's order)."""
        limit = asyncio.Semaphore(64)
        async with httpx.AsyncClient(base_url=self.stack.onestop_url, timeout=30) as http:

            async def move(code: str) -> None:
                async with limit:
                    target = CYCLE[self.status[code]]
                    url = f"/api/dossiers/{code}/transition"
                    (await http.post(url, json={"status": target})).raise_for_status()
                    self.status[code] = target

            for _ in range(rounds):
                await asyncio.gather(*map(move, codes))

    def notifiers(
        self, senders: int, env: dict[str, str], *, watcher_delay: float = 0.0
    ) -> list[ManagedProcess]:
        """Start `senders` sender processes, then (after `watcher_delay` s) the watcher."""
        self.stack.notifier_env = BASE_ENV | env
        processes = [
            self.stack.start_notifier("sender", f"sender-{uuid.uuid4().hex[:4]}")
            for _ in range(senders)
        ]
        time.sleep(watcher_delay)
        processes.append(self.stack.start_notifier("watcher", f"watcher-{uuid.uuid4().hex[:4]}"))
        return processes

    def since(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.max(OutboxMessage.id))) or 0)

    def span(self, after_id: int) -> tuple[int, float, int]:
        """Rows after `after_id`: count, seconds from first created to last sent, retries."""
        with self.engine.connect() as connection:
            count, first, last, retries = connection.execute(
                select(func.count(), func.min(OutboxMessage.created_at),
                       func.max(OutboxMessage.sent_at), func.sum(OutboxMessage.attempts - 1))
                .where(OutboxMessage.id > after_id)
            ).one()  # fmt: skip
        return count, (last - first).total_seconds(), int(retries or 0)

    def stop(self, processes: list[ManagedProcess]) -> None:
        for process in processes:
            process.stop()


async def throughput(bench: Bench, codes: list[str], senders: int) -> Row:
    """The transitions are made first, then the notifier drains them.

    Made while the notifier runs, the transitions would arrive only as fast as this
    bench can post them to the one-stop simulator, and that is what would be measured.
    Senders start first and get a moment to connect; the watcher starts last, and time
    counts from its first outbox row to the last SMS accepted.
    """
    before = bench.since()
    await bench.transitions(codes, 2)
    processes = bench.notifiers(senders, {"NOTIFY_SMS_RATE": "0"}, watcher_delay=SENDER_WARMUP)
    try:
        await asyncio.to_thread(bench.stack.wait_settled, bench.engine, 600)
    finally:
        bench.stop(processes)
    count, seconds, _ = bench.span(before)
    rate = count / seconds if seconds else float("nan")
    return Row(AREA, f"{count} SMS, {senders} sender(s): time / rate", f"{seconds:.1f} s, "
               f"{rate:.0f}/s", "≥ 1,000/s", rate >= 1000)  # fmt: skip


async def configured_rate(bench: Bench, codes: list[str], rate: float) -> list[Row]:
    bench.stack.twilio_config(rate_limit=rate, rate_burst=0)
    before = bench.since()
    processes = bench.notifiers(1, {"NOTIFY_SMS_RATE": str(rate)})
    try:
        await bench.transitions(codes, 1)
        await asyncio.to_thread(bench.stack.wait_settled, bench.engine, 600)
    finally:
        bench.stop(processes)
        bench.stack.twilio_config(rate_limit=0, rate_burst=0)
    count, seconds, retries = bench.span(before)
    achieved = (count - 1) / seconds if seconds else float("nan")
    return [
        Row(AREA, f"achieved rate at R={rate:.0f}/s", f"{achieved:.1f}/s",
            f"≥ {0.95 * rate:.0f}/s", achieved >= 0.95 * rate),
        Row(AREA, f"429s at R={rate:.0f}/s", str(retries), "0", retries == 0),
    ]  # fmt: skip


async def sigkill_runs(bench: Bench, codes: list[str], runs: int) -> Row:
    lost = duplicated = 0
    rng = random.Random(4)
    env = {"NOTIFY_SMS_RATE": "0", "NOTIFY_LEASE_SECONDS": "3",
           "NOTIFY_PROVIDER_TIMEOUT_SECONDS": "0.5", "NOTIFY_RETRY_MAX_SECONDS": "1"}  # fmt: skip
    processes = bench.notifiers(2, env)
    try:
        for run in range(runs):
            chosen = codes[run * 20 : (run + 1) * 20]
            before = Counter(m["to"] for m in bench.stack.accepted_messages())
            moved = asyncio.create_task(bench.transitions(chosen, 3))
            for _ in range(rng.randint(1, 3)):
                await asyncio.sleep(rng.uniform(0, 0.5))
                victim = rng.choice(processes)
                victim.kill(signal.SIGKILL)
                victim.start()
            await moved
            await asyncio.to_thread(bench.stack.wait_settled, bench.engine, 120)
            sent = Counter(m["to"] for m in bench.stack.accepted_messages())
            for phone, wanted in Counter(bench.phone[c] for c in chosen).items():
                got = sent[phone] - before[phone]
                lost += max(0, 3 * wanted - got)
                duplicated += max(0, got - 3 * wanted)
    finally:
        bench.stop(processes)
    return Row(AREA, f"lost / duplicated over {runs} SIGKILL runs", f"{lost} / {duplicated}",
               "0 / 0", lost == 0 and duplicated == 0)  # fmt: skip


PUBLIC_BASE_URL = "https://motcua.example.gov.vn"


def _sms_gateway(bench: Bench) -> tuple[ManagedProcess, str]:
    """The gateway on a free port (no Rasa behind it), started; its SMS webhook's URL."""
    port = free_port()
    env = bench.stack.notifier_environment() | {
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL, "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "LOG_LEVEL": "WARNING", "LOOKUP_UNLIMITED_CLIENTS": "sms:*",
        # Each texter sends 40 texts as fast as it is answered: lift the per-sender limit.
        "CHANNEL_SENDER_RATE_PER_MINUTE": "0"}  # fmt: skip
    gateway = ManagedProcess("gateway", [sys.executable, "-m", "uvicorn", "bot.app:app", "--port",
                             str(port), "--log-level", "warning"], env=bench.stack._env(env),
                             log_path=bench.stack.workdir / "gateway.log")  # fmt: skip
    gateway.start()
    return gateway, f"http://127.0.0.1:{port}/webhooks/twilio/sms"


async def inbound_latency(bench: Bench, codes: list[str], senders: int, each: int) -> list[Row]:
    """Closed loop: `senders` texters at once, each sending its next text on the last reply.

    Requests are signed before the clock starts and sent with aiohttp over keep-alive
    connections: the client shares the machine's cores with the gateway and PostgreSQL,
    and every millisecond it spends is counted in the latencies it measures.
    """
    gateway, url = _sms_gateway(bench)
    validator = RequestValidator(AUTH_TOKEN)

    def signed(sender: int, code: str) -> tuple[str, dict[str, str]]:
        form = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": f"+8490{sender:07d}",
                "To": "+15005550006", "Body": code}  # fmt: skip
        signature = validator.compute_signature(PUBLIC_BASE_URL + "/webhooks/twilio/sms", form)
        return urlencode(form), {"X-Twilio-Signature": signature,
                                 "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip

    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=senders + 4)
    try:
        async with aiohttp.ClientSession(connector=connector) as http:

            async def text(body: str, headers: dict[str, str], record: bool) -> None:
                started = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as response:
                    await response.read()
                    response.raise_for_status()
                if record:
                    latencies.append((time.perf_counter() - started) * 1000)

            for _ in range(300):
                try:
                    async with http.get(url.replace("/webhooks/twilio/sms", "/")) as response:
                        if response.status < 500:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            # Warm the status cache (a cached code is what the figure is about).
            await asyncio.gather(*(text(*signed(0, code), False) for code in codes))
            plans = [[signed(sender, codes[(sender + n) % len(codes)]) for n in range(each)]
                     for sender in range(senders)]  # fmt: skip

            async def citizen(plan: list[tuple[str, dict[str, str]]]) -> None:
                for body, headers in plan:
                    await text(body, headers, True)

            await asyncio.gather(*map(citizen, plans))
    finally:
        gateway.stop()
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    name = f"inbound SMS webhook, {senders} concurrent, cached code"
    return [Row(AREA, f"{name}: p50", f"{p50:.0f} ms"),
            Row(AREA, f"{name}: p99", f"{p99:.0f} ms", "≤ 100 ms", p99 <= 100)]  # fmt: skip


async def run(context: BenchContext) -> list[Row]:
    """All of the notifier's figures, on a database created for the run and dropped after."""
    dossiers = 500 if context.quick else 5000
    name = f"bench_notifier_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    bench: Bench | None = None
    try:
        await asyncio.to_thread(upgrade_to_head, url)
        bench = Bench(context, url, dossiers)
        await asyncio.to_thread(bench.stack.start_simulators)
        bench.load_dossiers(dossiers)
        codes = list(bench.status)
        rows = [await throughput(bench, codes, 1), await throughput(bench, codes, 4)]
        rows += await configured_rate(bench, codes[: 300 if context.quick else 1500], 100.0)
        rows.append(await sigkill_runs(bench, codes[1500:], 5 if context.quick else 20))
        rows += await inbound_latency(bench, codes[:20], 50, 10 if context.quick else 40)
        return rows
    finally:
        if bench is not None:
            bench.stack.close()
            bench.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
