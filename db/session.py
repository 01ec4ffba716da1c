"""Engines, sessions and schema upgrades for SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "make_engine",
    "make_async_engine",
    "make_session_factory",
    "make_async_session_factory",
    "upgrade_to_head",
    "alembic_config",
]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Statement parameters (phones, message texts, codes) stay out of error messages and logs.
_PRIVATE: dict[str, Any] = {"hide_parameters": True}


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on and its parent folder created."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False}, **{**_PRIVATE, **kwargs}
        )
        _set_sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **{**_PRIVATE, **kwargs})


def make_async_engine(url: str) -> AsyncEngine:
    """An asyncio engine on the same database as `make_engine(url)` (same pragmas).

    For hot request paths: statements run on the event loop (psycopg's async mode,
    aiosqlite for SQLite) instead of a thread each, which under load cost more in thread
    hand-offs than the database did. The sync ORM code runs on it through `run_sync`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(parsed.set(drivername="sqlite+aiosqlite"), **_PRIVATE)
        _set_sqlite_pragmas(engine.sync_engine)
        return engine
    if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No pre-ping (a round trip per checkout, as much as the statement itself): callers
    # retry once on a connection the database dropped (`DBAPIError.connection_invalidated`).
    return create_async_engine(parsed, **_PRIVATE)


def make_async_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The asyncio counterpart of `make_session_factory`."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _set_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives
        # the process being killed (SIGKILL: it is in the OS's cache), only a power cut
        # may take the last ones back. SQLite is the development database (production
        # runs PostgreSQL); a sync per commit made each webhook's ack wait 4-19 ms.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for `url`, independent of the working directory."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    """Bring the schema at `url` to the newest migration (idempotent)."""
    command.upgrade(alembic_config(url), "head")
