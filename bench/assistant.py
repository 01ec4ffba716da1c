"""Issue 2's figures: NLU accuracy, throughput and latency against stock Rasa, growth, memory.

Order matters for fairness on a small machine: the stock model is trained (or found in
the cache) before anything is timed; our stack is measured first, then stock Rasa is
started and measured while ours sits idle; the two never share load.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.breakdown import breakdown_rows
from bench.context import BenchContext, RunningStack, free_ports
from bench.load import BodyFor, LoadResult, conversation_latencies, run_load
from bench.memory import PeakRss, memory_rows
from bench.nlu_accuracy import (
    FULL_GOAL_SPLITS,
    Expectation,
    chat_outcomes,
    error_report,
    load_expectations,
    score_splits,
)
from bench.perf import (
    CONVERSATION_TURNS,
    ConversationGrowth,
    chat_body,
    conversation_growth,
    load_summary,
    rotating_conversations,
)
from bench.stock import ensure_stock_model, stock_rasa
from bench.table import Row

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "assistant"
# Measuring takes ~10 min; training the stock model once (cached after) up to 40 more.
TIMEOUT_SECONDS = 50 * 60.0
TEST_FILE = Path("tests/nlu/test_nlu.yml")
NATIONAL_TEST_FILE = Path("tests/nlu/test_nlu_national.yml")
FRESH_TEST_FILE = Path("tests/nlu/test_nlu_national_fresh.yml")

log = logging.getLogger("bench.assistant")


@dataclass(frozen=True)
class Sizes:
    """How many messages each measurement sends."""

    warmup: int
    one_sender: int
    per_sender_16: int
    diagnosis: int
    conversation: int


FULL = Sizes(warmup=20, one_sender=150, per_sender_16=25, diagnosis=100, conversation=300)
QUICK = Sizes(warmup=3, one_sender=20, per_sender_16=3, diagnosis=10, conversation=30)


@dataclass
class Measured:
    """One server's figures, filled as the sections run."""

    one: LoadResult | None = None
    sixteen: LoadResult | None = None
    growth: ConversationGrowth | None = None


def _row(metric: str, value: str, goal: str = "", ok: bool | None = None) -> Row:
    return Row(AREA, metric, value, goal, ok)


async def _guarded(label: str, rows: list[Row], work: Awaitable[list[Row]]) -> None:
    """Add `work`'s rows, or one ERROR row naming `label` when it fails."""
    try:
        rows.extend(await work)
    except Exception as exc:  # noqa: BLE001 - one failed figure must not hide the others
        log.error("%s failed:\n%s", label, traceback.format_exc())
        rows.append(_row(f"{label}: ERROR", f"{type(exc).__name__}: {exc}"[:200], ok=False))


async def run(context: BenchContext) -> list[Row]:
    """Every issue-2 figure, as rows of the one table."""
    sizes = QUICK if context.quick else FULL
    expectations = (
        load_expectations(context.repo_root / TEST_FILE)
        + load_expectations(context.repo_root / NATIONAL_TEST_FILE, part="national")
        + load_expectations(context.repo_root / FRESH_TEST_FILE, part="fresh")
    )
    texts = [e.text for e in expectations]
    rows: list[Row] = []

    stock_model: Path | None = None
    stock_failure: BaseException | None = None
    try:  # before any timing: training takes both cores for minutes
        stock_model = await asyncio.to_thread(
            ensure_stock_model, context.out_dir / "logs" / "stock-train.log"
        )
    except Exception as exc:  # noqa: BLE001 - ours is still measured without it
        log.error("stock model:\n%s", traceback.format_exc())
        stock_failure = exc

    running = await context.assistant_stack()
    await _guarded("NLU accuracy", rows, _accuracy_rows(context, running, expectations))

    ours, stock = Measured(), Measured()
    pids = running.pids()
    sampler = PeakRss(
        {"gateway": pids.get("gateway"), "actions": pids.get("actions"), **running.rasa_pids()}
    )
    chat_url = running.gateway_url + "/api/chat"
    processes = running.rasa_processes
    ours_label = "ours /api/chat" + (f" ({processes} Rasa processes)" if processes > 1 else "")
    await _guarded("ours load", rows, _load_rows(ours_label, chat_url, texts, sizes, ours, sampler))
    breakdown = breakdown_rows(
        AREA, running, texts, expectations, sizes.diagnosis, sizes.per_sender_16, sampler
    )
    await _guarded("breakdown", rows, breakdown)
    await _guarded(
        "ours conversation",
        rows,
        _growth_rows(ours_label, chat_url, texts, sizes, ours, sampler),
    )
    rows += memory_rows(AREA, sampler, list(running.rasa_pids()))

    if stock_model is None:
        rows.append(
            _row(
                "stock Rasa: ERROR",
                f"{type(stock_failure).__name__}: {stock_failure}"[:200],
                ok=False,
            )
        )
    else:
        await _guarded(
            "stock Rasa", rows, _stock_rows(context, running, stock_model, texts, sizes, stock)
        )
    rows += _comparison_rows(ours, stock)
    return sorted(rows, key=_reading_order)


