"""Recording what became of claimed rows, only while the lease is still ours.

Results are written with `WHERE lease_owner = :me AND state = 'sending'`: a sender that
lost its lease (it hung past it, another sender re-claimed the row) cannot overwrite the
newer attempt. A retry that was our fault (a provider's rate limit, rotated credentials)
gives back the attempt its claim counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from notifier.models import ChannelName, OutboxMessage, OutboxState

__all__ = ["Outcome", "record"]

_TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row."""

    message_id: int
    kind: Literal["sent", "retry", "failed", "suppressed"]
    provider_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    retry_at: datetime | None = None
    # For retries: whether the provider may have accepted the attempt anyway.
    uncertain: bool = False
    # For retries: False when the attempt failed by our fault (429, credentials) and so
    # does not count against the message.
    counted: bool = True
    # The row's channel, when the caller knows it: sent rows of a channel without
    # recipient spacing are then recorded together.
    channel: ChannelName | None = None


def record(
    session: Session,
    *,
    owner: str,
    outcomes: Iterable[Outcome],
    now: datetime,
    spacing: Mapping[ChannelName, timedelta] | None = None,
) -> int:
    """Write outcomes of rows leased by `owner`; return how many leases had been lost.

    `spacing` per channel pushes the recipient's next row back (1 message a second per
    Telegram chat, kept across sender processes).
    """
    outcomes = list(outcomes)
    gaps = spacing or {}

    # The common case, sent rows of channels without spacing, goes in one executemany.
    def plain(outcome: Outcome) -> bool:
        return (
            outcome.kind == "sent" and outcome.channel is not None and not gaps.get(outcome.channel)
        )

    lost = _record_sent(session, owner=owner, outcomes=[o for o in outcomes if plain(o)], now=now)
    for outcome in outcomes:
        if plain(outcome):
            continue
        values = _values(outcome, now)
        result = session.execute(
            update(_TABLE)
            .where(
                _TABLE.c.id == outcome.message_id,
                _TABLE.c.lease_owner == owner,
                _TABLE.c.state == OutboxState.SENDING,
            )
            .values(**values)
            .returning(_TABLE.c.channel, _TABLE.c.recipient_key)
        ).first()
        if result is None:
            lost += 1
            continue
        gap = gaps.get(result.channel)
        if outcome.kind == "sent" and gap:
            session.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.recipient_key == result.recipient_key,
                    _TABLE.c.state == OutboxState.PENDING,
                    _TABLE.c.available_at < now + gap,
                )
                .values(available_at=now + gap)
            )
    return lost


def _values(outcome: Outcome, now: datetime) -> dict[str, object]:
    """The columns one outcome sets on its row (the lease is always released)."""
    values: dict[str, object] = {"lease_owner": None, "lease_until": None}
    if outcome.kind == "sent":
        return values | {
            "state": OutboxState.SENT,
            "provider_id": outcome.provider_id,
            "sent_at": now,
            "outcome_unknown": False,
            "error_code": None,
            "error_message": None,
        }
    errors = {"error_code": outcome.error_code, "error_message": outcome.error_message}
    if outcome.kind == "retry":
        return (
            values
            | errors
            | {
                "state": OutboxState.PENDING,
                # The claim counted an attempt; a fault of ours gives it back.
                "attempts": _TABLE.c.attempts - (0 if outcome.counted else 1),
                "available_at": outcome.retry_at or now,
                "outcome_unknown": outcome.uncertain,
            }
        )
    state = OutboxState.FAILED if outcome.kind == "failed" else OutboxState.SUPPRESSED
    return values | errors | {"state": state}


def _record_sent(session: Session, *, owner: str, outcomes: list[Outcome], now: datetime) -> int:
    """Mark `outcomes` (all "sent") in one executemany; return how many leases were lost."""
    if not outcomes:
        return 0
    statement = (
        update(_TABLE)
        .where(
            _TABLE.c.id == bindparam("message_id"),
            _TABLE.c.lease_owner == owner,
            _TABLE.c.state == OutboxState.SENDING,
        )
        .values(
            state=OutboxState.SENT,
            provider_id=bindparam("provider_id"),
            sent_at=now,
            outcome_unknown=False,
            error_code=None,
            error_message=None,
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    parameters = [{"message_id": o.message_id, "provider_id": o.provider_id} for o in outcomes]
    result = session.connection().execute(statement, parameters)
    return len(outcomes) - max(0, result.rowcount)
