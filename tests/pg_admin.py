"""PostgreSQL server actions the tests take: the admin URL, dropping and refusing connections.

A restart as clients see it is every connection dropped and new ones refused for a while;
`refusing_connections` does that to one database without touching the server's others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, text

__all__ = ["ADMIN_URL", "admin_engine", "drop_connections", "refusing_connections"]

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def admin_engine() -> Engine:
    """An autocommit engine on the admin database (CREATE/ALTER/DROP DATABASE need one)."""
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


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
