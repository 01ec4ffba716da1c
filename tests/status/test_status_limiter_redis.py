"""The Redis failure store against a real Redis (127.0.0.1:6379 db 15, or TEST_REDIS_URL).

Skipped when Redis does not answer, unless REQUIRE_REDIS=1. Each test uses its own key
prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis
from status_test_support import REDIS_URL

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.limiter_redis import RedisFailureStore, redis_limiter
from simulators.onestop.server import free_port
from testing.clock import FakeClock

WINDOW = 600.0


def limiter(redis: Redis, prefix: str, clock: FakeClock) -> FailedLookupLimiter:
    """Five failures in ten minutes, on the test's clock."""
    return FailedLookupLimiter(RedisFailureStore(redis, prefix=prefix), window=WINDOW, clock=clock)


async def test_blocks_a_sender_after_five_failures(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    guard = limiter(redis, prefix, clock)

    results = [await guard.record_failure("sender:a") for _ in range(5)]

    assert results == [False, False, False, False, True]
    assert await guard.blocked("sender:a")
    assert not await guard.blocked("sender:b")


async def test_failures_older_than_the_window_are_forgotten(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    guard = limiter(redis, prefix, clock)
    for _ in range(4):
        await guard.record_failure("sender:a")
        clock.advance(60)

    clock.advance(WINDOW - 4 * 60)  # the first failure is now exactly one window old

    assert await guard.store.count("sender:a", clock(), WINDOW) == 3
    assert not await guard.record_failure("sender:a")
    clock.advance(WINDOW)
    assert not await guard.blocked("sender:a")


async def test_processes_sharing_redis_share_the_count(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    first, second = limiter(redis, prefix, clock), limiter(redis, prefix, clock)

    for guard in (first, second, first, second):
        await guard.record_failure("sender:a", "dossier:000.00.06.H56-231027-0361")

    assert await second.record_failure("dossier:000.00.06.H56-231027-0361")
    assert await first.blocked("dossier:000.00.06.H56-231027-0361")


async def test_concurrent_failures_at_the_same_instant_all_count(redis: Redis, prefix: str) -> None:
    store = RedisFailureStore(redis, prefix=prefix)

    counts = await asyncio.gather(*(store.add("sender:a", 1000.0, WINDOW) for _ in range(20)))

    assert sorted(counts) == list(range(1, 21))
    assert await store.count("sender:a", 1000.0, WINDOW) == 20


async def test_keys_expire_and_name_no_sender(redis: Redis, prefix: str) -> None:
    store = RedisFailureStore(redis, prefix=prefix)
    sender = "sender:+84912345678"

    await store.add(sender, 1000.0, WINDOW)

    keys = [key.decode() async for key in redis.scan_iter(match=prefix + "*")]
    assert len(keys) == 1
    assert "84912345678" not in keys[0]
    assert 0 < await redis.ttl(keys[0]) <= WINDOW


async def five_failures_then_blocked(guard: FailedLookupLimiter) -> float:
    """Record five failures for one sender, check it is blocked; the seconds it took."""
    start = time.perf_counter()
    results = [await guard.record_failure("sender:a") for _ in range(5)]
    assert results == [False, False, False, False, True]
    assert await guard.blocked("sender:a")
    return time.perf_counter() - start


async def test_redis_down_still_limits_in_this_process_without_delay() -> None:
    # Nothing listens on a fresh free port: every Redis call is refused.
    guard = redis_limiter(f"redis://127.0.0.1:{free_port()}/0")
    try:
        assert await five_failures_then_blocked(guard) < 2.0
    finally:
        assert isinstance(guard.store, RedisFailureStore)
        await guard.store.redis.aclose()


async def test_redis_that_never_answers_costs_at_most_the_timeout() -> None:
    done = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1 << 16)  # take the command, never reply
        await done.wait()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    guard = redis_limiter(f"redis://127.0.0.1:{port}/0", timeout=0.2)
    try:
        # Six calls at most 0.2 s each, plus scheduling slack on a busy machine.
        assert await five_failures_then_blocked(guard) < 6 * 0.2 + 1.0
    finally:
        assert isinstance(guard.store, RedisFailureStore)
        await guard.store.redis.aclose()
        done.set()
        server.close()


async def test_redis_limiter_uses_wall_clock_time(redis: Redis, prefix: str) -> None:
    guard = redis_limiter(REDIS_URL, max_failures=2, prefix=prefix)
    try:
        await guard.record_failure("sender:a")
        assert await guard.record_failure("sender:a")

        keys = [key async for key in redis.scan_iter(match=prefix + "*")]
        (_, score), *_ = await redis.zrange(keys[0], 0, 0, withscores=True)
        assert abs(score - time.time()) < 60, "scores are Unix times"
    finally:
        assert isinstance(guard.store, RedisFailureStore)
        await guard.store.redis.aclose()


async def test_the_action_server_uses_redis_when_configured(redis: Redis) -> None:
    from actions.services import ActionServices
    from settings import Settings

    shared = ActionServices.from_settings(Settings(lookup_limiter_redis_url=REDIS_URL))
    store = shared.lookup().limiter.store
    assert isinstance(store, RedisFailureStore)
    assert await store.redis.ping()
    await store.redis.aclose()
    alone = ActionServices.from_settings(Settings(lookup_limiter_redis_url=None))
    assert not isinstance(alone.lookup().limiter.store, RedisFailureStore)
