"""Closed-loop HTTP load: N concurrent senders, each its own conversation."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

__all__ = ["LoadResult", "run_load", "percentile", "conversation_latencies"]

BodyFor = Callable[[str, str], dict[str, object]]


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    wall_seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds if self.wall_seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[max(0, min(98, int(q) - 1))]


async def run_load(
    url: str,
    messages: Sequence[str],
    *,
    senders: int,
    per_sender: int,
    body_for: BodyFor,
    sender_prefix: str = "bench",
    warmup: int = 3,
) -> LoadResult:
    """Each sender posts `per_sender` messages one after another; all senders at once."""
    result = LoadResult()
    limits = httpx.Limits(max_connections=senders + 4, max_keepalive_connections=senders + 4)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        for i in range(warmup):
            await client.post(url, json=body_for(f"{sender_prefix}-warm-{i}", messages[i]))

        async def sender(index: int) -> None:
            sender_id = f"{sender_prefix}-{index}-{time.monotonic_ns()}"
            for n in range(per_sender):
                text = messages[(index * 7 + n) % len(messages)]
                start = time.perf_counter()
                try:
                    response = await client.post(url, json=body_for(sender_id, text))
                    response.raise_for_status()
                except httpx.HTTPError:
                    result.errors += 1
                    continue
                result.latencies_ms.append((time.perf_counter() - start) * 1000)

        start = time.perf_counter()
        await asyncio.gather(*(sender(i) for i in range(senders)))
        result.wall_seconds = time.perf_counter() - start
    return result


async def conversation_latencies(
    url: str, messages: Sequence[str], *, length: int, body_for: BodyFor, sender: str
) -> list[float]:
    """Latency of each message of one long conversation, in order (ms)."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=60.0) as client:
        for n in range(length):
            start = time.perf_counter()
            response = await client.post(url, json=body_for(sender, messages[n % len(messages)]))
            response.raise_for_status()
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies
