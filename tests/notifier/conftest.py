"""Notifier fixtures: clean notifier tables, a session factory, fakes of providers and feeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from db import make_session_factory
from notifier.models import (
    InboundSms,
    NotifierCursor,
    OptOut,
    OutboxMessage,
    Subscription,
    SubscriptionChallenge,
    SurveyRequest,
)
from testing.clock import FakeClock

NOTIFIER_TABLES = (
    OutboxMessage,
    NotifierCursor,
    OptOut,
    Subscription,
    SubscriptionChallenge,
    SurveyRequest,
    InboundSms,
)

# 10:00 in Hanoi, outside quiet hours.
MORNING = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on empty notifier tables (tests here commit for real)."""
    factory = make_session_factory(engine)

    def wipe() -> None:
        with factory() as session, session.begin():
            for table in NOTIFIER_TABLES:
                session.execute(delete(table))

    wipe()
    yield factory
    wipe()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)
