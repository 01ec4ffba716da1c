"""Redis-backed lookup quotas and dossier lock-outs, shared by every process that looks
dossiers up (action-server replicas, the gateway's SMS path).

Each check is one Lua script, so that concurrent lookups cannot slip past a limit
between a read and a write. Keys and members are hashed (client addresses, sender ids and
dossier codes do not belong in Redis in clear). Times come from the caller's clock, which
must be wall-clock time when several processes share the store. When Redis does not
answer within `timeout`, the store logs it and counts in this process instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from dossier_lookup.lockout import InMemoryLockoutStore, LockoutPolicy
from dossier_lookup.quota import InMemoryQuotaStore, QuotaRule

__all__ = ["RedisLockoutStore", "RedisQuotaStore"]

logger = logging.getLogger(__name__)

QUOTA_PREFIX = "onestop:lookup-quota:"
LOCKOUT_PREFIX = "onestop:lookup-lockout:"
_UNAVAILABLE = (RedisError, OSError, TimeoutError)

# KEYS: one sorted set per rule; ARGV: now, member, then limit and window per key.
_ADMIT = """
local now = tonumber(ARGV[1])
local member = ARGV[2]
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if limit > 0 and not redis.call('ZSCORE', key, member)
      and redis.call('ZCARD', key) >= limit then
    return i - 1
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('EXPIRE', key, math.ceil(tonumber(ARGV[2 + 2 * i])))
end
return -1
"""

# KEYS[1]: the dossier's hash; ARGV: now, max failures, first lock, forget, longest lock.
# The same rule as `dossier_lookup.lockout.next_record`.
_FAIL = """
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'failures', 'level', 'until', 'last')
local failures = tonumber(h[1]) or 0
local level = tonumber(h[2]) or 0
local untl = tonumber(h[3]) or 0
local last = tonumber(h[4]) or 0
if untl > now then return tostring(untl) end
if now - math.max(last, untl) > tonumber(ARGV[4]) then
  failures = 0
  level = 0
end
failures = failures + 1
if failures >= tonumber(ARGV[2]) then
  untl = now + math.min(tonumber(ARGV[3]) * 2 ^ level, tonumber(ARGV[5]))
  level = level + 1
  failures = 0
end
redis.call('HSET', KEYS[1], 'failures', failures, 'level', level,
  'until', string.format('%.6f', untl), 'last', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], math.ceil(math.max(untl - now, 0) + tonumber(ARGV[4])))
return string.format('%.6f', untl)
"""


def _hashed(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:32]


def _warn(error: Exception) -> None:
    logger.warning("lookup limits: Redis unavailable (%s); counting locally", error)


class _RedisBacked:
    """A Redis client, a key prefix, a time budget per call and the script to run."""

    def __init__(self, redis: Redis, prefix: str, timeout: float, script: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self.timeout = timeout
        self._script = redis.register_script(script)


class RedisQuotaStore(_RedisBacked):
    """Dossiers looked up per key in Redis sorted sets (a `QuotaStore`)."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = QUOTA_PREFIX,
        timeout: float = 0.3,
        fallback: InMemoryQuotaStore | None = None,
    ) -> None:
        super().__init__(redis, prefix, timeout, _ADMIT)
        self.fallback = fallback or InMemoryQuotaStore()

    async def admit(self, rules: Sequence[QuotaRule], member: str, at: float) -> int:
        keys = [_hashed(self.prefix, rule.key) for rule in rules]
        args: list[str | float] = [at, _hashed("", member)]
        for rule in rules:
            args += [rule.limit, rule.window]
        try:
            async with asyncio.timeout(self.timeout):
                refused = await self._script(keys=keys, args=args)
        except _UNAVAILABLE as error:
            _warn(error)
            return await self.fallback.admit(rules, member, at)
        return int(refused)


class RedisLockoutStore(_RedisBacked):
    """Each dossier's failures and lock in a Redis hash (a `LockoutStore`)."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = LOCKOUT_PREFIX,
        timeout: float = 0.3,
        fallback: InMemoryLockoutStore | None = None,
    ) -> None:
        super().__init__(redis, prefix, timeout, _FAIL)
        self.fallback = fallback or InMemoryLockoutStore()

    async def locked_until(self, key: str) -> float:
        try:
            async with asyncio.timeout(self.timeout):
                until = await self.redis.hget(_hashed(self.prefix, key), "until")
        except _UNAVAILABLE as error:
            _warn(error)
            return await self.fallback.locked_until(key)
        return float(until) if until else 0.0

    async def fail(self, key: str, at: float, policy: LockoutPolicy) -> float:
        args = [
            at,
            policy.max_failures,
            policy.lock_seconds,
            policy.forget_seconds,
            policy.max_lock_seconds,
        ]
        try:
            async with asyncio.timeout(self.timeout):
                until = await self._script(keys=[_hashed(self.prefix, key)], args=args)
        except _UNAVAILABLE as error:
            _warn(error)
            return await self.fallback.fail(key, at, policy)
        return float(until)

    async def clear(self, key: str) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self.redis.delete(_hashed(self.prefix, key))
        except _UNAVAILABLE as error:
            _warn(error)
        await self.fallback.clear(key)
