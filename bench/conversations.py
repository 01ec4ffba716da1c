"""Issue 9's memory figure: one Rasa process's RSS against the conversations it has seen.

Many distinct one-message conversations go straight to one Rasa process's `assistant`
channel (the gateway adds nothing per conversation that stays in Rasa), `concurrency`
at a time. The message is "/greet", the payload of a button: our channel reads such a
payload without the NLU pipeline (`rasa_ext.payloads`; Rasa 3.6 itself would run the
whole pipeline and then replace its guess), so a conversation costs ~3 ms of Rasa's CPU
instead of ~12 for a typed "xin chào", while Rasa still creates the conversation, runs
the policies and answers, and the tracker store keeps the same events as for a typed
greeting (session start, the user's turn, the answer). The RSS is read after the first
checkpoint's conversations (1,000) and at each later one; the run stops at the last
checkpoint or at its deadline, and the row says which count was reached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import psutil

from bench.perf import ASSISTANT_PATH

__all__ = [
    "MESSAGE",
    "MemoryPoint",
    "MemoryRun",
    "conversations_rss",
    "growth_row_value",
]

MESSAGE = "/greet"  # what a greeting button sends
SETTLE_SECONDS = 1.0  # after a checkpoint's last answer, before reading the RSS


@dataclass(frozen=True)
class MemoryPoint:
    conversations: int
    rss_bytes: int
    seconds: float  # since the run started

    @property
    def rss_mb(self) -> float:
        return self.rss_bytes / (1024 * 1024)


@dataclass
class MemoryRun:
    points: list[MemoryPoint] = field(default_factory=list)
    errors: int = 0
    deadline_hit: bool = False

    def ratio(self) -> float:
        """RSS at the last point over RSS at the first one."""
        if len(self.points) < 2 or not self.points[0].rss_bytes:
            return float("nan")
        return self.points[-1].rss_bytes / self.points[0].rss_bytes

    def kept_cost_kb(self, bound: int) -> float | None:
        """RSS added per conversation while the store was still under `bound` (KiB)."""
        below = [p for p in self.points[1:] if p.conversations <= bound]
        if not self.points or not below or below[-1].conversations <= self.points[0].conversations:
            return None
        first, last = self.points[0], below[-1]
        added = last.rss_bytes - first.rss_bytes
        return added / (last.conversations - first.conversations) / 1024


def rss_of(pid: int) -> int:
    """Resident bytes of the process `pid` (0 when it is gone)."""
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


async def conversations_rss(
    rasa_url: str,
    read_rss: Callable[[], int],
    checkpoints: Sequence[int],
    *,
    concurrency: int = 32,
    deadline_seconds: float = 600.0,
    prefix: str = "bench-rss",
    transport: httpx.AsyncBaseTransport | None = None,
    settle_seconds: float = SETTLE_SECONDS,
) -> MemoryRun:
    """Send one message each from distinct senders; read the RSS at every checkpoint."""
    run = MemoryRun()
    url = rasa_url.rstrip("/") + ASSISTANT_PATH
    started = time.monotonic()
    sent = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30.0, limits=limits, transport=transport) as http:

        async def sender(stop_at: int) -> None:
            nonlocal sent
            while sent < stop_at:
                sent += 1
                body = {"sender": f"{prefix}-{sent}", "message": MESSAGE}
                try:
                    (await http.post(url, json=body)).raise_for_status()
                except httpx.HTTPError:
                    run.errors += 1

        for checkpoint in sorted(checkpoints):
            remaining = deadline_seconds - (time.monotonic() - started)
            try:
                workers = (sender(checkpoint) for _ in range(concurrency))
                await asyncio.wait_for(asyncio.gather(*workers), timeout=max(remaining, 0.001))
            except TimeoutError:
                run.deadline_hit = True
            await asyncio.sleep(settle_seconds)
            done = min(sent, checkpoint)
            run.points.append(MemoryPoint(done, read_rss(), time.monotonic() - started))
            if run.deadline_hit:
                break
    return run


def growth_row_value(run: MemoryRun, wanted: int, bound: int, default_bound: int) -> str:
    """`812 MB after 1,000, 845 MB after 100,000 (1.04x); ...` saying what was reached."""
    if len(run.points) < 2:
        return "fewer than two readings"
    first, last = run.points[0], run.points[-1]
    rate = last.conversations / last.seconds if last.seconds else float("nan")
    middle = ", ".join(f"{p.rss_mb:.0f} MB at {p.conversations:,}" for p in run.points[1:-1])
    value = (
        f"{first.rss_mb:.0f} MB after {first.conversations:,}, "
        f"{last.rss_mb:.0f} MB after {last.conversations:,} ({run.ratio():.2f}x)"
        + (f" [{middle}]" if middle else "")
        + f"; {rate:.0f} conversations/s; tracker store bound {bound:,}"
        + (" (the default)" if bound == default_bound else f" (default {default_bound:,})")
    )
    cost = run.kept_cost_kb(bound)
    if cost is not None:
        value += f", RSS ≈ +{cost:.1f} KB per conversation below it"
    if last.conversations < wanted:
        value += f"; only {last.conversations:,} of {wanted:,} fit in the time allowed"
    if run.errors:
        value += f"; {run.errors} errors"
    return value
