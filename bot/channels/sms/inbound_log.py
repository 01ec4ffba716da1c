"""The inbound SMS log's one hot statement: claim a MessageSid (insert it unless present).

Every inbound text is claimed once, so this statement runs on every webhook call. Under
50 concurrent senders its cost decided the webhook's latency: a thread hop per statement
(sync SQLAlchemy) or SQLAlchemy's asyncio layer cost several times the round trip
itself. On PostgreSQL it therefore goes straight through a psycopg connection pool
(autocommit, server-side prepared); elsewhere (SQLite in development) through the
SQLAlchemy async engine. Both run the same INSERT … ON CONFLICT DO NOTHING RETURNING.

No connection check on checkout (a round trip as expensive as the statement): a
connection the database dropped (a restart) fails once and the claim is retried once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar, cast

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Table, bindparam
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

from db.dialects import insert_ignoring_conflicts
from db.types import UtcDateTime
from notifier.models import InboundSms

__all__ = [
    "CLAIM_COLUMNS",
    "InboundLog",
    "claim_statement",
    "open_inbound_log",
    "reconnecting",
]

log = logging.getLogger("bot.sms.inbound_log")

T = TypeVar("T")

CLAIM_COLUMNS = ("message_sid", "from_number", "body", "reply", "received_at")


def claim_statement(dialect: str) -> Insert:
    """The claim as a SQLAlchemy statement for `dialect` (built once, compiled once)."""
    table = cast(Table, InboundSms.__table__)
    return (
        insert_ignoring_conflicts(table, dialect, conflict=["message_sid"])
        .values({name: bindparam(name) for name in CLAIM_COLUMNS})
        .returning(table.c.message_sid)
    )


# The same statement as SQL text for psycopg (named %(…)s parameters). Its values skip
# SQLAlchemy's type processing, so `received_at` is made naive UTC here as UtcDateTime would.
_PG_DIALECT = PGDialect_psycopg()
_PG_CLAIM = str(claim_statement("postgresql").compile(dialect=_PG_DIALECT))


class InboundLog(Protocol):
    """Claims MessageSids."""

    async def claim(
        self, sid: str, phone: str, body: str, reply: str | None, received_at: datetime
    ) -> bool:
        """Insert the text under `sid`; False when `sid` was claimed before (a replay)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class _PostgresInboundLog:
    def __init__(self, conninfo: str, *, max_size: int) -> None:
        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True},
            open=False,
            # Twilio gives up on a webhook after 15 s: fail well before, not after 30 s.
            timeout=5.0,
        )

    async def open(self) -> None:
        await self._pool.open()

    async def _claim_once(self, params: Mapping[str, object]) -> bool:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_PG_CLAIM, params, prepare=True)
            return await cursor.fetchone() is not None

    async def claim(
        self, sid: str, phone: str, body: str, reply: str | None, received_at: datetime
    ) -> bool:
        stored_at = UtcDateTime().process_bind_param(received_at, _PG_DIALECT)
        params = dict(zip(CLAIM_COLUMNS, (sid, phone, body, reply, stored_at), strict=True))
        # A restart leaves every idle pooled connection dead, not just the one that failed:
        # check them all (one round trip each) before the retry takes another.
        return await reconnecting(lambda: self._claim_once(params), before_retry=self._pool.check)

    async def aclose(self) -> None:
        await self._pool.close()


class _SqlAlchemyInboundLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._statement = claim_statement(engine.dialect.name)

    async def _claim_once(self, params: Mapping[str, object]) -> bool:
        async with self._engine.connect() as connection:
            return (await connection.execute(self._statement, params)).first() is not None

    async def claim(
        self, sid: str, phone: str, body: str, reply: str | None, received_at: datetime
    ) -> bool:
        params = dict(zip(CLAIM_COLUMNS, (sid, phone, body, reply, received_at), strict=True))
        return await reconnecting(lambda: self._claim_once(params))

    async def aclose(self) -> None:
        """The engine belongs to the caller."""


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


async def open_inbound_log(database_url: str, engine: AsyncEngine) -> InboundLog:
    """The inbound log for `database_url`: psycopg's pool on PostgreSQL, else `engine`."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return _SqlAlchemyInboundLog(engine)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    pg = _PostgresInboundLog(conninfo, max_size=20)
    await pg.open()
    return pg
