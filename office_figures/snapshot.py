"""The one-stop system's dossiers, read at most once per `ttl` and kept between page loads.

Reading 10,000 dossiers takes the one-stop system seconds; the figures page must show in
under one. `DossierSnapshot.get` answers from memory. The first call starts a read and
waits for it (at most `wait` seconds: past that it answers "still reading" and the read
goes on). Later calls get what is held at once and, once it is older than `ttl`, start
one read in the background (never two at a time) whose result the following calls see.
`fresh=True` waits for a new read (the page's "Đọc lại" link). A read that fails keeps
the previous snapshot and says why in `problem`.

The figures drawn from the dossiers are computed once per read (`derive`), not per page.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from office_figures.table import Figure
from status_client.exceptions import OneStopError
from status_client.models import Dossier

__all__ = ["STILL_READING", "DossierSnapshot", "Snapshot"]

STILL_READING = (
    "Đang đọc hồ sơ từ hệ thống một cửa lần đầu; các số liệu về hồ sơ sẽ có khi tải lại"
    " trang sau ít giây."
)

log = logging.getLogger("office_figures.snapshot")

Load = Callable[[], Awaitable[Sequence[Dossier]]]
Derive = Callable[[Sequence[Dossier], datetime], list[Figure]]


@dataclass(frozen=True)
class Snapshot:
    """Figures drawn from one read of the dossiers."""

    figures: list[Figure]
    dossiers: int
    read_at: datetime | None  # None: no read has succeeded yet
    problem: str = ""  # why the latest read failed, if it did


class DossierSnapshot:
    """Stale-while-revalidate cache of the dossier figures."""

    def __init__(
        self,
        load: Load,
        derive: Derive,
        *,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._load, self._derive = load, derive
        self._ttl, self._clock, self._now = ttl, clock, now
        self._held: Snapshot | None = None
        self._read_started = 0.0
        self._reading: asyncio.Task[Snapshot] | None = None

    async def get(self, *, fresh: bool = False, wait: float | None = None) -> Snapshot:
        """The latest snapshot (see the module's docstring).

        With nothing held yet, waits at most `wait` seconds (None: as long as the read
        takes) for the first read; past that, answers "still reading" and the read goes on.
        """
        held = self._held
        if fresh:
            return await self._read()
        if held is None:
            try:
                return await asyncio.wait_for(self._read(), wait)
            except TimeoutError:
                return Snapshot(figures=[], dossiers=0, read_at=None, problem=STILL_READING)
        if self._clock() - self._read_started >= self._ttl and self._reading is None:
            self._start_read()
        return held

    def _start_read(self) -> asyncio.Task[Snapshot]:
        if self._reading is None:
            self._read_started = self._clock()
            self._reading = asyncio.create_task(self._read_once())
            self._reading.add_done_callback(self._finished)
        return self._reading

    def _finished(self, task: asyncio.Task[Snapshot]) -> None:
        self._reading = None
        if not task.cancelled() and task.exception() is not None:
            log.error("dossier figures not refreshed", exc_info=task.exception())

    async def _read(self) -> Snapshot:
        # Shielded: a clerk closing the page must not cancel the read others wait for.
        return await asyncio.shield(self._start_read())

    async def _read_once(self) -> Snapshot:
        started = time.perf_counter()
        try:
            dossiers = await self._load()
        except OneStopError as error:
            log.warning("one-stop dossiers not read for the figures: %s", error)
            previous = self._held
            self._held = Snapshot(
                figures=previous.figures if previous else [],
                dossiers=previous.dossiers if previous else 0,
                read_at=previous.read_at if previous else None,
                problem=f"Chưa đọc được dữ liệu từ hệ thống một cửa ({type(error).__name__}).",
            )
            return self._held
        read_at = self._now()
        figures = await asyncio.to_thread(self._derive, dossiers, read_at)
        self._held = Snapshot(figures=figures, dossiers=len(dossiers), read_at=read_at)
        log.info(
            "figures: read %d dossiers in %.2f s", len(dossiers), time.perf_counter() - started
        )
        return self._held
