"""Redis-backed lookup quotas and dossier lock-outs, shared by every process that looks
dossiers up (action-server replicas, the gateway's SMS path).

Each check is one Lua script, so that concurrent lookups cannot slip past a limit
between a read and a write. Keys and members are hashed. Times come from the caller's
clock, which must be wall-clock time when several processes share the store. When Redis
does not answer within `timeout`, the store logs it and counts in this process instead
(`dossier_lookup.redis_backed`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dossier_lookup.lockout import InMemoryLockoutStore, LockoutPolicy
from dossier_lookup.quota import InMemoryQuotaStore, QuotaRule
from dossier_lookup.redis_backed import UNAVAILABLE, RedisBacked, hashed

__all__ = ["RedisLockoutStore", "RedisQuotaStore"]

QUOTA_PREFIX = "onestop:lookup-quota:"
LOCKOUT_PREFIX = "onestop:lookup-lockout:"

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


class RedisQuotaStore(RedisBacked[InMemoryQuotaStore]):
    """Dossiers looked up per key in Redis sorted sets (a `QuotaStore`)."""

    default_prefix = QUOTA_PREFIX

    def local_store(self) -> InMemoryQuotaStore:
        return InMemoryQuotaStore()

    async def admit(self, rules: Sequence[QuotaRule], member: str, at: float) -> int:
        keys = [self.redis_key(rule.key) for rule in rules]
        args: list[str | float] = [at, hashed("", member)]
        for rule in rules:
            args += [rule.limit, rule.window]
        try:
            refused = await self.run_script(_ADMIT, keys, args)
        except UNAVAILABLE as error:
            return await self.unavailable(error).admit(rules, member, at)
        return int(refused)


class RedisLockoutStore(RedisBacked[InMemoryLockoutStore]):
    """Each dossier's failures and lock in a Redis hash (a `LockoutStore`)."""

    default_prefix = LOCKOUT_PREFIX

    def local_store(self) -> InMemoryLockoutStore:
        return InMemoryLockoutStore()

    async def locked_until(self, key: str) -> float:
        try:
            async with asyncio.timeout(self.timeout):
                until = await self.redis.hget(self.redis_key(key), "until")
        except UNAVAILABLE as error:
            return await self.unavailable(error).locked_until(key)
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
            until = await self.run_script(_FAIL, [self.redis_key(key)], args)
        except UNAVAILABLE as error:
            return await self.unavailable(error).fail(key, at, policy)
        return float(until)

    async def clear(self, key: str) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self.redis.delete(self.redis_key(key))
        except UNAVAILABLE as error:
            self.unavailable(error)
        await self.fallback.clear(key)
