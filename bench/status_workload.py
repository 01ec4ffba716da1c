"""What the status bench sends: run sizes, the Zipf stream of codes and the cache model."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from status_client.client import ClientPolicy

__all__ = ["FULL", "QUICK", "Cache", "Lookup", "Workload", "ZipfStream", "zipf_workload"]

CACHE_TTL = ClientPolicy().cache_ttl
CACHE_MARGIN = 2.0  # seconds: a lookup this close to the TTL is not counted as cached


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
class Cache:
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


LookupFn = Callable[[int, str], Awaitable[Lookup]]  # (sender index, code) -> what came back


class ZipfStream:
    """The Zipf workload, consumed by successive phases, and the cache model across them."""

    def __init__(self, codes: Sequence[str], work: Workload) -> None:
        self.codes = iter(zipf_workload(codes, work.zipf_s, work.lookups))
        self.cache = Cache()

    async def phase(self, lookup: LookupFn, senders: int, seconds: float) -> list[Lookup]:
        """Closed loop: `senders` at once, each taking the next code, for `seconds`."""
        done: list[Lookup] = []
        stop_at = time.monotonic() + seconds

        async def sender(index: int) -> None:
            while time.monotonic() < stop_at:
                code = next(self.codes, None)
                if code is None:
                    return
                cached = self.cache.expect_hit(code, time.monotonic())
                result = await lookup(index, code)
                if not cached and result.status is not None:
                    self.cache.fill(code, time.monotonic())
                done.append(replace(result, cached=cached))

        await asyncio.gather(*(sender(i) for i in range(senders)))
        return done
