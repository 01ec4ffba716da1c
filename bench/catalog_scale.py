"""Issue 10's catalog figures: the full import, resolution over 5,670 names, training time.

Each figure runs in a process or thread of its own, one after another, without a stack:
- the full import (`python -m catalog.cli migrate-and-import`, fresh SQLite database:
  schema, the national snapshot, the local layer), timed, with that process's peak RSS;
- the resolver built from that database (`catalog.queries.procedure_names`), its build
  time, and the wall time of each resolution over the held-out questions: a first pass
  (every word new to the resolver's caches) and warm passes; plus the resolver's own
  top-1 on each held-out file from the text alone (no Rasa entity: the chat rows of the
  assistant area give the figure through `/api/chat`);
- `rasa train` of the project's model into a scratch folder (skipped with --quick).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.context import BenchContext
from bench.load import percentile
from bench.nlu_accuracy import Expectation, load_expectations
from bench.table import Row
from catalog.queries import procedure_names_in
from catalog.resolve import ProcedureResolver
from launcher.model import rasa_env, train_command

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "catalog"
TIMEOUT_SECONDS = 30 * 60.0  # training alone takes 4-10 minutes on 2 cores
HELD_OUT = {
    "original": Path("tests/nlu/test_nlu.yml"),
    "national (new part)": Path("tests/nlu/test_nlu_national.yml"),
    "national (fresh set)": Path("tests/nlu/test_nlu_national_fresh.yml"),
}
RESOLUTION_GOAL_MS = 10.0
WARM_PASSES, QUICK_WARM_PASSES = 5, 1


def _row(metric: str, value: str, goal: str = "", ok: bool | None = None) -> Row:
    return Row(AREA, metric, value, goal, ok)


def _timed_child(command: Sequence[str], cwd: Path, log: Path) -> tuple[float, float, int]:
    """Run `command`; (wall seconds, peak RSS in MB of that process, exit status)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=rasa_env(), stdout=output, stderr=output)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def _import_rows(context: BenchContext, url: str) -> list[Row]:
    command = [sys.executable, "-m", "catalog.cli", "migrate-and-import", "--database-url", url]
    log = context.out_dir / "logs" / "catalog-import.log"
    elapsed, peak_mb, status = _timed_child(command, context.repo_root, log)
    if status != 0:
        return [_row("full import: ERROR", f"exit {status}, see {log}", ok=False)]
    return [
        _row(
            "full import (fresh SQLite: schema, 5,670 national, local layer)",
            f"{elapsed:.1f} s, peak RSS {peak_mb:.0f} MB",
        )
    ]


def _latencies(
    resolver: ProcedureResolver, texts: Sequence[str], passes: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each resolution (CPU time shows what contention hides)."""
    wall, cpu = [], []
    for _ in range(passes):
        for text in texts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            resolver.resolve(text)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def _top1(resolver: ProcedureResolver, expectations: Sequence[Expectation]) -> tuple[int, int]:
    checked = [e for e in expectations if e.check_procedure]
    right = 0
    for expectation in checked:
        best = resolver.resolve(expectation.text).best
        right += (best.code if best else None) == expectation.procedure_code
    return right, len(checked)


def _resolution_rows(context: BenchContext, url: str) -> list[Row]:
    names = procedure_names_in(url)
    started = time.perf_counter()
    # Nothing remembered: every pass scores each text (the per-word caches stay warm).
    resolver = ProcedureResolver(names, remember=0)
    built = time.perf_counter() - started
    held_out = {
        part: load_expectations(context.repo_root / path) for part, path in HELD_OUT.items()
    }
    texts = [e.text for expectations in held_out.values() for e in expectations]
    first = _latencies(resolver, texts, 1)
    warm = _latencies(resolver, texts, QUICK_WARM_PASSES if context.quick else WARM_PASSES)
    rows = [_row(f"resolver build over {len(names):,} names", f"{built:.2f} s")]
    for label, (wall, cpu) in (("first sight", first), ("warm", warm)):
        p99 = percentile(wall, 99)
        rows.append(
            _row(
                f"resolution over {len(names):,} names, {label} (held-out questions)",
                f"p50 {percentile(wall, 50):.2f} ms, p99 {p99:.2f} ms (n={len(wall)}); "
                f"CPU p50 {percentile(cpu, 50):.2f} ms, p99 {percentile(cpu, 99):.2f} ms",
                f"p99 <= {RESOLUTION_GOAL_MS:.0f} ms",
                ok=p99 <= RESOLUTION_GOAL_MS,
            )
        )
    for part, expectations in held_out.items():
        right, total = _top1(resolver, expectations)
        rows.append(
            _row(
                f"procedure top-1, resolver alone from the text, {part}",
                f"{right / total:.1%} ({right}/{total})" if total else "no examples",
            )
        )
    return rows


def _training_rows(context: BenchContext) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-train-") as scratch:
        command = train_command(scratch, "bench")
        log = context.out_dir / "logs" / "catalog-train.log"
        elapsed, peak_mb, status = _timed_child(command, context.repo_root, log)
    if status != 0:
        return [_row("model training: ERROR", f"exit {status}, see {log}", ok=False)]
    figure = f"{elapsed:.0f} s, peak RSS {peak_mb:.0f} MB"
    return [_row("model training (rasa train, config.yml)", figure)]


async def run(context: BenchContext) -> list[Row]:
    """Every issue-10 catalog figure that needs no running stack."""
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'catalog.db'}"
        rows = await asyncio.to_thread(_import_rows, context, url)
        if rows[0].ok is not False:
            rows += await asyncio.to_thread(_resolution_rows, context, url)
    if not context.quick:
        rows += await asyncio.to_thread(_training_rows, context)
    return rows
