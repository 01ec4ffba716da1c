"""The inbound SMS log's one hot statement: claim a MessageSid (insert it unless present).

Every inbound text is claimed once, so this statement runs on every webhook call: it
goes through the process's hot-statement pool (`db.statements`: psycopg's pool on
PostgreSQL, the async engine on SQLite), as INSERT … ON CONFLICT DO NOTHING RETURNING.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import Table, bindparam
from sqlalchemy.sql.dml import Insert

from db.dialects import insert_ignoring_conflicts
from db.statements import HotStatement, StatementPool, reconnecting
from notifier.models import InboundSms

__all__ = [
    "CLAIM_COLUMNS",
    "InboundLog",
    "claim_statement",
    "open_inbound_log",
    "reconnecting",
]

CLAIM_COLUMNS = ("message_sid", "from_number", "body", "reply", "received_at")


def claim_statement(dialect: str) -> Insert:
    """The claim as a SQLAlchemy statement for `dialect` (built once, compiled once)."""
    table = cast(Table, InboundSms.__table__)
    return (
        insert_ignoring_conflicts(table, dialect, conflict=["message_sid"])
        .values({name: bindparam(name) for name in CLAIM_COLUMNS})
        .returning(table.c.message_sid)
    )


class InboundLog(Protocol):
    """Claims MessageSids."""

    async def claim(
        self, sid: str, phone: str, body: str, reply: str | None, received_at: datetime
    ) -> bool:
        """Insert the text under `sid`; False when `sid` was claimed before (a replay)."""
        ...


class _InboundLog:
    def __init__(self, statement: HotStatement) -> None:
        self._statement = statement

    async def claim(
        self, sid: str, phone: str, body: str, reply: str | None, received_at: datetime
    ) -> bool:
        values = (sid, phone, body, reply, received_at)
        return await self._statement.returns_row(dict(zip(CLAIM_COLUMNS, values, strict=True)))


def open_inbound_log(statements: StatementPool, dialect: str) -> InboundLog:
    """The inbound log whose claims run on `statements` (a `dialect` database)."""
    return _InboundLog(statements.prepare(claim_statement(dialect)))
