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
import itertools
import logging
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.context import BenchContext
from bench.load import percentile
from bench.table import Row
from status_client.client import ClientPolicy

__all__ = ["AREA", "TIMEOUT_SECONDS", "Lookup", "Workload", "run", "zipf_workload"]

AREA = "status"
TIMEOUT_SECONDS = 300.0
P99_GOAL_MS = 250.0
APOLOGY_GOAL_SECONDS = 3.0
# The unavailable apology, not the fallback's "Xin lỗi, tôi chưa hiểu".
APOLOGY = re.compile(r"xin lỗi.*hệ thống một cửa.*thử lại", re.IGNORECASE | re.DOTALL)
# How citizens ask; a lookup answered without a status is counted (a misrouted message).
TEMPLATES = ("tra cứu hồ sơ {code}", "hồ sơ {code} đến đâu rồi", "{code}")
CACHE_TTL = ClientPolicy().cache_ttl
CACHE_MARGIN = 2.0  # seconds: a lookup this close to the TTL is not counted as cached

log = logging.getLogger("bench.status")


@dataclass(frozen=True)
class Workload:
    """How much each run sends."""

    codes: int  # distinct codes in the Zipf run
    zipf_s: float
    lookups: int  # the Zipf stream; each phase takes the next ones until its budget ends
    phases: tuple[tuple[int, float], ...]  # (senders at once, seconds), one after another
    failing_lookups: int
    hanging_lookups: int
    senders: int = 8  # in the failing run


FULL = Workload(2000, 1.1, 3000, ((1, 25.0), (8, 50.0)), 240, 8)
QUICK = Workload(200, 1.1, 150, ((1, 5.0), (4, 10.0)), 40, 6)


@dataclass(frozen=True)
class Lookup:
    """One message of a run and what came back."""

    code: str
    seconds: float
    status: str | None
    apology: bool
    cached: bool = False


@dataclass
class _Cache:
    """Our model of the action server's TTL cache: when each code was last filled."""

    filled_at: dict[str, float] = field(default_factory=dict)

    def expect_hit(self, code: str, now: float) -> bool:
        filled = self.filled_at.get(code)
        return filled is not None and now - filled < CACHE_TTL - CACHE_MARGIN

    def fill(self, code: str, now: float) -> None:
        self.filled_at[code] = now


def zipf_workload(codes: Sequence[str], s: float, count: int, seed: int = 3) -> list[str]:
    """`count` codes drawn with weight 1/rank**s, ranks assigned at random."""
    rng = random.Random(seed)
    ranked = list(codes)
    rng.shuffle(ranked)
    weights = list(itertools.accumulate(1.0 / rank**s for rank in range(1, len(ranked) + 1)))
    return rng.choices(ranked, cum_weights=weights, k=count)


class _Simulator:
    """The stack's one-stop simulator: its dossiers, request counts and fault switch."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def codes(self, count: int, offset: int = 0) -> list[str]:
        found: list[str] = []
        while len(found) < count:
            params = {"limit": min(500, count - len(found)), "offset": offset + len(found)}
            response = await self.http.get("/api/dossiers", params=params)
            response.raise_for_status()
            items = response.json()["items"]
            if not items:
                raise RuntimeError(f"the simulator has fewer than {offset + count} dossiers")
            found += [item["MaHoSo"] for item in items]
        return found

    async def calls(self) -> int:
        """`/api/*` requests the simulator has seen, whatever their outcome."""
        response = await self.http.get("/_sim/stats")
        response.raise_for_status()
        return sum(response.json()["requests"].values())

    async def faults(self, **settings: float) -> None:
        (await self.http.post("/_sim/faults", json=settings)).raise_for_status()


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


class _ZipfStream:
    """The Zipf workload, consumed by successive phases, and the cache model across them."""

    def __init__(self, codes: Sequence[str], work: Workload) -> None:
        self.codes = iter(zipf_workload(codes, work.zipf_s, work.lookups))
        self.cache = _Cache()

    async def phase(self, chat: _Chat, senders: int, seconds: float) -> list[Lookup]:
        """Closed loop: `senders` at once, each taking the next code, for `seconds`."""
        done: list[Lookup] = []
        stop_at = time.monotonic() + seconds

        async def sender(index: int) -> None:
            while time.monotonic() < stop_at:
                code = next(self.codes, None)
                if code is None:
                    return
                cached = self.cache.expect_hit(code, time.monotonic())
                result = await chat.lookup(index, code)
                if not cached and result.status is not None:
                    self.cache.fill(code, time.monotonic())
                done.append(replace(result, cached=cached))

        await asyncio.gather(*(sender(i) for i in range(senders)))
        return done


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


async def _latency_rows(
    chat: _Chat, sim: _Simulator, work: Workload, codes: list[str]
) -> list[Row]:
    await sim.faults(latency_ms=50)
    calls_before = await sim.calls()
    stream = _ZipfStream(codes, work)
    rows: list[Row] = []
    lookups: list[Lookup] = []
    for senders, seconds in work.phases:
        started = time.perf_counter()
        phase = await stream.phase(chat, senders, seconds)
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


async def _failing_rows(
    chat: _Chat, sim: _Simulator, work: Workload, codes: list[str]
) -> list[Row]:
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


async def _hanging_rows(chat: _Chat, sim: _Simulator, codes: list[str]) -> list[Row]:
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


async def _recover(chat: _Chat, sim: _Simulator, probe: str, within: float = 40.0) -> None:
    """Faults off, then wait until a lookup gets a status (the breaker has closed)."""
    await sim.faults()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if (await chat.lookup(999, probe)).status is not None:
            return
        await asyncio.sleep(1.0)
    log.error("dossier lookups did not recover within %.0f s after the faults", within)


def _loopback(url: str) -> str:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise RuntimeError(f"the status bench runs on loopback only, not {url}")
    return url


async def run(context: BenchContext) -> list[Row]:
    """The status area's rows."""
    work = QUICK if context.quick else FULL
    stack = await context.assistant_stack()
    sim_url = _loopback(stack.settings.onestop_base_url)
    gateway_url = _loopback(stack.gateway_url)
    limits = httpx.Limits(max_connections=work.senders + 4)
    async with (
        httpx.AsyncClient(base_url=sim_url, timeout=10.0) as sim_http,
        httpx.AsyncClient(base_url=gateway_url, timeout=30.0, limits=limits) as chat_http,
    ):
        sim = _Simulator(sim_http)
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
