"""A Redis-backed `FailureStore`, so every action-server process shares one failed-lookup count.

One sorted set per key, scored by the failure's time: ZADD the failure, drop those older
than the window, ZCARD, and EXPIRE after the window, in one MULTI/EXEC. Times come from
the limiter's clock, which must be wall-clock time when several processes (or machines)
share the store: build the limiter with `redis_limiter()`, which sets `clock=time.time`.

Keys are hashed, and a Redis that does not answer within `timeout` is logged and replaced
by a count in this process, as for every `dossier_lookup.redis_backed.RedisBacked` store.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from dossier_lookup.limiter import FailedLookupLimiter, InMemoryFailureStore
from dossier_lookup.redis_backed import UNAVAILABLE, RedisBacked

__all__ = ["DEFAULT_PREFIX", "RedisFailureStore", "limits_redis", "redis_limiter"]

DEFAULT_PREFIX = "onestop:failed-lookups:"


class RedisFailureStore(RedisBacked[InMemoryFailureStore]):
    """Failure timestamps per key in Redis sorted sets (a `FailureStore`)."""

    default_prefix = DEFAULT_PREFIX

    def local_store(self) -> InMemoryFailureStore:
        return InMemoryFailureStore()

    async def add(self, key: str, at: float, window: float) -> int:
        """Record a failure at `at`; return the failures for `key` within `window`."""
        name = self.redis_key(key)
        # Unique members: two failures at the same instant are two failures.
        member = f"{at:.6f}:{uuid.uuid4().hex[:12]}"
        try:
            async with asyncio.timeout(self.timeout), self.redis.pipeline() as pipe:
                pipe.zadd(name, {member: at})
                pipe.zremrangebyscore(name, "-inf", at - window)
                pipe.zcard(name)
                pipe.expire(name, max(1, math.ceil(window)))
                _, _, count, _ = await pipe.execute()
        except UNAVAILABLE as error:
            return await self.unavailable(error).add(key, at, window)
        return int(count)

    async def count(self, key: str, at: float, window: float) -> int:
        """The failures for `key` within `window` before `at`."""
        try:
            async with asyncio.timeout(self.timeout):
                count = await self.redis.zcount(self.redis_key(key), f"({at - window}", "+inf")
        except UNAVAILABLE as error:
            return await self.unavailable(error).count(key, at, window)
        return int(count)


def limits_redis(url: str, *, timeout: float = 0.3) -> Redis:
    """A client of the Redis at `url` for the lookup limits: no retries, short timeouts.

    The limits sit on every lookup, and a slow or absent Redis must not eat the citizen's
    3-second answer budget (redis-py's default retries with backoff would take seconds);
    on a failure the stores count locally.
    """
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def redis_limiter(
    url: str,
    *,
    max_failures: int = 5,
    window: float = 600.0,
    prefix: str = DEFAULT_PREFIX,
    timeout: float = 0.3,
) -> FailedLookupLimiter:
    """A limiter shared through Redis at `url` (e.g. `redis://127.0.0.1:6379/0`)."""
    store = RedisFailureStore(limits_redis(url, timeout=timeout), prefix=prefix, timeout=timeout)
    return FailedLookupLimiter(store, max_failures=max_failures, window=window, clock=time.time)
