"""The outbox: every message is a row before it is sent; senders claim, send, record.

Claiming (one statement)::

    UPDATE notifier_outbox SET state='sending', lease_owner=:me, lease_until=now+lease,
           attempts=attempts+1, outcome_unknown = outcome_unknown OR state='sending'
     WHERE id IN (SELECT id FROM notifier_outbox c
                   WHERE (c.state='pending' AND c.available_at <= now
                          OR c.state='sending' AND c.lease_until < now)   -- expired lease
                     AND NOT EXISTS (an earlier row of the same recipient still open)
                   ORDER BY id LIMIT :n
                   FOR UPDATE SKIP LOCKED)                                -- PostgreSQL
       AND (the same due condition, re-checked)
    RETURNING ...

* Several sender processes on PostgreSQL never claim the same row (SKIP LOCKED plus the
  re-checked condition). On SQLite the database has one writer at a time; run one sender.
* Order per recipient: a row is claimable only when every earlier row of its recipient is
  final (sent, failed, suppressed), so message n+1 never leaves before n was accepted.
  One-time codes are ordered among themselves only: a code never waits behind a status
  SMS that quiet hours hold. Their bodies differ from any status body, so reconciliation
  (which matches on the body) still cannot mistake one for the other.
* A row found in `sending` with an expired lease belonged to a sender that died or hung
  after claiming it: the provider may or may not have accepted it, so it is claimed with
  `outcome_unknown` set and the dispatcher reconciles before sending again.
* Results are recorded only by the lease owner (`WHERE lease_owner = :me`), so a sender
  that lost its lease cannot overwrite a newer attempt (see notifier.outcomes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Table,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from db.dialects import insert_ignoring_conflicts
from notifier.models import OPEN_STATES, ChannelName, MessagePurpose, OutboxMessage, OutboxState
from status_client.models import DossierStatus

__all__ = [
    "ClaimedMessage",
    "NewMessage",
    "claim",
    "enqueue",
    "known_provider_ids",
    "recipient_key",
]

_TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]


def recipient_key(channel: ChannelName, address: str) -> str:
    """The key that orders one recipient's messages: `sms:+84901234567`."""
    return f"{channel}:{address}"


@dataclass(frozen=True)
class NewMessage:
    """A message to put into the outbox."""

    channel: ChannelName
    address: str
    body: str
    idempotency_key: str
    purpose: MessagePurpose = MessagePurpose.STATUS
    dossier_code: str | None = None
    dossier_status: DossierStatus | None = None
    urgent: bool = False


def enqueue(session: Session, messages: Sequence[NewMessage], *, now: datetime) -> None:
    """Insert `messages` in order (a repeated idempotency key is ignored); caller commits."""
    if not messages:
        return
    rows = [
        {
            "idempotency_key": m.idempotency_key,
            "channel": m.channel,
            "address": m.address,
            "recipient_key": recipient_key(m.channel, m.address),
            "body": m.body,
            "purpose": m.purpose,
            "dossier_code": m.dossier_code,
            "dossier_status": m.dossier_status,
            "urgent": m.urgent,
            "state": OutboxState.PENDING,
            "attempts": 0,
            "outcome_unknown": False,
            "available_at": now,
            "created_at": now,
        }
        for m in messages
    ]
    dialect = session.get_bind().dialect
    statement = insert_ignoring_conflicts(OutboxMessage, dialect, conflict=["idempotency_key"])
    # One executemany: still one INSERT per row, run in list order (so ids follow the order
    # of `messages` on every backend), but sent together (psycopg pipelines them).
    session.execute(statement, rows)


@dataclass(frozen=True)
class ClaimedMessage:
    """A row this sender holds a lease on."""

    id: int
    channel: ChannelName
    address: str
    body: str
    idempotency_key: str
    purpose: MessagePurpose
    urgent: bool
    attempts: int
    outcome_unknown: bool
    first_attempt_at: datetime
    lease_until: datetime
    # Since when the row has waited to go: queued, or re-queued by an operator.
    queued_at: datetime


def _due(table: FromClause, now: datetime) -> ColumnElement[bool]:
    """Pending and available, or sending under a lease that has expired."""
    c = table.c
    return or_(
        and_(c.state == OutboxState.PENDING, c.available_at <= now),
        and_(c.state == OutboxState.SENDING, c.lease_until < now),
    )


def _claimable(
    session: Session, *, now: datetime, limit: int, hold_sms: bool
) -> Select[tuple[int]]:
    """Ids of the oldest due rows with no earlier open row of their recipient."""
    candidate = _TABLE.alias("candidate")
    earlier = _TABLE.alias("earlier")
    earlier_open = exists(
        select(literal(1)).where(
            earlier.c.recipient_key == candidate.c.recipient_key,
            earlier.c.id < candidate.c.id,
            earlier.c.state.in_(OPEN_STATES),
            # A one-time code waits only for earlier codes, never behind status messages
            # (held by quiet hours, or retrying): it is useless in the morning.
            or_(
                candidate.c.purpose != MessagePurpose.OTP,
                earlier.c.purpose == MessagePurpose.OTP,
            ),
        )
    )
    conditions: list[ColumnElement[bool]] = [_due(candidate, now), ~earlier_open]
    if hold_sms:
        conditions.append(or_(candidate.c.channel != ChannelName.SMS, candidate.c.urgent))
    ids = select(candidate.c.id).where(*conditions).order_by(candidate.c.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True, of=candidate)
    return ids


def claim(
    session: Session,
    *,
    owner: str,
    now: datetime,
    limit: int,
    lease_seconds: float,
    hold_sms: bool = False,
) -> list[ClaimedMessage]:
    """Lease up to `limit` due rows, oldest first; with `hold_sms`, urgent SMS only."""
    ids = _claimable(session, now=now, limit=limit, hold_sms=hold_sms)
    statement = (
        update(_TABLE)
        .where(_TABLE.c.id.in_(ids.scalar_subquery()), _due(_TABLE, now))
        .values(
            state=OutboxState.SENDING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=_TABLE.c.attempts + 1,
            outcome_unknown=or_(_TABLE.c.outcome_unknown, _TABLE.c.state == OutboxState.SENDING),
            first_attempt_at=func.coalesce(_TABLE.c.first_attempt_at, now),
        )
        .returning(
            _TABLE.c.id,
            _TABLE.c.channel,
            _TABLE.c.address,
            _TABLE.c.body,
            _TABLE.c.idempotency_key,
            _TABLE.c.purpose,
            _TABLE.c.urgent,
            _TABLE.c.attempts,
            _TABLE.c.outcome_unknown,
            _TABLE.c.first_attempt_at,
            _TABLE.c.lease_until,
            func.coalesce(_TABLE.c.requeued_at, _TABLE.c.created_at),
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(statement).all()
    claimed = [ClaimedMessage(*row) for row in rows]
    return sorted(claimed, key=lambda message: message.id)


def known_provider_ids(session: Session, provider_ids: Iterable[str]) -> set[str]:
    """Which of `provider_ids` are already recorded against some outbox row."""
    wanted = list(provider_ids)
    if not wanted:
        return set()
    found = session.scalars(
        select(OutboxMessage.provider_id).where(OutboxMessage.provider_id.in_(wanted))
    )
    return {pid for pid in found if pid is not None}
