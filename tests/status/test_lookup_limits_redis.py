"""Lookup quotas and dossier lock-outs in a real Redis: the same rules as in process,
shared by every process, atomic under concurrent lookups (skipped without Redis)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis
from status_test_support import REDIS_URL

from dossier_lookup.build import lookup_from_settings, quota_from_settings
from dossier_lookup.lockout import DossierLockout, LockoutPolicy
from dossier_lookup.quota import LookupQuota, Scope
from dossier_lookup.stores_redis import RedisLockoutStore, RedisQuotaStore
from settings import Settings
from simulators.onestop.server import free_port
from testing.clock import FakeClock


def quota(redis: Redis, prefix: str, clock: FakeClock) -> LookupQuota:
    return LookupQuota(RedisQuotaStore(redis, prefix=prefix), clock=clock)


async def test_two_processes_share_one_address_quota(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    first, second = quota(redis, prefix, clock), quota(redis, prefix, clock)
    outcomes = [
        await (first if n % 2 else second).admit(f"code-{n}", client="a", conversation=f"s{n}")
        for n in range(25)
    ]
    assert outcomes.count(None) == 20 and set(outcomes[20:]) == {Scope.CLIENT}
    assert await first.admit("code-3", client="a", conversation="s-new") is None  # a re-look
    clock.advance(3601)
    assert await second.admit("code-99", client="a", conversation="s-new") is None
    keys = [key.decode() async for key in redis.scan_iter(match=prefix + "*")]
    assert keys and not any("code-" in key or ":a" in key for key in keys)  # hashed


async def test_concurrent_lookups_do_not_slip_past_the_quota(redis: Redis, prefix: str) -> None:
    # A generous timeout: this is about atomicity, not about falling back when Redis is slow.
    guard = LookupQuota(RedisQuotaStore(redis, prefix=prefix, timeout=30), clock=FakeClock())
    outcomes = await asyncio.gather(
        *(guard.admit(f"code-{n}", client="a", conversation=f"s{n}") for n in range(30))
    )
    assert outcomes.count(None) == 20


async def test_the_lock_out_grows_in_redis(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    lockout = DossierLockout(RedisLockoutStore(redis, prefix=prefix), clock=clock)
    for seconds in (900, 1800, 3600):
        locks = [await lockout.record_failure("X") for _ in range(5)]
        assert locks[:4] == [0, 0, 0, 0] and locks[4] == seconds
        assert await lockout.record_failure("X") == seconds  # ignored while locked
        clock.advance(seconds)
        assert await lockout.locked_for("X") == 0
    await lockout.record_failure("X")
    await lockout.clear("X")
    assert [await lockout.record_failure("X") for _ in range(5)][4] == 900  # afresh


async def test_the_lock_out_in_redis_stops_at_its_cap(redis: Redis, prefix: str) -> None:
    clock = FakeClock()
    policy = LockoutPolicy(lock_seconds=900, max_lock_seconds=3600)
    lockout = DossierLockout(RedisLockoutStore(redis, prefix=prefix), policy, clock=clock)
    for seconds in (900, 1800, 3600, 3600):
        assert [await lockout.record_failure("Y") for _ in range(5)][4] == seconds
        clock.advance(seconds)


async def test_the_settings_build_redis_limits_and_survive_redis_down(
    redis: Redis, prefix: str
) -> None:
    settings = Settings(lookup_limiter_redis_url=REDIS_URL, lookup_client_dossiers_per_hour=2)
    lookup = lookup_from_settings(settings, source=object())  # type: ignore[arg-type]
    assert isinstance(lookup.quota.store, RedisQuotaStore)
    assert isinstance(lookup.lockout.store, RedisLockoutStore)
    assert lookup.quota.limits[Scope.CLIENT] == 2
    await lookup.quota.store.redis.aclose()
    down = quota_from_settings(
        Settings(lookup_limiter_redis_url=f"redis://127.0.0.1:{free_port()}/0")
    )
    outcomes = [await down.admit(f"c{n}", client="a", conversation=f"s{n}") for n in range(21)]
    assert outcomes.count(None) == 20  # counted in this process instead
    assert isinstance(down.store, RedisQuotaStore)
    await down.store.redis.aclose()
