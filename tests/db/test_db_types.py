"""The shared column types on both databases: UTC times (one convention) and string enums."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

import catalog.models  # noqa: F401 - every table in the metadata
import catalog.national.models  # noqa: F401
from db.base import Base
from db.types import UtcDateTime
from notifier.models import ChannelName, MessagePurpose, OutboxMessage, OutboxState
from status_client.models import DossierStatus

HANOI = timezone(timedelta(hours=7))


def a_row(**changes: object) -> OutboxMessage:
    values: dict[str, object] = {
        "idempotency_key": "types-1",
        "channel": ChannelName.TELEGRAM,
        "address": "42",
        "recipient_key": "telegram:42",
        "body": "x",
        "dossier_status": DossierStatus.WAITING,
        "available_at": datetime(2026, 12, 1, 8, 30, tzinfo=HANOI),
        "created_at": datetime(2026, 12, 1, 1, 30),  # naive: taken to be UTC
    }
    return OutboxMessage(**(values | changes))


def test_enums_and_times_come_back_typed(session: Session) -> None:
    session.add(a_row())
    session.flush()
    session.expire_all()
    row = session.scalars(select(OutboxMessage)).one()
    assert row.channel is ChannelName.TELEGRAM and row.state is OutboxState.PENDING
    assert row.purpose is MessagePurpose.STATUS and row.dossier_status is DossierStatus.WAITING
    assert row.available_at == row.created_at == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert row.available_at.tzinfo is UTC


def test_a_value_outside_the_enum_is_refused(session: Session) -> None:
    session.add(a_row(channel="fax"))
    with pytest.raises(StatementError, match="fax"):
        session.flush()


def test_every_time_column_is_naive_utc(session: Session) -> None:
    columns = [c for t in Base.metadata.tables.values() for c in t.columns]
    times = [c for c in columns if isinstance(c.type, DateTime | UtcDateTime)]
    assert times and all(isinstance(c.type, UtcDateTime) for c in times), times
    if session.get_bind().dialect.name == "postgresql":
        zoned = session.scalars(
            text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'"
            )
        ).all()
        assert zoned == []
