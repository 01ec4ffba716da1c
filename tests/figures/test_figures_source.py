"""The figures' dossier reader: every dossier, read on a thread of its own."""

from __future__ import annotations

import asyncio
import threading

import pytest

from office_figures.source import one_stop_loader
from simulators.onestop import SimConfig, running_simulator
from status_client.exceptions import OneStopUnavailable


async def test_reads_every_dossier_off_the_event_loop() -> None:
    with running_simulator(SimConfig(seed=3, count=120)) as url:
        before = {thread.name for thread in threading.enumerate()}
        read = asyncio.ensure_future(one_stop_loader(url)())
        await asyncio.sleep(0.01)
        during = {thread.name for thread in threading.enumerate()} - before
        dossiers = await read
    assert "figures-dossier-read" in during
    assert len(dossiers) == 120 == len({d.code for d in dossiers})


async def test_a_system_that_does_not_answer_raises_our_error() -> None:
    with pytest.raises(OneStopUnavailable):
        await one_stop_loader("http://127.0.0.1:9")()
