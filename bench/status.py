"""Issue 3's figures: dossier lookups through `/api/chat` against the one-stop simulator.

Three runs on the bench's shared stack (its simulator is switched by `POST /_sim/faults`
and always switched back, and the action server's circuit breaker is left closed):

1. 50 ms of simulator latency, a Zipf-distributed workload sent by one sender, then by
   eight at once (service time, then time under load): p50/p99 for cold and cached
   codes, and the cache hit ratio (simulator calls per lookup).
2. 20% of simulator calls failing, codes never asked before (so every lookup calls the
   simulator): the share answered with a status or an apology, and with a status.
3. The simulator hanging: the time to the apology.

A lookup counts as "cached" when the same code was answered less than the client's cache
TTL ago (the action server's cache is out of sight; the hit ratio measured at the
simulator checks that estimate).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

import httpx

from bench.context import BenchContext
from bench.load import percentile
from bench.onestop import Simulator, loopback
from bench.status_workload import FULL, QUICK, Lookup, Workload, ZipfStream, zipf_workload
from bench.table import Row

__all__ = ["AREA", "TIMEOUT_SECONDS", "Lookup", "Workload", "run", "zipf_workload"]

AREA = "status"
TIMEOUT_SECONDS = 300.0
P99_GOAL_MS = 250.0
APOLOGY_GOAL_SECONDS = 3.0
# The unavailable apology, not the fallback's "Xin lỗi, tôi chưa hiểu".
APOLOGY = re.compile(r"xin lỗi.*hệ thống một cửa.*thử lại", re.IGNORECASE | re.DOTALL)
# How citizens ask; a lookup answered without a status is counted (a misrouted message).
TEMPLATES = ("tra cứu hồ sơ {code}", "hồ sơ {code} đến đâu rồi", "{code}")

log = logging.getLogger("bench.status")


class _Chat:
    """Lookups through `/api/chat`; each sender starts a new conversation every 10 turns."""

    def __init__(self, http: httpx.AsyncClient, run: str) -> None:
        self.http = http
        self.run = run
        self.sent: Counter[int] = Counter()

    async def lookup(self, sender: int, code: str) -> Lookup:
        turn = self.sent[sender]
        self.sent[sender] += 1
        message = TEMPLATES[turn % len(TEMPLATES)].format(code=code)
        conversation = f"bench-status-{self.run}-{sender}-{turn // 10}"
        start = time.perf_counter()
        response = await self.http.post(
            "/api/chat", json={"sender": conversation, "message": message}
        )
        seconds = time.perf_counter() - start
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        text = "\n".join(reply["text"] for reply in body["replies"])
        return Lookup(code, seconds, body.get("dossier_status"), bool(APOLOGY.search(text)))


async def _each(chat: _Chat, codes: Sequence[str], senders: int) -> list[Lookup]:
    """Look up each code once, `senders` at a time."""
    queue = iter(codes)
    done: list[Lookup] = []

    async def sender(index: int) -> None:
        for code in queue:
            done.append(await chat.lookup(index, code))

    await asyncio.gather(*(sender(i) for i in range(senders)))
    return done


def _ms(lookups: Sequence[Lookup], q: float) -> float:
    return percentile([lookup.seconds * 1000 for lookup in lookups], q)


def _latency_row(label: str, lookups: Sequence[Lookup]) -> Row:
    if not lookups:
        return Row(AREA, label, "no lookups", f"p99 ≤ {P99_GOAL_MS:.0f} ms", False)
    p99 = _ms(lookups, 99)
    value = f"p50 {_ms(lookups, 50):.0f} ms, p99 {p99:.0f} ms (n={len(lookups)})"
    return Row(AREA, label, value, f"p99 ≤ {P99_GOAL_MS:.0f} ms", p99 <= P99_GOAL_MS)


async def _latency_rows(chat: _Chat, sim: Simulator, work: Workload, codes: list[str]) -> list[Row]:
    await sim.faults(latency_ms=50)
    calls_before = await sim.calls()
    stream = ZipfStream(codes, work)
    rows: list[Row] = []
    lookups: list[Lookup] = []
    for senders, seconds in work.phases:
        started = time.perf_counter()
        phase = await stream.phase(chat.lookup, senders, seconds)
        rate = len(phase) / (time.perf_counter() - started)
        lookups += phase
        where = f"{senders} sender{'s' if senders > 1 else ''}, {rate:.1f} lookups/s"
        for kind, cached in (("cold", False), ("cached", True)):
            chosen = [lookup for lookup in phase if lookup.cached is cached]
            rows.append(_latency_row(f"lookup via /api/chat, {kind} codes ({where})", chosen))
    calls = await sim.calls() - calls_before
    answered = sum(lookup.status is not None for lookup in lookups)
    estimate = sum(lookup.cached for lookup in lookups) / max(1, len(lookups))
    hit_ratio = 1 - calls / len(lookups) if lookups else float("nan")
    workload = f"sim latency 50 ms, Zipf s={work.zipf_s} over {work.codes:,} codes"
    return [
        Row(AREA, "latency runs below", workload),
        *rows,
        Row(
            AREA,
            "cache hit ratio (1 - simulator calls / lookups, both runs)",
            f"{hit_ratio:.1%} ({calls} calls for {len(lookups)} lookups; TTL model {estimate:.1%})",
        ),
        Row(
            AREA,
            "lookups answered with a status (latency runs)",
            f"{answered}/{len(lookups)}",
            "all",
            answered == len(lookups),
        ),
    ]


async def _failing_rows(chat: _Chat, sim: Simulator, work: Workload, codes: list[str]) -> list[Row]:
    # Codes the latency run never asked about: every lookup reaches the simulator.
    await sim.faults(latency_ms=50, error_rate=0.2, seed=7)
    lookups = await _each(chat, codes, work.senders)
    with_status = sum(lookup.status is not None for lookup in lookups)
    answered = sum(lookup.status is not None or lookup.apology for lookup in lookups)
    total = max(1, len(lookups))
    label = f"20% of simulator calls failing (n={len(lookups)} cold lookups)"
    return [
        Row(
            AREA,
            f"{label}: answered with a status or an apology",
            f"{answered / total:.1%}",
            "100%",
            answered == len(lookups),
        ),
        Row(
            AREA,
            f"{label}: answered with a status",
            f"{with_status / total:.1%}",
            "≥ 99%",
            with_status / total >= 0.99,
        ),
    ]


async def _hanging_rows(chat: _Chat, sim: Simulator, codes: list[str]) -> list[Row]:
    await sim.faults(hang_rate=1.0, hang_ms=30_000)
    # One after another: the breaker opens after a few, and later answers come at once.
    lookups = await _each(chat, codes, senders=1)
    apologies = [lookup for lookup in lookups if lookup.apology and lookup.status is None]
    worst = max((lookup.seconds for lookup in lookups), default=float("nan"))
    waited = [lookup for lookup in lookups if lookup.seconds >= 1.0]
    at_once = [lookup for lookup in lookups if lookup.seconds < 1.0]
    fastest = max((lookup.seconds * 1000 for lookup in at_once), default=float("nan"))
    breaker = f"{len(at_once)} answered by the open breaker, max {fastest:.0f} ms"
    return [
        Row(
            AREA,
            f"simulator hanging: time to the apology (n={len(lookups)}, one after another)",
            f"max {worst:.2f} s ({len(waited)} waited for the deadline; {breaker})",
            f"≤ {APOLOGY_GOAL_SECONDS:.0f} s",
            worst <= APOLOGY_GOAL_SECONDS,
        ),
        Row(
            AREA,
            "simulator hanging: answered with an apology",
            f"{len(apologies)}/{len(lookups)}",
            "all",
            len(apologies) == len(lookups),
        ),
    ]


async def _recover(chat: _Chat, sim: Simulator, probe: str, within: float = 40.0) -> None:
    """Faults off, then wait until a lookup gets a status (the breaker has closed)."""
    await sim.faults()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if (await chat.lookup(999, probe)).status is not None:
            return
        await asyncio.sleep(1.0)
    log.error("dossier lookups did not recover within %.0f s after the faults", within)


async def run(context: BenchContext) -> list[Row]:
    """The status area's rows."""
    work = QUICK if context.quick else FULL
    stack = await context.assistant_stack()
    sim_url = loopback(stack.settings.onestop_base_url)
    gateway_url = loopback(stack.gateway_url)
    limits = httpx.Limits(max_connections=work.senders + 4)
    async with (
        httpx.AsyncClient(base_url=sim_url, timeout=10.0) as sim_http,
        httpx.AsyncClient(base_url=gateway_url, timeout=30.0, limits=limits) as chat_http,
    ):
        sim = Simulator(sim_http)
        chat = _Chat(chat_http, run=str(time.monotonic_ns()))
        await sim.faults()
        # Every code up front: once faults are on, listing them could fail too.
        codes = await sim.codes(work.codes + work.failing_lookups + work.hanging_lookups + 1)
        zipf_codes, rest = codes[: work.codes], codes[work.codes :]
        failing, hanging = rest[: work.failing_lookups], rest[work.failing_lookups : -1]
        probe = codes[-1]
        rows: list[Row] = []
        runs = [
            ("latency run", partial(_latency_rows, chat, sim, work, zipf_codes)),
            ("failing run", partial(_failing_rows, chat, sim, work, failing)),
            ("hanging run", partial(_hanging_rows, chat, sim, hanging)),
        ]
        try:
            for label, section in runs:
                try:
                    rows += await section()
                except (httpx.HTTPError, RuntimeError) as error:
                    log.error("status bench: the %s failed: %r", label, error)
                    rows.append(Row(AREA, f"ERROR in the {label}", repr(error)[:200], ok=False))
        finally:
            await _recover(chat, sim, probe)
    return rows
