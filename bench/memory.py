"""Peak resident memory of process trees, sampled in a background thread."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from types import TracebackType

import psutil

from bench.table import Row

__all__ = ["PeakRss", "memory_rows", "tree_rss"]

GATEWAY_GOAL_MB = 150


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and every process below it (0 when it is gone)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue  # a child that exited between listing and reading
    return total


class PeakRss:
    """`with PeakRss({"gateway": pid, ...}) as peak:` samples each tree every `interval` s.

    Peaks accumulate over every `with` block of the same object, so one sampler can
    cover several load runs.
    """

    def __init__(self, pids: Mapping[str, int | None], interval: float = 0.1) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.interval = interval
        self.peak_bytes: dict[str, int] = dict.fromkeys(self.pids, 0)
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        """Read every tree once and keep the maxima."""
        for name, pid in self.pids.items():
            self.peak_bytes[name] = max(self.peak_bytes[name], tree_rss(pid))
        self.samples += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        self.sample()

    def peak_mb(self, name: str) -> float:
        """The peak of `name`'s tree in MiB."""
        return self.peak_bytes.get(name, 0) / (1024 * 1024)


def memory_rows(area: str, sampler: PeakRss, rasa_names: Sequence[str]) -> list[Row]:
    """One peak-RSS row per process of our stack (the gateway's against its goal)."""
    if not sampler.samples:
        return [Row(area, "peak RSS: ERROR", "no samples taken", ok=False)]
    names = {"gateway": "gateway", "actions": "action server"}
    if len(rasa_names) == 1:
        names["rasa"] = "Rasa (ours)"
    else:
        names.update({name: f"Rasa (ours, process {name})" for name in rasa_names})
    rows = []
    for name, shown in names.items():
        peak = sampler.peak_mb(name)
        if name == "gateway":
            goal = f"<= {GATEWAY_GOAL_MB} MB"
            rows.append(
                Row(area, f"peak RSS {shown}", f"{peak:.0f} MB", goal, peak <= GATEWAY_GOAL_MB)
            )
        else:
            rows.append(Row(area, f"peak RSS {shown}", f"{peak:.0f} MB"))
    return rows
