"""Issue 12's FAQ rows: publish-to-answer time, and what 1,000 published entries cost.

On the bench's shared stack (real gateway, Rasa and action server): entries are written
into its database as the console writes them (`testing.faq.add_entries`).

- Publish to answer: `PUBLISHES` times, a new entry with a question no one asked before
  is published, and /api/chat is asked that question (a new conversation each time,
  every `POLL_SECONDS`) until the answer is the entry's; the row is p50/p99 of the time
  from the commit to that answer. Publishes are spaced irregularly so that they fall at
  every point of the action server's check interval.
- /api/chat, 1 sender: held-out questions one after another, in blocks alternating
  between no entry and `ENTRIES` published entries (A/B interleaved: the machine is
  shared, and its load drifts); the rows are each side's p50.
- The matcher's CPU time per message over `ENTRIES` entries, in this process.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy.orm import Session, sessionmaker

from bench.context import BenchContext
from bench.load import percentile, run_load
from bench.nlu_accuracy import load_expectations
from bench.perf import chat_body
from bench.table import Row
from db import make_engine, make_session_factory
from faq.matcher import CHECK_INTERVAL_SECONDS, FaqIndex, FaqRecord
from testing.faq import add_entries, matcher_cpu_ms, remove_entries

__all__ = ["ENTRIES", "faq_entries", "faq_rows"]

PUBLISHES = 20
ENTRIES = 1_000
GOAL_SECONDS = 5.0
POLL_SECONDS = 0.05
ROUNDS = 3  # A/B blocks of each side
PER_BLOCK = 40
TEST_FILE = Path("tests/nlu/test_nlu.yml")

_PLACES = ("phòng tiếp dân", "quầy số", "bãi gửi xe", "phòng chờ", "điểm thu phí", "kho lưu trữ")
_ASKS = (
    "{place} {n} mở cửa mấy giờ",
    "{place} {n} ở tầng mấy",
    "có cần đặt lịch trước ở {place} {n} không",
    "{place} {n} có nhận hồ sơ buổi chiều không",
    "nộp lệ phí ở {place} {n} bằng thẻ được không",
)


def faq_entries(count: int) -> list[tuple[list[str], str]]:
    """`count` plausible, distinct entries (two question variants each)."""
    entries = []
    for n in range(count):
        place = _PLACES[n % len(_PLACES)]
        first, second = (_ASKS[(n + k) % len(_ASKS)] for k in (0, 1))
        questions = [first.format(place=place, n=n), second.format(place=place, n=n)]
        entries.append((questions, f"Trả lời số {n}: xem bảng tin tại {place} {n}."))
    return entries


async def _answered_after(client: httpx.AsyncClient, url: str, question: str, answer: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 6 * GOAL_SECONDS:
        body = {"sender": f"bench-faq-{uuid.uuid4().hex[:12]}", "message": question}
        replies = (await client.post(url, json=body)).json().get("replies", [])
        if any(answer in (reply.get("text") or "") for reply in replies):
            return time.monotonic() - started
        await asyncio.sleep(POLL_SECONDS)
    return float("inf")


async def _publish_to_answer(url: str, sessions: sessionmaker[Session], count: int) -> list[float]:
    rng = random.Random(5)
    seconds = []
    async with httpx.AsyncClient(timeout=30.0) as client:
        for _ in range(count):
            word = "".join(rng.choices("bcdghklmnpqrstvx", k=8))
            question, answer = f"phòng {word} có mở thứ bảy không", f"Phòng {word} mở thứ bảy."
            await asyncio.to_thread(add_entries, sessions, [([question], answer)])
            seconds.append(await _answered_after(client, url, question, answer))
            await asyncio.sleep(rng.uniform(0.0, CHECK_INTERVAL_SECONDS))
    return seconds


async def _chat_a_b(
    url: str, sessions: sessionmaker[Session], rounds: int
) -> dict[str, list[float]]:
    texts = [example.text for example in load_expectations(TEST_FILE)][: PER_BLOCK * 2]
    latencies: dict[str, list[float]] = {"none": [], "1000": []}
    for _ in range(rounds):
        for side in ("none", "1000"):
            await asyncio.to_thread(remove_entries, sessions)
            if side == "1000":
                await asyncio.to_thread(add_entries, sessions, faq_entries(ENTRIES))
            await asyncio.sleep(CHECK_INTERVAL_SECONDS + 1.0)  # the action server reloads
            result = await run_load(
                url, texts, senders=1, per_sender=PER_BLOCK, body_for=chat_body,
                sender_prefix=f"bench-faq-{side}",
            )  # fmt: skip
            latencies[side] += result.latencies_ms
    return latencies


def _matcher_cpu_ms(texts: list[str]) -> float:
    records = [FaqRecord(n, tuple(q), a) for n, (q, a) in enumerate(faq_entries(ENTRIES))]
    return matcher_cpu_ms(FaqIndex(records), texts)


async def faq_rows(area: str, context: BenchContext) -> list[Row]:
    """The FAQ rows, on the shared stack."""
    stack = await context.assistant_stack()
    url = f"{stack.gateway_url}/api/chat"
    engine = make_engine(stack.settings.database_url)
    sessions = make_session_factory(engine)
    texts = [example.text for example in load_expectations(TEST_FILE)]
    try:
        await asyncio.to_thread(remove_entries, sessions)
        published = await _publish_to_answer(url, sessions, 3 if context.quick else PUBLISHES)
        chat = await _chat_a_b(url, sessions, 1 if context.quick else ROUNDS)
    finally:
        await asyncio.to_thread(remove_entries, sessions)
        engine.dispose()
    p50, p99 = percentile(published, 50), percentile(published, 99)
    none, full = percentile(chat["none"], 50), percentile(chat["1000"], 50)
    return [
        Row(area, f"FAQ publish → answer, p50 / p99 (n={len(published)})",
            f"{p50:.2f} s / {p99:.2f} s", f"p99 ≤ {GOAL_SECONDS:.0f} s", p99 <= GOAL_SECONDS),
        Row(area, f"/api/chat 1 sender p50, no FAQ vs {ENTRIES:,} published "
            f"(n={len(chat['none'])} each, A/B interleaved)",
            f"{none:.0f} ms vs {full:.0f} ms", "unchanged (±10%)", full <= none * 1.1 + 1),
        Row(area, f"FAQ matcher CPU per message, {ENTRIES:,} entries",
            f"{_matcher_cpu_ms(texts):.2f} ms", ""),
    ]  # fmt: skip
