"""Tracker stores that keep a bounded window of each conversation.

Stock Rasa stores every event of a conversation and, on every message, deserialises,
replays and re-serialises all of them; the policies featurise the whole history too.
The cost of message 300 is then several times the cost of message 1. Our dialogue is
rule-shaped (intent → action) and the only memory it needs is the `procedure_code` and
`dossier_code` slots, so we store:

    [action_session_start, session_started]   the session-start prefix
    [slot_set ...]                             a snapshot of the slot values at the cut
    [action_listen]                            so the window starts like any turn
    [user ... ] * max_turns                    the last N user turns, cut at a user event

`WindowedTrackerStore` (in memory) is what the assistant runs with: each conversation
lives in the one Rasa process the gateway sends it to (by sender id; RASA_PROCESSES), and
a lost conversation window costs a citizen one repeated procedure name.
`WindowedRedisTrackerStore` is the same window kept in Redis, for several Rasa replicas.

Both forget idle conversations and keep at most a bounded number (`rasa_ext.eviction`):
a million distinct senders cannot grow Rasa's memory (or Redis's) without bound.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from functools import cache
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import action_response
from rasa_ext.eviction import Bounds, ExpiringLru, redis_save_bounded

__all__ = [
    "DEFAULT_MAX_TURNS",
    "WindowedRedisTrackerStore",
    "WindowedTrackerStore",
    "window_events",
]

logger = logging.getLogger(__name__)

# Every Rasa process that keeps its conversations here (endpoints.yml) also calls our
# action server; see rasa_ext.action_response for why its answers are checked this way.
action_response.install()

DEFAULT_MAX_TURNS = 8


def _session_start_index(events: list[Event]) -> int:
    """Index where the latest conversation session begins (0 when there is none)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            previous = events[index - 1] if index > 0 else None
            if (
                isinstance(previous, ActionExecuted)
                and previous.action_name == ACTION_SESSION_START_NAME
            ):
                return index - 1
            return index
    return 0


def _session_prefix(session: list[Event]) -> list[Event]:
    """The action_session_start / session_started events that open a session."""
    prefix: list[Event] = []
    for event in session[:2]:
        if isinstance(event, SessionStarted) or (
            isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
        ):
            prefix.append(event)
        else:
            break
    return prefix


def _slot_snapshot(
    sender_id: str, head: list[Event], domain: Domain, timestamp: float
) -> list[Event]:
    """SlotSet events recreating the slot values that `head` leaves behind."""
    replayed = DialogueStateTracker.from_events(sender_id, head, domain.slots)
    snapshot: list[Event] = []
    for name, slot in replayed.slots.items():
        if slot.value != slot.initial_value:
            snapshot.append(SlotSet(name, slot.value, timestamp=timestamp))
    return snapshot


def window_events(
    sender_id: str, events: list[Event], domain: Domain, max_turns: int
) -> tuple[list[Event], bool]:
    """Return the events to store and whether anything was cut.

    Keeps the latest session only; within it the last `max_turns` user turns, preceded
    by the session-start prefix, a snapshot of the slots and an `action_listen`.
    """
    start = _session_start_index(events)
    session = events[start:]
    user_indices = [i for i, e in enumerate(session) if isinstance(e, UserUttered)]
    if len(user_indices) <= max_turns:
        return session, start > 0

    cut = user_indices[-max_turns]
    head, window = session[:cut], session[cut:]
    prefix = _session_prefix(head)
    stamp = head[-1].timestamp if head else window[0].timestamp
    snapshot = _slot_snapshot(sender_id, head, domain, stamp)
    listen = ActionExecuted(ACTION_LISTEN_NAME, timestamp=stamp)
    return prefix + snapshot + [listen] + window, True


@cache
def _event_class(type_name: str) -> type[Event] | None:
    """The Event subclass for `type_name` (Rasa searches every subclass on each event)."""
    return Event.resolve_by_type(type_name, None) if type_name != "topic" else None


def _events_from_dicts(serialised: list[dict[str, Any]]) -> list[Event]:
    """`rasa.shared.core.events.deserialise_events` with the class lookup cached."""
    events: list[Event] = []
    for parameters in serialised:
        type_name = parameters.get("event")
        event_class = _event_class(type_name) if type_name else None
        event = event_class._from_parameters(parameters) if event_class else None
        if event is None:
            logger.warning("dropped a stored event that cannot be read: %r", type_name)
            continue
        events.append(event)
    return events


