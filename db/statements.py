"""One hot statement per webhook call, on a pooled async connection.

The webhooks (inbound SMS, Telegram, Zalo) each answer after exactly one INSERT … ON
CONFLICT DO NOTHING RETURNING: the text or update stored, or found stored already (a
replay). Under 50 concurrent senders its cost decides the webhook's latency: a thread
hop per statement (sync SQLAlchemy) or SQLAlchemy's asyncio layer cost several times
the round trip itself. On PostgreSQL the statement therefore goes straight through a
psycopg connection pool (autocommit, server-side prepared); elsewhere (SQLite in
development) through the SQLAlchemy async engine, where the statements arriving
together are committed together and the process's writers take turns (`serial`).

No connection check on checkout (a round trip as expensive as the statement): a
connection the database dropped (a restart) fails once and the statement is retried once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

__all__ = ["HotStatement", "StatementPool", "open_statement_pool", "reconnecting"]

log = logging.getLogger("db.statements")

T = TypeVar("T")

_PG_DIALECT = PGDialect_psycopg()
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

    def serial(self) -> AbstractAsyncContextManager[object]:
        """Held around the process's other writes to the same tables (SQLite: one writer
        at a time; nothing on PostgreSQL)."""
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
    def __init__(self, conninfo: str, *, max_size: int) -> None:
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

    def serial(self) -> AbstractAsyncContextManager[object]:
        return contextlib.nullcontext()

    async def aclose(self) -> None:
        await self._pool.close()


class _SqlAlchemyStatement:
    def __init__(self, pool: _SqlitePool, statement: Insert) -> None:
        self._pool = pool
        self._statement = statement

    async def returns_row(self, params: Mapping[str, object]) -> bool:
        return await self._pool.submit(self._statement, params)


_Waiting = tuple[Insert, Mapping[str, object], "asyncio.Future[bool]"]


class _SqlitePool:
    """SQLite's one writer at a time, in this process: hot statements waiting together are
    committed together (one transaction, one WAL sync for all), and other writes wait
    their turn on `serial` instead of in SQLite's busy loop, whose growing sleeps let a
    steady stream of writers starve one of them for seconds."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._lock = asyncio.Lock()
        self._waiting: list[_Waiting] = []
        self._flusher: asyncio.Task[None] | None = None

    def prepare(self, statement: Insert) -> HotStatement:
        return _SqlAlchemyStatement(self, statement)

    def serial(self) -> AbstractAsyncContextManager[object]:
        return self._lock

    async def submit(self, statement: Insert, params: Mapping[str, object]) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((statement, params, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            async with self._lock:
                try:
                    results = await reconnecting(functools.partial(self._run, batch))
                except Exception:  # one bad row must not fail the others: each on its own
                    for waiting in batch:
                        await self._run_alone(waiting)
                    continue
            for (_, _, future), result in zip(batch, results, strict=True):
                if not future.done():  # the caller may have gone (a client that hung up)
                    future.set_result(result)

    async def _run(self, batch: list[_Waiting]) -> list[bool]:
        async with self._engine.begin() as connection:
            return [
                (await connection.execute(statement, params)).first() is not None
                for statement, params, _ in batch
            ]

    async def _run_alone(self, waiting: _Waiting) -> None:
        future = waiting[2]
        try:
            [result] = await self._run([waiting])
        except Exception as error:  # noqa: BLE001 - handed to the caller, who raises it
            if not future.done():
                future.set_exception(error)
            return
        if not future.done():
            future.set_result(result)

    async def aclose(self) -> None:
        """Let the last batch commit; the engine belongs to the caller."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)


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
    """Hot statements for `database_url`: psycopg's pool on PostgreSQL, else `engine`'s."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return _SqlitePool(engine)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    pg = _PostgresPool(conninfo, max_size=max_size)
    await pg.open()
    return pg
