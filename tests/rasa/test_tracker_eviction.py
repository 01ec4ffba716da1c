"""Issue 9.5: the tracker stores forget idle conversations and keep a bounded number.

The bounds themselves are pure Python (run here); the stores run in Rasa's Python, as
`rasa run` runs them, with a fake clock for the in-memory TTL and Redis's own EXPIRE.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rasa_ext.eviction import (
    DEFAULT_IDLE_SECONDS,
    DEFAULT_MAX_CONVERSATIONS,
    Bounds,
    ExpiringLru,
)
from settings import Settings

InRasa = Callable[[str], dict[str, object]]  # the `in_rasa` fixture (conftest.py)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_saved_conversation_goes_first() -> None:
    evicted: list[str] = []
    store = ExpiringLru(Bounds(3600, 3), Clock(), on_evict=evicted.append)
    for sender in ("a", "b", "c"):
        store[sender] = f"events of {sender}"
    store["a"] = "a again"  # a is now the most recent
    store["d"] = "events of d"
    store["e"] = "events of e"

    assert sorted(store) == ["a", "d", "e"]
    assert evicted == ["b", "c"]
    assert "b" not in store
    assert store["a"] == "a again"


def test_an_idle_conversation_is_forgotten_after_its_ttl() -> None:
    clock = Clock()
    store = ExpiringLru(Bounds(idle_seconds=60, max_conversations=100), clock)
    store["old"] = "x"
    clock.now += 30
    store["recent"] = "y"
    clock.now += 31  # old idle 61 s, recent 31 s

    assert "old" not in store
    assert store["recent"] == "y"
    assert len(store) == 1
    clock.now += 30  # recent idle 61 s
    assert "recent" not in store
    assert store.evicted == 2


def test_a_million_senders_leave_at_most_the_bound() -> None:
    store = ExpiringLru(Bounds(3600, 1000), Clock())
    for n in range(20_000):
        store[f"web-{n}"] = "{}"

    assert len(store) == 1000
    assert store.evicted == 19_000


def test_bounds_come_from_the_options_then_the_environment_then_the_defaults() -> None:
    env = {"TRACKER_IDLE_SECONDS": "7200", "TRACKER_MAX_CONVERSATIONS": "10"}

    assert Bounds.resolve(environ={}) == Bounds(DEFAULT_IDLE_SECONDS, DEFAULT_MAX_CONVERSATIONS)
    assert Bounds.resolve(environ=env) == Bounds(7200, 10)
    assert Bounds.resolve(60, 5, environ=env) == Bounds(60, 5)
    with pytest.raises(ValueError, match="max_conversations"):
        Bounds.resolve(environ={"TRACKER_MAX_CONVERSATIONS": "0"})


def test_the_settings_pass_the_same_defaults_to_rasa() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert settings.tracker_idle_seconds == DEFAULT_IDLE_SECONDS
    assert settings.tracker_max_conversations == DEFAULT_MAX_CONVERSATIONS


_TRACKERS = """
import asyncio, json
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

domain = Domain.load("domain.yml")

def tracker(sender):
    events = [ActionExecuted("action_session_start"), SessionStarted(),
              ActionExecuted("action_listen"),
              UserUttered("chào", {"name": "greet", "confidence": 0.9})]
    return DialogueStateTracker.from_events(sender, events, domain.slots)
"""


def test_the_in_memory_store_evicts_by_size_and_by_idle_time(in_rasa: InRasa) -> None:
    result = in_rasa(
        _TRACKERS
        + """
from rasa_ext.tracker_store import WindowedTrackerStore

class Clock:
    now = 0.0
    def __call__(self):
        return self.now

clock = Clock()
store = WindowedTrackerStore(domain, idle_seconds=600, max_conversations=3, clock=clock)

async def run():
    for n in range(5):
        await store.save(tracker(f"web-{n}"))
        clock.now += 1
    kept = sorted(await store.keys())
    gone = await store.retrieve("web-0")
    parses = sorted(store._latest_parse)
    clock.now += 600  # web-4 was saved 601 s ago
    return kept, gone, parses, await store.retrieve("web-4"), len(await store.keys())

kept, gone, parses, expired, left = asyncio.run(run())
print(json.dumps({"kept": kept, "gone": gone is None, "parses": parses,
                  "expired": expired is None, "left": left}))
"""
    )

    assert result == {
        "kept": ["web-2", "web-3", "web-4"],
        "gone": True,
        "parses": ["web-2", "web-3", "web-4"],
        "expired": True,
        "left": 0,
    }


def test_the_redis_store_expires_and_keeps_at_most_the_bound(
    in_rasa: InRasa, redis_store_options: str
) -> None:
    result = in_rasa(
        _TRACKERS
        + f"""
from rasa_ext.eviction import redis_index_key
from rasa_ext.tracker_store import WindowedRedisTrackerStore

options = dict({redis_store_options},
               idle_seconds=120, max_conversations=3)
one = WindowedRedisTrackerStore(domain, **options)
two = WindowedRedisTrackerStore(domain, **options)  # another replica

async def run():
    for n in range(6):  # two replicas share the bound
        await (one if n % 2 else two).save(tracker(f"zalo-{{n}}"))
    keys = sorted(k[len(one.key_prefix):] for k in await one.keys())
    return keys, await two.retrieve("zalo-0"), await two.retrieve("zalo-5")

keys, gone, kept = asyncio.run(run())
ttl = one.red.ttl(one.key_prefix + "zalo-5")
index = redis_index_key(one.key_prefix)
members = one.red.zcard(index)
one.red.delete(index, *(one.key_prefix + k for k in keys))
print(json.dumps({{"keys": keys, "gone": gone is None, "kept": kept is not None,
                   "ttl_set": 0 < ttl <= 120, "index": members}}))
"""
    )

    assert result == {
        "keys": ["zalo-3", "zalo-4", "zalo-5"],
        "gone": True,
        "kept": True,
        "ttl_set": True,
        "index": 3,
    }
