"""What the Redis-backed lookup stores share (`limiter_redis`, `stores_redis`): one client,
hashed keys under a prefix, a time budget per call, and this process's own store, which
counts instead while Redis does not answer (lookups keep working, within the citizen's
3-second answer, and stay limited per process).

Keys are hashed: sender ids, client addresses and dossier codes do not belong in Redis in
clear.
"""

from __future__ import annotations

import abc
import asyncio
import hashlib
import logging
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

__all__ = ["UNAVAILABLE", "RedisBacked", "hashed"]

logger = logging.getLogger(__name__)

# What a Redis that is down, unreachable or slower than the budget raises.
UNAVAILABLE = (RedisError, OSError, TimeoutError)
_Local = TypeVar("_Local")


def hashed(prefix: str, value: str) -> str:
    """`value` hashed, after `prefix` (a Redis key; a set member with an empty prefix)."""
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:32]


class RedisBacked(abc.ABC, Generic[_Local]):
    """A store kept in Redis, with `fallback` (in this process) for when Redis fails."""

    default_prefix: ClassVar[str]

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str | None = None,
        timeout: float = 0.3,
        fallback: _Local | None = None,
    ) -> None:
        self.redis = redis
        self.prefix = self.default_prefix if prefix is None else prefix
        self.timeout = timeout
        self.fallback = self.local_store() if fallback is None else fallback
        self._scripts: dict[str, AsyncScript] = {}

    @abc.abstractmethod
    def local_store(self) -> _Local:
        """A new store of the same kind in this process."""

    def redis_key(self, key: str) -> str:
        """The Redis key for a store key."""
        return hashed(self.prefix, key)

    async def run_script(self, source: str, keys: list[str], args: Sequence[str | float]) -> Any:
        """Run the Lua script `source` (registered once per store) within the time budget."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.redis.register_script(source)
        async with asyncio.timeout(self.timeout):
            return await script(keys=keys, args=list(args))

    def unavailable(self, error: Exception) -> _Local:
        """Log that Redis did not answer in time; the store that counts instead."""
        logger.warning("%s: Redis unavailable (%s); counting locally", type(self).__name__, error)
        return self.fallback
