"""Sessions on the notifier's tables for callers above the notifier (actions, channels)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from db.guard import guarded_session
from notifier.exceptions import NotifierUnavailable

__all__ = ["notifier_session"]


@contextmanager
def notifier_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session from `sessions`; a database failure raises NotifierUnavailable."""
    with guarded_session(sessions, NotifierUnavailable) as session:
        yield session
