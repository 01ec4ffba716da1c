"""Zalo events stored by the webhook (`zalo_event`), answered by the gateway's worker.

The webhook (`bot.channels.zalo`) stores each checked event in one INSERT keyed by its
`event_key` (a replay inserts nothing) and answers 200; the worker
(`bot.channels.inbox_worker`) claims it, records what it says about the user (the time
they wrote, which opens the send window, or that they followed or left) as of the
event's arrival, and acts on it (`bot.channels.zalo_events`), one user's events in order.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import AsyncIterator, Hashable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.inbox_worker import InboxWorker, Outcome, Retry, process_owner
from bot.channels.turn import TurnRunner
from bot.channels.zalo_events import handle_event, user_of
from bot.channels.zalo_oa_client import ZaloOutbound
from db.inbox import Inbox, StoredUpdate
from db.statements import StatementPool
from settings import Settings
from zalo_oa.followers import follower_statements
from zalo_oa.models import ZaloEvent

__all__ = ["EVENT_KEY_CHARS", "ZaloEvents", "event_key", "zalo_events", "zalo_inbox"]

EVENT_KEY_CHARS = 160  # zalo_event.event_key
# A stored row whose replies Zalo could not take yet: {UNSENT: [bodies], "user": id}.
UNSENT = "unsent_replies"


def event_key(event: dict[str, Any]) -> str:
    """What makes an event unique: its msg_id, else its name, sender and timestamp.

    A key longer than the column (an odd msg_id or user id) becomes the SHA-256 of the
    whole key rather than being cut, which could make two events one.
    """
    message = event.get("message")
    msg_id = message.get("msg_id") if isinstance(message, dict) else None
    if isinstance(msg_id, str) and msg_id:
        key = "msg:" + msg_id
    else:
        who = event.get("follower") or event.get("sender")
        sender = who.get("id") if isinstance(who, dict) else None
        sender = sender if isinstance(sender, str) else "-"
        key = f"{event['event_name']}:{sender}:{event['timestamp']}"
    if len(key) <= EVENT_KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class _ZaloUpdates:
    """The worker's processor of stored Zalo events."""

    def __init__(self, turns: TurnRunner, outbound: ZaloOutbound, inbox: Inbox) -> None:
        self.turns = turns
        self.outbound = outbound
        self.engine = inbox.engine
        self.statements = inbox.statements

    def conversation(self, update: StoredUpdate) -> Hashable | None:
        """The user: their events are answered in order."""
        stored = json.loads(update.payload)
        return stored.get("user") if UNSENT in stored else user_of(stored)

    async def _note_user(self, event: dict[str, Any], at: datetime) -> None:
        name, user = event["event_name"], user_of(event)
        following = {"follow": True, "unfollow": False}.get(name)
        if user is None or (following is None and not name.startswith("user_send_")):
            return  # receipts and other events say nothing about the user's window
        statements = follower_statements(
            self.engine.dialect, user, now=at, wrote=following is None, following=following
        )

        def note(connection: Connection) -> None:
            for statement in statements:
                connection.execute(statement)

        await self.statements.transaction(note)

    async def process(self, update: StoredUpdate) -> Outcome | Retry:
        """Record what the event says about its user, act on it and send the replies;
        replies Zalo could not take yet are kept (instead of the event) for a later try."""
        stored = json.loads(update.payload)
        if UNSENT in stored:  # a later try: only the replies left, Rasa is not asked again
            messages = stored[UNSENT]
        else:
            await self._note_user(stored, update.received_at)
            messages = await handle_event(self.turns, self.outbound, stored)
        delivery = await self.outbound.deliver(messages)
        if delivery.complete:
            return Outcome.DONE
        if not delivery.passing:
            return Outcome.FAILED
        left = {UNSENT: delivery.unsent, "user": user_of(stored) or stored.get("user")}
        return Retry(json.dumps(left, ensure_ascii=False, separators=(",", ":")))


class ZaloEvents:
    """The store the webhook writes to, and the worker that answers what it holds."""

    def __init__(self, inbox: Inbox, worker: InboxWorker) -> None:
        self.inbox = inbox
        self.worker = worker

    async def store(self, event: dict[str, Any]) -> bool:
        """Store a checked event for the worker; False when it was stored before."""
        values = {
            "event_key": event_key(event),
            "event_name": event["event_name"][:48],
            "received_at": datetime.now(UTC),
            "payload": json.dumps(event, ensure_ascii=False, separators=(",", ":")),
        }
        stored = await self.inbox.store(values)
        if stored:
            self.worker.wake()
        return stored


def zalo_inbox(
    engine: AsyncEngine, statements: StatementPool, *, owner: str, lease: timedelta
) -> Inbox:
    """The stored Zalo events, claimed under `owner`'s leases."""
    return Inbox.of(
        ZaloEvent,
        engine=engine,
        statements=statements,
        stored=("event_key", "event_name", "received_at", "payload"),
        conflict=("event_key",),
        received="received_at",
        owner=owner,
        lease=lease,
    )


@contextlib.asynccontextmanager
async def zalo_events(
    settings: Settings,
    *,
    turns: TurnRunner,
    outbound: ZaloOutbound,
    engine: AsyncEngine,
    statements: StatementPool,
) -> AsyncIterator[ZaloEvents]:
    """The Zalo store and its worker, for the gateway's lifespan."""
    lease = timedelta(seconds=settings.channel_update_lease_seconds)
    inbox = zalo_inbox(engine, statements, owner=process_owner(), lease=lease)
    retention = timedelta(days=settings.notify_retention_days)
    processor = _ZaloUpdates(turns, outbound, inbox)
    first_retry = timedelta(seconds=settings.channel_retry_first_seconds)
    worker = InboxWorker(
        inbox,
        processor,
        name="zalo",
        retention=retention,
        first_retry=first_retry,
        concurrency=settings.channel_worker_concurrency,
    )
    worker.start()
    try:
        yield ZaloEvents(inbox, worker)
    finally:
        await worker.stop()
