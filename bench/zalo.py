"""Bench area 'zalo' (issue 11): the Zalo OA channel of the shared stack.

- webhook acknowledgement p50/p99 with 50 senders posting signed events at once (goal:
  p99 at most 50 ms): the time from sending an event to the gateway's 200;
- message-to-reply p50: a user writes through the Zalo simulator (which signs and posts
  the event) until the OA's reply reaches the simulator's send API (Rasa included);
- forgeries refused: generated forged, stale, malformed and oversized events (goal 100%).
"""

from __future__ import annotations

import random
import time

import httpx

from bench.context import BenchContext, RunningStack
from bench.load import percentile
from bench.table import Row
from bench.webhook_load import post_concurrently
from testing.zalo_events import UNREADABLE, ZaloApp, forgeries

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "zalo"
TIMEOUT_SECONDS = 900.0
SENDERS = 50
QUESTIONS = ("lệ phí làm khai sinh", "giấy tờ đăng ký kết hôn", "làm hộ chiếu mất bao lâu")


def _app(stack: RunningStack) -> ZaloApp:
    settings = stack.settings
    return ZaloApp(settings.zalo_app_id, settings.zalo_oa_secret_key.get_secret_value())


async def _reply_seconds(stack: RunningStack, count: int) -> list[float]:
    """Write through the simulator, one user at a time; seconds until the OA answered."""
    taken = []
    async with httpx.AsyncClient(base_url=stack.settings.zalo_base_url, timeout=60) as sim:
        for index in range(count):
            user = str(random.randint(10**15, 10**16))
            start = time.perf_counter()
            delivery = await sim.post(
                f"/_sim/users/{user}/text", json={"text": QUESTIONS[index % len(QUESTIONS)]}
            )
            delivery.raise_for_status()
            sent = await sim.get("/_sim/messages", params={"user_id": user, "wait": 30})
            if sent.json()["messages"]:
                taken.append(time.perf_counter() - start)
    return taken


async def _ack_seconds(stack: RunningStack, app: ZaloApp, each: int) -> tuple[list[float], int]:
    """50 senders post `each` signed events at once; seconds to each 200, and failures."""
    senders = []
    for index in range(SENDERS):
        user = f"84{index:03d}{random.randint(10**10, 10**11)}"
        texts = [f"{QUESTIONS[number % 3]} {number}" for number in range(each)]
        senders.append([app.signed(app.event(text, user=user)) for text in texts])
    return await post_concurrently(stack.gateway_url, "/webhooks/zalo", senders)


async def _forgeries_refused(stack: RunningStack, app: ZaloApp, count: int) -> int:
    refused = 0
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        for kind, raw, headers in forgeries(app, count, seed=29):
            answer = await http.post("/webhooks/zalo", content=raw, headers=headers)
            refused += answer.status_code == (400 if kind in UNREADABLE else 403)
    return refused


async def run(context: BenchContext) -> list[Row]:
    """The three Zalo rows."""
    stack = await context.assistant_stack()
    app = _app(stack)
    replies = await _reply_seconds(stack, 6 if context.quick else 30)
    acks, failed = await _ack_seconds(stack, app, 2 if context.quick else 10)
    count = 200 if context.quick else 1_000
    refused = await _forgeries_refused(stack, app, count)
    p50, p99 = percentile(acks, 50) * 1000, percentile(acks, 99) * 1000
    reply_p50 = percentile(replies, 50) * 1000 if replies else float("nan")
    return [
        Row(
            AREA,
            f"webhook ack p50 / p99, {SENDERS} concurrent senders "
            f"({len(acks)} events, {failed} not 200)",
            f"{p50:.1f} / {p99:.1f} ms",
            "p99 ≤ 50 ms",
            p99 <= 50 and failed == 0,
        ),
        Row(
            AREA,
            f"message-to-reply p50 through the simulator ({len(replies)} replies)",
            f"{reply_p50:.0f} ms",
        ),
        Row(
            AREA,
            f"forgeries refused ({count} generated)",
            f"{100 * refused / count:.1f}%",
            "100%",
            refused == count,
        ),
    ]
