"""Chores on the notifier's tables: put failed rows back (`python -m notifier requeue`),
and delete personal data past its retention (`python -m notifier purge`, and every
`NOTIFY_PURGE_INTERVAL_SECONDS` in the watcher process).

Retention (`NOTIFY_RETENTION_DAYS`, 90 by default) covers what holds phone numbers and
texts: inbound SMS, delivery records (outbox rows that reached a final state: sent,
failed or suppressed; open rows are never deleted), one-time-code challenges and the
record of how each Zalo notification was sent (`zalo_window_choice`) are deleted;
satisfaction-survey rows asked before it lose their address (the phone or chat
id) but keep the dossier code and rating: the office's statistics stay, and a dossier is
still never asked twice. Telegram updates and Zalo events taken in by the gateway are
the gateway's: its workers purge finished ones after the same retention
(`bot.channels.inbox_worker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from notifier.clock import Clock
from notifier.models import (
    OPEN_STATES,
    InboundSms,
    MessagePurpose,
    OutboxMessage,
    OutboxState,
    SubscriptionChallenge,
    SurveyRequest,
)
from zalo_oa.models import ZaloWindowChoice

__all__ = ["Purged", "purge_expired", "purge_periodically", "requeue_failed"]

log = logging.getLogger("notifier.upkeep")


def requeue_failed(
    session: Session,
    *,
    now: datetime,
    ids: Sequence[int] = (),
    since: datetime | None = None,
    error_code: str | None = None,
    channel: str | None = None,
) -> int:
    """Make failed rows pending again (all filters must match); return how many; caller commits.

    One-time codes are left out: theirs expired long ago, the citizen asks for a new one.
    A re-queued row keeps its place in its recipient's order and gets a fresh give-up age.
    """
    conditions: list[ColumnElement[bool]] = [
        OutboxMessage.state == OutboxState.FAILED,
        OutboxMessage.purpose != MessagePurpose.OTP,
    ]
    if ids:
        conditions.append(OutboxMessage.id.in_(list(ids)))
    if since is not None:
        conditions.append(OutboxMessage.created_at >= since)
    if error_code is not None:
        conditions.append(OutboxMessage.error_code == error_code)
    if channel is not None:
        conditions.append(OutboxMessage.channel == channel)
    statement = (
        update(OutboxMessage)
        .where(*conditions)
        .values(
            state=OutboxState.PENDING,
            available_at=now,
            requeued_at=now,
            attempts=0,
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Purged:
    """How many rows of each kind a purge deleted."""

    inbound_sms: int
    deliveries: int
    challenges: int
    surveys: int = 0  # survey rows whose address was erased
    window_choices: int = 0  # Zalo notifications' window choices deleted


def purge_expired(session: Session, *, now: datetime, retention: timedelta) -> Purged:
    """Delete inbound SMS, final outbox rows and challenges older than `retention`; erase
    the address of survey rows asked before it."""
    cutoff = now - retention

    def deleted(statement: object) -> int:
        return int(session.execute(statement).rowcount)  # type: ignore[call-overload,attr-defined]

    return Purged(
        inbound_sms=deleted(delete(InboundSms).where(InboundSms.received_at < cutoff)),
        deliveries=deleted(
            delete(OutboxMessage).where(
                OutboxMessage.created_at < cutoff, OutboxMessage.state.not_in(OPEN_STATES)
            )
        ),
        challenges=deleted(
            delete(SubscriptionChallenge).where(SubscriptionChallenge.created_at < cutoff)
        ),
        surveys=deleted(
            update(SurveyRequest)
            .where(SurveyRequest.asked_at < cutoff, SurveyRequest.address != "")
            .values(address="")
            .execution_options(synchronize_session=False)
        ),
        window_choices=deleted(
            delete(ZaloWindowChoice).where(ZaloWindowChoice.decided_at < cutoff)
        ),
    )


def purge_once(sessions: Callable[[], Session], *, now: datetime, retention: timedelta) -> Purged:
    """One purge in its own transaction, logged (counts only)."""
    with sessions() as session, session.begin():
        purged = purge_expired(session, now=now, retention=retention)
    log.info(
        "purged %d inbound SMS, %d delivery records, %d code challenges, %d survey "
        "addresses and %d Zalo window choices older than %s",
        purged.inbound_sms, purged.deliveries, purged.challenges, purged.surveys,
        purged.window_choices, retention,
    )  # fmt: skip
    return purged


async def purge_periodically(
    sessions: Callable[[], Session],
    *,
    retention: timedelta,
    interval: float,
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    """Purge now and then every `interval` seconds until `stop` is set."""
    while not stop.is_set():
        try:
            await asyncio.to_thread(purge_once, sessions, now=clock.now(), retention=retention)
        except SQLAlchemyError as error:
            log.warning("purge skipped, database unavailable: %s", error)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
