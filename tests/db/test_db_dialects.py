"""The one dialect-specific insert, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.dialects import insert_ignoring_conflicts
from notifier.models import NotifierCursor


def test_a_conflicting_row_is_ignored(session: Session) -> None:
    dialect = session.get_bind().dialect
    now = datetime(2026, 12, 1, tzinfo=UTC)
    for position in ("1", "2"):
        statement = insert_ignoring_conflicts(NotifierCursor, dialect, conflict=["name"])
        session.execute(statement.values(name="dialects", position=position, updated_at=now))
    kept = session.scalars(select(NotifierCursor.position).where(NotifierCursor.name == "dialects"))
    assert list(kept) == ["1"]
    assert session.scalar(select(func.count()).select_from(NotifierCursor)) == 1


def test_another_database_is_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        insert_ignoring_conflicts(NotifierCursor, "mysql", conflict=["name"])
