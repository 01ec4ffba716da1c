"""One hot statement per webhook call, on a pooled async connection.

The webhooks (inbound SMS, Telegram, Zalo) each answer after exactly one INSERT … ON
CONFLICT DO NOTHING RETURNING: the text or update stored, or found stored already (a
replay). Under 50 concurrent senders its cost decides the webhook's latency: a thread
hop per statement (sync SQLAlchemy) or SQLAlchemy's asyncio layer cost several times
the round trip itself. On PostgreSQL the statement therefore goes straight through a
psycopg connection pool (autocommit, server-side prepared); on SQLite (development)
through the process's one writer thread (`db.sqlite_writer`), where the statements
arriving together are committed together.

The process's other writes to these tables (the workers' claims, lease renewals, marks)
go through `transaction`: on SQLite to that same thread, so that no write transaction
is ever held open while the event loop waits; on PostgreSQL through the async engine.

No connection check on checkout (a round trip as expensive as the statement): a
connection the database dropped (a restart) fails once and the statement is retried once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

from db.session import make_engine
from db.sqlite_writer import SqliteWriter

__all__ = ["HotStatement", "StatementPool", "open_statement_pool", "reconnecting"]

log = logging.getLogger("db.statements")

T = TypeVar("T")

_PG_DIALECT = PGDialect_psycopg()
_SQLITE_DIALECT = SQLiteDialect_pysqlite()
# Twilio gives up on a webhook after 15 s, Zalo after 2 s: fail early, not after 30 s.
CHECKOUT_TIMEOUT_SECONDS = 5.0


class HotStatement(Protocol):
    """One prepared INSERT … RETURNING."""

    async def returns_row(self, params: Mapping[str, object]) -> bool:
        """Run it with `params`: True when it returned a row (something was inserted)."""
        ...


class StatementPool(Protocol):
    """Where hot statements run (one per process, shared by the webhooks)."""

    def prepare(self, statement: Insert) -> HotStatement:
        """`statement` (built with bind parameters) ready to run many times."""
        ...

    async def transaction(self, work: Callable[[Connection], T]) -> T:
        """`work(connection)` (synchronous) in a write transaction, committed after it.

        On SQLite it runs on the writer thread, in one transaction with the other writes
        waiting at that moment (run again alone if one of them fails): keep it to a few
        statements, with no effect outside the database.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class _PostgresStatement:
    def __init__(self, pool: AsyncConnectionPool[Any], statement: Insert) -> None:
        self._pool = pool
        compiled = statement.compile(dialect=_PG_DIALECT)
        self._sql = str(compiled)
        # psycopg skips SQLAlchemy's type processing: apply each parameter's own (the
        # UTC datetimes stored naive, as `db.types.UtcDateTime` does).
        self._processors = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.bind_processor(_PG_DIALECT)) is not None
        }

    async def _run_once(self, params: Mapping[str, object]) -> bool:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(self._sql, params, prepare=True)
            return await cursor.fetchone() is not None

    async def returns_row(self, params: Mapping[str, object]) -> bool:
        processors = self._processors
        values = {
            name: processors[name](value) if name in processors else value
            for name, value in params.items()
        }
        # A restart leaves every idle pooled connection dead, not just the one that failed:
        # check them all (one round trip each) before the retry takes another.
        return await reconnecting(lambda: self._run_once(values), before_retry=self._pool.check)


class _PostgresPool:
    def __init__(self, conninfo: str, engine: AsyncEngine, *, max_size: int) -> None:
        self._engine = engine
        self._pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True},
            open=False,
            timeout=CHECKOUT_TIMEOUT_SECONDS,
        )

    async def open(self) -> None:
        await self._pool.open()

    def prepare(self, statement: Insert) -> HotStatement:
        return _PostgresStatement(self._pool, statement)

    async def transaction(self, work: Callable[[Connection], T]) -> T:
        async def run() -> T:
            async with self._engine.begin() as connection:
                return await connection.run_sync(work)

        return await reconnecting(run)

    async def aclose(self) -> None:
        await self._pool.close()


class _SqliteStatement:
    def __init__(self, writer: SqliteWriter, statement: Insert) -> None:
        self._writer = writer
        # Compiled once: SQLAlchemy cannot cache an INSERT … ON CONFLICT on SQLite, and
        # compiling it per call cost as much as running it.
        compiled = statement.compile(dialect=_SQLITE_DIALECT)
        self._sql = str(compiled)
        self._names = list(compiled.positiontup or ())
        self._processors = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.bind_processor(_SQLITE_DIALECT)) is not None
        }

    async def returns_row(self, params: Mapping[str, object]) -> bool:
        processors = self._processors
        values = tuple(
            processors[name](params[name]) if name in processors else params[name]
            for name in self._names
        )
        return await self._writer.insert_returns_row(self._sql, values)


class _SqlitePool:
    def __init__(self, database_url: str) -> None:
        self._writer = SqliteWriter(make_engine(database_url))

    def prepare(self, statement: Insert) -> HotStatement:
        return _SqliteStatement(self._writer, statement)

    async def transaction(self, work: Callable[[Connection], T]) -> T:
        return await self._writer.transaction(work)

    async def aclose(self) -> None:
        """Let what was submitted commit, then stop the writer."""
        await self._writer.aclose()


async def reconnecting(
    work: Callable[[], Awaitable[T]],
    *,
    before_retry: Callable[[], Awaitable[object]] | None = None,
) -> T:
    """Run `work`, once more if it met a connection the database had dropped (a restart).

    Neither the async engine nor the psycopg pool checks connections on checkout (a round
    trip per checkout, as much as the webhook's one statement). SQLAlchemy's pool, told of
    a disconnect, retires every connection older than it; psycopg's pool needs
    `before_retry` to check its idle connections.
    """
    try:
        return await work()
    except (DBAPIError, psycopg.OperationalError) as error:
        # SQLAlchemy says so on its error; psycopg's pool discards a broken connection
        # when it is returned, so a plain OperationalError is worth one more try too.
        if isinstance(error, DBAPIError) and not error.connection_invalidated:
            raise
        log.warning("database connection lost (restart?); retrying once: %s", error)
        if before_retry is not None:
            await before_retry()
        return await work()


async def open_statement_pool(
    database_url: str, engine: AsyncEngine, *, max_size: int = 20
) -> StatementPool:
    """Hot statements for `database_url`: psycopg's pool on PostgreSQL (transactions on
    `engine`), else SQLite's writer thread."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return _SqlitePool(database_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    pg = _PostgresPool(conninfo, engine, max_size=max_size)
    await pg.open()
    return pg
