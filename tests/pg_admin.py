"""PostgreSQL actions the tests take: a database of their own, dropped and refused connections.

A restart as clients see it is every connection dropped and new ones refused for a while;
`refusing_connections` does that to one database without touching the server's others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

__all__ = [
    "ADMIN_URL",
    "admin_engine",
    "drop_connections",
    "refusing_connections",
    "temporary_database",
]

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def admin_engine() -> Engine:
    """An autocommit engine on the admin database (CREATE/ALTER/DROP DATABASE need one)."""
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def temporary_database(name: str) -> Iterator[str]:
    """Inside: the URL of a new, empty database `name`, dropped on exit.

    No PostgreSQL skips the test, or fails it with REQUIRE_POSTGRES=1 (CI sets it).
    """
    admin = admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        admin.dispose()
        message = f"PostgreSQL unreachable at {ADMIN_URL}: {error}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def drop_connections(connection: Connection, name: str) -> int:
    """Terminate every other connection to database `name`; how many there were."""
    dropped = connection.scalar(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )
    return int(dropped or 0)


@contextmanager
def refusing_connections(name: str) -> Iterator[None]:
    """Inside: database `name` has lost its connections and refuses new ones."""
    admin = admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            try:
                drop_connections(connection, name)
                yield
            finally:
                connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()
