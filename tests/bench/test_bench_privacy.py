"""Issue 9's bench helpers: the code walker, the memory run and the defaults stack's settings.

The gateway and Rasa are played by small fakes behind httpx's MockTransport: they answer
as `/api/chat` and the assistant channel do, and record what they were sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx
import pytest

from bench.context import PLACEMENT, placement
from bench.conversations import MemoryPoint, MemoryRun, conversations_rss, growth_row_value
from bench.walker import WalkLimits, walk, walk_order, walker_row_value
from settings import Settings

DAY_A = [f"000.00.06.H56-231027-{n:04d}" for n in range(1, 6)]
DAY_B = [f"000.00.07.H56-231027-{n:04d}" for n in range(1, 4)]


class LimitedGateway:
    """`/api/chat` that shows `allowed` dossiers to anyone, then refuses."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.senders: list[str] = []
        self.cookies_seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.senders.append(body["sender"])
        self.cookies_seen.append(request.headers.get("cookie", ""))
        cookie = {"set-cookie": f"chat={len(self.senders)}; Path=/"}
        if len(self.senders) > self.allowed:
            reply = {"replies": [{"text": "Bạn đã tra cứu quá nhiều hồ sơ"}]}
            return httpx.Response(200, json=reply, headers=cookie)
        reply = {"replies": [{"text": "Hồ sơ đang được xử lý"}], "dossier_status": "processing"}
        return httpx.Response(200, json=reply, headers=cookie)


class RateLimitedGateway:
    """`/api/chat` that answers every `every`-th request with 429 (Retry-After 7)."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.requests = 0
        self.codes: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.requests % self.every == 0:
            return httpx.Response(429, json={"detail": "chậm lại"}, headers={"retry-after": "7"})
        self.codes.append(json.loads(request.content)["message"].rsplit(" ", 1)[-1])
        return httpx.Response(200, json={"replies": [], "dossier_status": "processing"})


class Clock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _client(gateway: Callable[[httpx.Request], httpx.Response]) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url="http://gateway", transport=httpx.MockTransport(gateway))


def test_walk_order_groups_codes_by_unit_day_largest_first() -> None:
    shuffled = [DAY_B[2], DAY_A[3], DAY_A[0], DAY_B[0], DAY_A[4], DAY_A[1], DAY_B[1], DAY_A[2]]

    assert walk_order(shuffled) == [DAY_A, DAY_B]


async def test_the_walker_rotates_senders_drops_cookies_and_stops_on_refusals() -> None:
    gateway = LimitedGateway(allowed=3)
    async with _client(gateway) as http:
        result = await walk(http, [DAY_A, DAY_B], WalkLimits(600, 4, 100), Clock(0.1))

    assert (result.revealed, result.refused, result.lookups) == (3, 4, 7)
    assert result.days == 2
    assert result.stopped == "4 refusals in a row"
    assert len(set(gateway.senders)) == 7
    assert all(":" not in sender for sender in gateway.senders)
    assert gateway.cookies_seen == [""] * 7
    assert "the other 10.0 min were not run" in walker_row_value(result, WalkLimits(600, 4, 100))


async def test_a_429_slows_the_walker_down_and_it_asks_again() -> None:
    gateway = RateLimitedGateway(every=3)
    clock = Clock(0.01)
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.now += seconds

    async with _client(gateway) as http:
        result = await walk(http, [DAY_A], WalkLimits(600, 2, 100), clock, sleep)

    assert (result.revealed, result.refused, result.lookups) == (5, 0, 5)
    assert result.http_429 == 2 and waited == [7.0, 7.0]
    assert gateway.codes == sorted(gateway.codes) and len(set(gateway.codes)) == 5


async def test_http_errors_are_counted_apart_from_refusals() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": "sender"})

    async with _client(broken) as http:
        result = await walk(http, [DAY_A], WalkLimits(600, 3, 100), Clock(0.1))

    assert (result.revealed, result.errors, result.stopped) == (0, 3, "3 refusals in a row")
    assert "3 HTTP errors" in walker_row_value(result, WalkLimits(600, 3, 100))


async def test_the_walker_stops_at_its_time_or_budget_and_says_so() -> None:
    async with _client(LimitedGateway(allowed=100)) as http:
        timed = await walk(http, [DAY_A, DAY_B], WalkLimits(1.0, 5, 100), Clock(0.3))
        budget = await walk(http, [DAY_A, DAY_B], WalkLimits(600, 5, 6), Clock(0.1))
        everything = await walk(http, [DAY_A, DAY_B], WalkLimits(600, 5, 100), Clock(0.1))

    assert timed.stopped == "its 1 s were over" and timed.revealed < 8
    assert (budget.revealed, budget.stopped) == (6, "its budget of 6 lookups was spent")
    assert (everything.revealed, everything.stopped) == (8, "every dossier was walked")
    assert walker_row_value(everything, WalkLimits(600, 5, 100)).startswith(
        "8 of 8 lookups revealed a dossier (2 unit-days"
    )


async def test_the_memory_run_sends_one_message_per_sender_and_reads_at_checkpoints() -> None:
    senders: list[str] = []
    readings = iter([100 * 2**20, 110 * 2**20, 111 * 2**20])

    def rasa(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/webhooks/assistant/webhook"
        senders.append(json.loads(request.content)["sender"])
        return httpx.Response(200, json={"messages": [{"text": "Xin chào"}]})

    run = await conversations_rss(
        "http://rasa",
        lambda: next(readings),
        [50, 10, 200],
        concurrency=4,
        transport=httpx.MockTransport(rasa),
        settle_seconds=0,
    )

    assert len(senders) == len(set(senders)) == 200
    assert [point.conversations for point in run.points] == [10, 50, 200]
    assert run.ratio() == pytest.approx(1.11)
    assert not run.errors and not run.deadline_hit


def test_the_memory_row_says_when_the_wanted_count_was_not_reached() -> None:
    points = [
        MemoryPoint(1000, 800 * 2**20, 10.0),
        MemoryPoint(11_000, 820 * 2**20, 110.0),
        MemoryPoint(40_000, 822 * 2**20, 400.0),
    ]
    run = MemoryRun(points)

    value = growth_row_value(run, 100_000, 11_000, 50_000)

    assert value.startswith("800 MB after 1,000, 822 MB after 40,000 (1.03x) [820 MB at 11,000]")
    assert "100 conversations/s; tracker store bound 11,000 (default 50,000)" in value
    assert "RSS ≈ +2.0 KB per conversation below it" in value
    assert "only 40,000 of 100,000 fit in the time allowed" in value
    assert run.kept_cost_kb(500) is None


def test_the_defaults_stack_keeps_where_parts_listen_but_no_knob() -> None:
    loaded = Settings(gateway_port=18000, rasa_timeout_seconds=3.0, tracker_max_conversations=7)

    kept = placement(loaded)

    assert set(kept) == set(PLACEMENT) and kept["gateway_port"] == 18000
    fresh = Settings(**kept)
    assert fresh.rasa_timeout_seconds == Settings().rasa_timeout_seconds
    assert fresh.tracker_max_conversations == Settings().tracker_max_conversations
    assert not re.search(r"limit|rate|per_|max_", " ".join(PLACEMENT))