_READING_ORDER = (
    ("accuracy", 0),
    ("1 sender", 1),
    ("16 senders", 2),
    ("vs 1-10", 3),
    ("peak RSS", 4),
)


def _reading_order(row: Row) -> int:
    """Accuracy, 1 sender, 16 senders, growth, memory; diagnosis (ours Rasa/actions) last."""
    if row.metric.startswith(("ours Rasa", "ours action server")):
        return 5
    return next((rank for key, rank in _READING_ORDER if key in row.metric), 6)


async def _accuracy_rows(
    context: BenchContext, running: RunningStack, expectations: Sequence[Expectation]
) -> list[Row]:
    outcomes = await chat_outcomes(running.gateway_url + "/api/chat", expectations)
    (context.out_dir / "nlu_errors.txt").write_text(error_report(outcomes), encoding="utf-8")
    rows = []
    for kind in ("intent", "procedure top-1"):
        for score in score_splits(outcomes):
            if kind == "intent":
                right, total, accuracy = score.intent_right, score.total, score.intent_accuracy
            else:
                right, total = score.procedure_right, score.procedure_total
                accuracy = score.procedure_accuracy
            target = 0.95 if score.split in FULL_GOAL_SPLITS else 0.90
            rows.append(
                _row(
                    f"{kind} accuracy, {score.split}",
                    f"{accuracy:.1%} ({right}/{total})",
                    f">= {target:.0%}",
                    ok=total > 0 and accuracy >= target,
                )
            )
    return rows


async def _warm(url: str, texts: Sequence[str], count: int, body: BodyFor) -> None:
    await run_load(url, texts, senders=1, per_sender=count, body_for=body, warmup=0)


async def _load_rows(
    label: str, url: str, texts: Sequence[str], sizes: Sizes, into: Measured, sampler: PeakRss
) -> list[Row]:
    body = rotating_conversations(chat_body, CONVERSATION_TURNS)
    await _warm(url, texts, sizes.warmup, body)
    with sampler:
        into.one = await run_load(url, texts, senders=1, per_sender=sizes.one_sender, body_for=body)
        into.sixteen = await run_load(
            url, texts, senders=16, per_sender=sizes.per_sender_16, body_for=body
        )
    ours = label.startswith("ours")
    p50 = into.one.p(50)
    return [
        _row(f"{label}, 1 sender", load_summary(into.one),
             "p50 <= 30 ms" if ours else "", (p50 <= 30 and not into.one.errors) if ours else None),
        _row(f"{label}, 16 senders", load_summary(into.sixteen)),
    ]  # fmt: skip


async def _growth_rows(
    label: str,
    url: str,
    texts: Sequence[str],
    sizes: Sizes,
    into: Measured,
    sampler: PeakRss | None,
) -> list[Row]:
    with sampler or _NoSampler():
        latencies = await conversation_latencies(
            url, texts, length=sizes.conversation, body_for=chat_body,
            sender=f"bench-long-{label.split()[0]}",
        )  # fmt: skip
    into.growth = growth = conversation_growth(latencies)
    n = growth.length
    ours = label.startswith("ours")
    return [
        _row(
            f"{label}, message {n - 9}-{n} vs 1-10 (medians)",
            f"{growth.ratio:.2f}x ({growth.first_ms:.0f} -> {growth.last_ms:.0f} ms); "
            f"raw msg {n}/msg 1: {growth.raw_ratio:.2f}x "
            f"({growth.message_1_ms:.0f} -> {growth.message_n_ms:.0f} ms)",
            "<= 1.5x" if ours else "",
            growth.ratio <= 1.5 if ours else None,
        )
    ]


class _NoSampler:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


async def _stock_rows(
    context: BenchContext,
    running: RunningStack,
    model: Path,
    texts: Sequence[str],
    sizes: Sizes,
    into: Measured,
) -> list[Row]:
    (port,) = free_ports(1)
    async with stock_rasa(
        model,
        action_server_url=running.action_server_url,
        port=port,
        folder=context.workdir / "stock",
        log_dir=context.out_dir / "logs" / "stock",
    ) as stock:
        sampler = PeakRss({"rasa": stock.pid, "actions": running.pids().get("actions")})
        rows = await _load_rows("stock REST", stock.webhook_url, texts, sizes, into, sampler)
        rows += await _growth_rows("stock REST", stock.webhook_url, texts, sizes, into, sampler)
    rows.append(_row("peak RSS Rasa (stock)", f"{sampler.peak_mb('rasa'):.0f} MB"))
    return rows


def _comparison_rows(ours: Measured, stock: Measured) -> list[Row]:
    if not (ours.sixteen and stock.sixteen and stock.sixteen.throughput):
        return [_row("throughput ours/stock, 16 senders", "n/a (a run failed)", ">= 2x", False)]
    ratio = ours.sixteen.throughput / stock.sixteen.throughput
    return [
        _row(
            "throughput ours/stock, 16 senders",
            f"{ratio:.2f}x ({ours.sixteen.throughput:.1f} vs {stock.sixteen.throughput:.1f} msg/s)",
            ">= 2x",
            ratio >= 2 and not ours.sixteen.errors,
        )
    ]
