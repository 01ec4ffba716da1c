"""Operators' chores on the outbox: put failed rows back (`python -m notifier requeue`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session

from notifier.models import MessagePurpose, OutboxMessage, OutboxState

__all__ = ["requeue_failed"]


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
