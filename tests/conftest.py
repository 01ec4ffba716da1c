"""Shared fixtures: a fresh, migrated database on SQLite and on PostgreSQL.

PostgreSQL is used for real when it answers at TEST_POSTGRES_URL (default: the local
server, database `test`, user postgres). Each test session creates its own database
there and drops it at the end, so parallel sessions do not collide. Where PostgreSQL is
absent the PostgreSQL half is skipped, unless REQUIRE_POSTGRES=1 (set by .ci/run), which
turns the absence into a failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pg_admin import temporary_database
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import make_engine, upgrade_to_head


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade_to_head(url)
        yield url
        return
    with temporary_database(f"assistant_test_{uuid.uuid4().hex[:12]}") as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as db_session:
            yield db_session
        if transaction.is_active:
            transaction.rollback()
