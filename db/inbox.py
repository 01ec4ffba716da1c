"""Webhook updates stored before they are answered, and processed once afterwards.

A channel's webhook checks a request, stores its raw update in one INSERT … ON CONFLICT
DO NOTHING (the de-duplication too: a replay inserts nothing) and answers 200 at once.
A worker in each gateway process then claims stored rows under a lease (`claim`: FOR
UPDATE SKIP LOCKED on PostgreSQL, one atomic UPDATE on SQLite), processes them, and
marks each done (`finish`, which also drops the payload: the row stays, without the
message, as the de-duplication key until the retention purge). A row whose lease ran
out (its process died) is claimed again by any process; one held by a live process has
its lease renewed while the work lasts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from db.dialects import insert_ignoring_conflicts
from db.statements import StatementPool
from db.types import UtcDateTime

__all__ = ["Inbox", "InboxColumns", "StoredUpdate"]


class InboxColumns:
    """The columns a table of stored updates adds to its own key and arrival time."""

    # No Python-side defaults: the webhook's INSERT runs as plain SQL on PostgreSQL
    # (`db.statements`), where only the database's own defaults apply.
    # The raw update (JSON text) until it is processed; None afterwards.
    payload: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    # Set with done_at when the update was given up (its reply never went out).
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(96))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    """A claimed row: its primary key, the raw update, when it came, tries so far."""

    key: tuple[Any, ...]
    payload: str
    received_at: datetime
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC)


class Inbox:
    """One table of stored updates, as the webhook (`store`) and the worker see it."""

    def __init__(
        self,
        table: Table,
        *,
        engine: AsyncEngine,
        statements: StatementPool,
        stored: Sequence[str],
        conflict: Sequence[str],
        received: str,
        owner: str,
        lease: timedelta,
        only: Mapping[str, object] | None = None,
    ) -> None:
        """`stored`: the columns the webhook writes; `conflict`: its unique key;
        `received`: the arrival time column; `owner`: this process, in leases; `only`:
        the rows this worker may claim (column: value; e.g. its own bot's updates)."""
        self.table = table
        self.engine = engine
        self.statements = statements
        self.owner = owner
        self.lease = lease
        self._keys = list(table.primary_key.columns)
        self._received = table.c[received]
        self._only = [table.c[name] == value for name, value in (only or {}).items()]
        insert = insert_ignoring_conflicts(table, engine.dialect, conflict=conflict)
        values: dict[str, Any] = {name: bindparam(name) for name in stored}
        self._store = statements.prepare(insert.values(values).returning(*self._keys))

    @classmethod
    def of(cls, model: type[InboxColumns], **options: Any) -> Inbox:
        """The inbox of a mapped class (see `__init__` for `options`)."""
        return cls(cast(Table, getattr(model, "__table__")), **options)  # noqa: B009

    async def store(self, values: Mapping[str, object]) -> bool:
        """The webhook's one statement: True when stored now, False for a replay."""
        return await self._store.returns_row(values)

    def _is(self, key: Sequence[Any]) -> ColumnElement[bool]:
        return and_(*(column == value for column, value in zip(self._keys, key, strict=True)))

    async def _execute(self, statement: Any, *, rows: bool = False) -> Any:
        def run(connection: Connection) -> Any:
            result = connection.execute(statement)
            return result.all() if rows else result.rowcount

        # Never an open SQLite write between loop turns: see `db.sqlite_writer`.
        return await self.statements.transaction(run)

    async def claim(self, limit: int) -> list[StoredUpdate]:
        """Lease up to `limit` unfinished rows nobody holds, oldest first."""
        table, now = self.table, _now()
        free = select(*self._keys).where(
            table.c.done_at.is_(None),
            or_(table.c.lease_until.is_(None), table.c.lease_until < now),
            *self._only,
        )
        free = free.order_by(*self._keys).limit(limit).with_for_update(skip_locked=True)
        statement = (
            update(table)
            .where(tuple_(*self._keys).in_(free))
            .values(
                lease_owner=self.owner,
                lease_until=now + self.lease,
                attempts=table.c.attempts + 1,
            )
            .returning(*self._keys, table.c.payload, self._received, table.c.attempts)
        )
        width = len(self._keys)
        rows = sorted(await self._execute(statement, rows=True), key=lambda row: tuple(row[:width]))
        return [
            StoredUpdate(tuple(row[:width]), row[width] or "", row[width + 1], row[width + 2])
            for row in rows
        ]

    async def finish(self, keys: Sequence[Sequence[Any]], *, failed: bool = False) -> None:
        """Mark rows done (and forget their payloads), in one statement; `failed`: given
        up, recorded as such."""
        now = _now()
        done = {"done_at": now, "payload": None, "lease_owner": None, "lease_until": None}
        if failed:
            done["failed_at"] = now
        chosen = tuple_(*self._keys).in_([tuple(key) for key in keys])
        await self._execute(update(self.table).where(chosen).values(done))

    async def retry_later(
        self, key: Sequence[Any], delay: timedelta, *, payload: str | None = None
    ) -> None:
        """Give a row back, to be claimed again (by anyone) after `delay`; with `payload`,
        what is left to do replaces the update (it is taken up from there)."""
        values: dict[str, Any] = {"lease_owner": None, "lease_until": _now() + delay}
        if payload is not None:
            values["payload"] = payload
        statement = (
            update(self.table)
            .where(self._is(key), self.table.c.lease_owner == self.owner)
            .values(values)
        )
        await self._execute(statement)

    async def renew(self) -> int:
        """Extend the lease of every unfinished row this process holds; how many."""
        table = self.table
        statement = (
            update(table)
            .where(table.c.lease_owner == self.owner, table.c.done_at.is_(None))
            .values(lease_until=_now() + self.lease)
        )
        return int(await self._execute(statement))

    async def release(self) -> int:
        """Give back every unfinished row this process holds (at shut-down); how many."""
        table = self.table
        statement = (
            update(table)
            .where(table.c.lease_owner == self.owner, table.c.done_at.is_(None))
            .values(lease_owner=None, lease_until=None)
        )
        return int(await self._execute(statement))

    async def purge(self, before: datetime) -> int:
        """Delete rows done before `before`; how many."""
        table = self.table
        return int(await self._execute(delete(table).where(table.c.done_at < before)))
