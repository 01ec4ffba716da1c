"""`make bench`: run every area's benchmarks and print one table (also var/bench/results.md).

An area is a module `bench/<name>.py` with `AREA: str` and `async def run(context) ->
list[Row]` (optionally `TIMEOUT_SECONDS`). Areas run one after another, never at once,
so their load does not overlap; one that fails or overruns becomes an ERROR row.

    .venv/bin/python -m bench                    # every area
    .venv/bin/python -m bench --only assistant   # one area (repeatable)
    .venv/bin/python -m bench --quick            # few messages: a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import pkgutil
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

import bench
from bench.context import BenchContext, describe_machine
from bench.table import Row, render
from settings import REPO_ROOT

__all__ = ["Area", "discover_areas", "main", "run_areas"]

DEFAULT_OUT = REPO_ROOT / "var" / "bench"
DEFAULT_AREA_TIMEOUT = 25 * 60.0
# Areas listed here run first, in this order; any other area follows by name.
FIRST = ("assistant",)

log = logging.getLogger("bench")


@dataclass(frozen=True)
class Area:
    """One area's benchmarks."""

    name: str
    run: Callable[[BenchContext], Awaitable[list[Row]]]
    timeout: float = DEFAULT_AREA_TIMEOUT


def _area_of(module: ModuleType) -> Area | None:
    name, run = getattr(module, "AREA", None), getattr(module, "run", None)
    if not isinstance(name, str) or not callable(run):
        return None
    return Area(name, run, float(getattr(module, "TIMEOUT_SECONDS", DEFAULT_AREA_TIMEOUT)))


def discover_areas() -> tuple[list[Area], list[Row]]:
    """Every `bench/*.py` that is an area, in run order; a module that fails to import is a row."""
    areas, broken = [], []
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"bench.{info.name}")
        except Exception as exc:  # noqa: BLE001 - one broken module must not stop the rest
            log.error("bench.%s does not import:\n%s", info.name, traceback.format_exc())
            broken.append(Row(info.name, "ERROR: does not import", _short(exc), ok=False))
            continue
        area = _area_of(module)
        if area:
            areas.append(area)

    def order(area: Area) -> tuple[int, str]:
        return (FIRST.index(area.name) if area.name in FIRST else len(FIRST), area.name)

    return sorted(areas, key=order), broken


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ").replace("|", "/")
    return text[:200]


async def run_areas(areas: list[Area], context: BenchContext) -> list[Row]:
    """Run each area in turn; a failure or a timeout becomes one ERROR row for that area."""
    rows: list[Row] = []
    for area in areas:
        started = time.monotonic()
        print(f"bench: {area.name} ...", file=sys.stderr, flush=True)
        try:
            rows += await asyncio.wait_for(area.run(context), timeout=area.timeout)
        except TimeoutError:
            rows.append(
                Row(area.name, "ERROR", f"did not finish in {area.timeout:.0f} s", ok=False)
            )
        except Exception as exc:  # noqa: BLE001 - the table must still print
            log.error("area %s failed:\n%s", area.name, traceback.format_exc())
            rows.append(Row(area.name, "ERROR", _short(exc), ok=False))
        print(f"bench: {area.name} took {time.monotonic() - started:.0f} s", file=sys.stderr)
    return rows


def report(rows: list[Row], machine: str, wall_seconds: float) -> str:
    """The table and the line saying where and when it ran."""
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    # Other work on the machine skews latency; the load average at the end says how much.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{render(rows)}\n\n"
        f"Ran {stamp} on {machine}; at the end {load:.2f}; "
        f"bench wall time {wall_seconds / 60:.1f} min.\n"
    )


async def _main(args: argparse.Namespace) -> int:
    areas, broken = discover_areas()
    if args.list:
        print("\n".join(area.name for area in areas))
        return 0
    if args.only:
        unknown = set(args.only) - {area.name for area in areas}
        if unknown:
            print(f"unknown area(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        areas = [area for area in areas if area.name in args.only]
        broken = []
    machine = describe_machine()
    context = BenchContext(args.out, quick=args.quick)
    started = time.monotonic()
    try:
        rows = broken + await run_areas(areas, context)
    finally:
        await context.aclose()
    text = report(rows, machine, time.monotonic() - started)
    if args.quick:
        text += "Quick run (--quick): too few messages for figures to report.\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if any(row.ok is False and "ERROR" in row.metric for row in rows) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", metavar="AREA", help="run only this area")
    parser.add_argument("--quick", action="store_true", help="few messages (smoke run)")
    parser.add_argument("--list", action="store_true", help="list the areas and exit")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return asyncio.run(_main(args))


if __name__ == "__main__":
    sys.exit(main())
