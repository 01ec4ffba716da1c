"""The dossier snapshot: one read at a time, stale answers at once, failures keep the last."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import pytest

from office_figures.snapshot import STILL_READING, DossierSnapshot
from office_figures.table import Figure
from status_client.exceptions import OneStopUnavailable
from status_client.models import Dossier
from testing.clock import FakeClock
from testing.dossiers import a_dossier


class OneStopStandIn:
    """Hands out `count` dossiers per read, counting reads; can fail or be held."""

    def __init__(self) -> None:
        self.reads = 0
        self.count = 1
        self.fail = False
        self.gate = asyncio.Event()
        self.gate.set()
        self.clock = FakeClock()  # the snapshot's clock

    async def load(self) -> Sequence[Dossier]:
        self.reads += 1
        await self.gate.wait()
        if self.fail:
            raise OneStopUnavailable("down")
        return [a_dossier(code=f"C-{i}") for i in range(self.count)]


def derive(dossiers: Sequence[Dossier], now: datetime) -> list[Figure]:
    return [Figure("so-ho-so", "Số hồ sơ", ("n",), [(len(dossiers),)])]


@pytest.fixture
def source() -> OneStopStandIn:
    return OneStopStandIn()


@pytest.fixture
def snapshot(source: OneStopStandIn) -> DossierSnapshot:
    return DossierSnapshot(source.load, derive, ttl=60, clock=source.clock)


async def test_first_call_waits_then_answers_from_memory(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    first = await snapshot.get()
    assert first.dossiers == 1 and first.read_at is not None and first.figures[0].rows == [(1,)]
    assert (await snapshot.get()) is first
    assert source.reads == 1


async def test_a_stale_snapshot_is_served_while_one_read_refreshes_it(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    await snapshot.get()
    source.clock.advance(61)
    source.count, source.gate = 5, asyncio.Event()  # the next read hangs until let go
    stale = [await snapshot.get() for _ in range(3)]
    assert all(s.dossiers == 1 for s in stale)  # no waiting for the slow read
    await asyncio.sleep(0)
    assert source.reads == 2  # one read in the background, not three
    source.gate.set()
    for _ in range(10):
        await asyncio.sleep(0.01)
    assert (await snapshot.get()).dossiers == 5


async def test_concurrent_first_calls_share_one_read(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    results = await asyncio.gather(*(snapshot.get() for _ in range(5)))
    assert source.reads == 1 and len({id(result) for result in results}) == 1


async def test_fresh_waits_for_a_new_read(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    await snapshot.get()
    source.count = 3
    assert (await snapshot.get(fresh=True)).dossiers == 3


async def test_a_failed_read_keeps_the_last_figures_and_says_why(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    good = await snapshot.get()
    source.fail = True
    after = await snapshot.get(fresh=True)
    assert after.figures == good.figures and after.read_at == good.read_at
    assert "hệ thống một cửa" in after.problem


async def test_a_failed_first_read_gives_no_figures_but_a_reason(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    source.fail = True
    result = await snapshot.get()
    assert result.figures == [] and result.read_at is None and result.problem


async def test_a_slow_first_read_answers_still_reading_and_goes_on(
    snapshot: DossierSnapshot, source: OneStopStandIn
) -> None:
    source.gate.clear()
    early = await snapshot.get(wait=0.05)
    assert early.figures == [] and early.problem == STILL_READING
    source.gate.set()
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert (await snapshot.get(wait=0.05)).dossiers == 1
    assert source.reads == 1  # the read that was cut short was not started again