class _WindowMixin:
    """Shared option parsing and the latest-parse cache the channel reads."""

    max_turns: int
    domain: Domain

    def _init_window(self, max_turns: Any) -> None:
        value = int(max_turns) if max_turns is not None else DEFAULT_MAX_TURNS
        if value < 1:
            raise ValueError(f"max_turns must be at least 1, not {max_turns!r}")
        self.max_turns = value
        self._latest_parse: dict[str, dict[str, Any]] = {}

    def _windowed_text(self, tracker: DialogueStateTracker) -> str:
        """Remember the latest parse, cut the events and serialise them."""
        latest = tracker.latest_message
        if latest is not None and latest.intent:
            self._latest_parse[tracker.sender_id] = {
                "intent": latest.intent.get("name"),
                "confidence": latest.intent.get("confidence"),
            }
        events, _ = window_events(
            tracker.sender_id, list(tracker.events), self.domain, self.max_turns
        )
        return json.dumps({"name": tracker.sender_id, "events": [e.as_dict() for e in events]})

    def deserialise_tracker(
        self, sender_id: str, serialised_tracker: str | bytes
    ) -> DialogueStateTracker | None:
        """Rebuild a stored window (as Rasa does, without its per-event class search)."""
        tracker = self.init_tracker(sender_id)  # type: ignore[attr-defined]
        stored = json.loads(serialised_tracker)
        dialogue = Dialogue(stored.get("name"), _events_from_dicts(stored.get("events", [])))
        tracker.recreate_from_dialogue(dialogue)
        return tracker

    def pop_latest_parse(self, sender_id: str) -> dict[str, Any] | None:
        """Intent name and confidence of the sender's last message, once."""
        return self._latest_parse.pop(sender_id, None)


class WindowedTrackerStore(_WindowMixin, InMemoryTrackerStore):
    """In-memory tracker store keeping only the last `max_turns` user turns.

    Conversations idle longer than `idle_seconds` are forgotten, and at most
    `max_conversations` are kept (least recently saved evicted first).
    """

    def __init__(
        self,
        domain: Domain,
        event_broker: EventBroker | None = None,
        max_turns: int | None = DEFAULT_MAX_TURNS,
        idle_seconds: float | None = None,
        max_conversations: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        """Create the store; the options come from endpoints.yml (see rasa_ext.eviction)."""
        kwargs.pop("host", None)
        super().__init__(domain, event_broker, **kwargs)
        self._init_window(max_turns)
        bounds = Bounds.resolve(idle_seconds, max_conversations)
        self.store = ExpiringLru(bounds, clock, on_evict=self._forget)

    def _forget(self, sender_id: str) -> None:
        self._latest_parse.pop(sender_id, None)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the windowed conversation."""
        await self.stream_events(tracker)
        self.store[tracker.sender_id] = self._windowed_text(tracker)


class WindowedRedisTrackerStore(_WindowMixin, RedisTrackerStore):
    """Redis tracker store keeping only the last `max_turns` user turns.

    Each conversation expires (Redis EXPIRE) after `idle_seconds` without a message
    (Rasa's `record_exp`, when set, is used instead), and at most `max_conversations`
    are kept across every replica sharing the `key_prefix`.
    """

    def __init__(
        self,
        domain: Domain,
        host: str = "localhost",
        event_broker: EventBroker | None = None,
        max_turns: int | None = DEFAULT_MAX_TURNS,
        idle_seconds: float | None = None,
        max_conversations: int | None = None,
        **kwargs: Any,
    ) -> None:
        """Create the store; Redis options as for Rasa's `redis` tracker store."""
        super().__init__(domain, host=host or "localhost", event_broker=event_broker, **kwargs)
        self._init_window(max_turns)
        idle = idle_seconds if idle_seconds is not None else self.record_exp
        self.bounds = Bounds.resolve(idle, max_conversations)

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Store the windowed conversation (replacing, not merging, the stored one)."""
        await self.stream_events(tracker)
        bounds = Bounds(timeout, self.bounds.max_conversations) if timeout else self.bounds
        text = self._windowed_text(tracker)
        for sender_id in redis_save_bounded(
            self.red, self.key_prefix, tracker.sender_id, text, bounds
        ):
            self._latest_parse.pop(sender_id, None)
