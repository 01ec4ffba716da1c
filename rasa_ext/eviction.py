"""How long and how many conversations a Rasa process keeps (issue 9.5).

Every distinct sender id leaves a stored conversation behind; without a bound, a million
senders (or one client inventing a sender id per message) grow Rasa's memory for ever.
A conversation is dropped when it has been idle longer than `idle_seconds` (default 24 h)
or, when more than `max_conversations` are kept (default 50,000), the least recently
saved first. A dropped conversation costs its citizen the slot values (procedure, dossier
code) that a new message re-establishes.

The limits come from the tracker store's options in endpoints.yml (`idle_seconds`,
`max_conversations`), else from the environment (`TRACKER_IDLE_SECONDS`,
`TRACKER_MAX_CONVERSATIONS`, declared in `settings.Settings` so that `make run` passes
them to Rasa), else the defaults below. Pure Python: this runs in Rasa's Python 3.10 and
is importable without Rasa.
"""

from __future__ import annotations

import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_IDLE_SECONDS",
    "DEFAULT_MAX_CONVERSATIONS",
    "IDLE_ENV",
    "MAX_ENV",
    "Bounds",
    "ExpiringLru",
    "redis_index_key",
    "redis_save_bounded",
]

DEFAULT_IDLE_SECONDS = 24 * 3600
DEFAULT_MAX_CONVERSATIONS = 50_000
IDLE_ENV = "TRACKER_IDLE_SECONDS"
MAX_ENV = "TRACKER_MAX_CONVERSATIONS"


@dataclass(frozen=True)
class Bounds:
    """Idle time-to-live (seconds) and the most conversations kept."""

    idle_seconds: float = DEFAULT_IDLE_SECONDS
    max_conversations: int = DEFAULT_MAX_CONVERSATIONS

    def __post_init__(self) -> None:
        if not self.idle_seconds > 0:
            raise ValueError(f"idle_seconds must be positive, not {self.idle_seconds!r}")
        if self.max_conversations < 1:
            most = self.max_conversations
            raise ValueError(f"max_conversations must be at least 1, not {most!r}")

    @classmethod
    def resolve(
        cls,
        idle_seconds: Any = None,
        max_conversations: Any = None,
        environ: Mapping[str, str] | None = None,
    ) -> Bounds:
        """Options (endpoints.yml) first, then the environment, then the defaults."""
        env = os.environ if environ is None else environ
        idle = idle_seconds if idle_seconds is not None else env.get(IDLE_ENV) or None
        most = max_conversations if max_conversations is not None else env.get(MAX_ENV) or None
        return cls(
            float(idle) if idle is not None else DEFAULT_IDLE_SECONDS,
            int(most) if most is not None else DEFAULT_MAX_CONVERSATIONS,
        )

    @property
    def whole_seconds(self) -> int:
        """The TTL in whole seconds, as Redis EXPIRE takes it (at least 1)."""
        return max(1, math.ceil(self.idle_seconds))


class ExpiringLru(MutableMapping[str, str]):
    """A dict of conversations that forgets the idle ones and keeps at most a bound.

    Writing a key makes it the most recent; reading does not (Rasa reads then writes
    every conversation it answers). An entry idle longer than `idle_seconds` reads as
    absent; every write sweeps the expired and the excess ones from the old end, so the
    cost is proportional to what is evicted. `on_evict(key)` hears of each eviction.
    """

    def __init__(
        self,
        bounds: Bounds,
        clock: Callable[[], float] = time.monotonic,
        on_evict: Callable[[str], None] | None = None,
    ) -> None:
        self.bounds = bounds
        self.clock = clock
        self.on_evict = on_evict
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.evicted = 0

    def __setitem__(self, key: str, value: str) -> None:
        now = self.clock()
        self._items.pop(key, None)
        self._items[key] = (now, value)
        self._sweep(now)

    def __getitem__(self, key: str) -> str:
        saved_at, value = self._items[key]
        if self.clock() - saved_at > self.bounds.idle_seconds:
            self._evict(key)
            raise KeyError(key)
        return value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        self._sweep(self.clock())
        return iter(list(self._items))

    def __len__(self) -> int:
        self._sweep(self.clock())
        return len(self._items)

    def _sweep(self, now: float) -> None:
        oldest_kept = now - self.bounds.idle_seconds
        while self._items:
            key, (saved_at, _) = next(iter(self._items.items()))
            if len(self._items) <= self.bounds.max_conversations and saved_at >= oldest_kept:
                return
            self._evict(key)

    def _evict(self, key: str) -> None:
        del self._items[key]
        self.evicted += 1
        if self.on_evict is not None:
            self.on_evict(key)


def redis_index_key(key_prefix: str) -> str:
    """The sorted set of sender ids by last save, outside `key_prefix*` (Rasa's `keys()`)."""
    return key_prefix.rstrip(":") + "#recent"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def redis_save_bounded(
    red: Any,
    key_prefix: str,
    sender_id: str,
    serialised: str,
    bounds: Bounds,
    now: float | None = None,
) -> list[str]:
    """Store one conversation with an EXPIRE and keep the bound; return the evicted ids.

    The TTL is Redis's own (EXPIRE), so idle conversations vanish with nobody sweeping.
    For the size bound every save also records the sender in a sorted set scored by the
    save time; past `max_conversations` the oldest are deleted. Replicas share the set,
    so the bound holds across them (a race may briefly let a few more through).
    """
    now = time.time() if now is None else now
    index = redis_index_key(key_prefix)
    ttl = bounds.whole_seconds
    pipe = red.pipeline()
    pipe.set(key_prefix + sender_id, serialised, ex=ttl)
    pipe.zadd(index, {sender_id: now})
    pipe.zremrangebyscore(index, "-inf", now - ttl)  # their keys have expired already
    pipe.expire(index, ttl)
    pipe.zcard(index)
    count = int(pipe.execute()[-1])
    excess = count - bounds.max_conversations
    if excess <= 0:
        return []
    oldest = [_text(member) for member in red.zrange(index, 0, excess - 1)]
    if oldest:
        pipe = red.pipeline()
        pipe.delete(*(key_prefix + sender for sender in oldest))
        pipe.zrem(index, *oldest)
        pipe.execute()
    return oldest
