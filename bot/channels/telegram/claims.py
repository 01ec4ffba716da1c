"""Claiming an update once: INSERT … ON CONFLICT DO NOTHING on `telegram_update_claim`.

The row is written when PTB is about to process the update (webhook or polling alike),
so a replay, a re-delivery after a restart or the same update reaching another replica
is skipped; forgeries never get this far (the webhook route refuses them first).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram.models import TelegramUpdateClaim

__all__ = ["CLAIM_RETENTION", "UpdateClaims"]

# Telegram keeps an undelivered update for 24 hours; a week of claims is ample.
CLAIM_RETENTION = timedelta(days=7)


class UpdateClaims:
    """Claims (bot id, update id) pairs in the assistant's database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        table = cast(Table, TelegramUpdateClaim.__table__)
        self._claim = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
            .returning(table.c.update_id)
        )

    async def claim(self, bot_id: int, update_id: int) -> bool:
        """True for the first caller with this update, False for every later one."""
        values = {"bot_id": bot_id, "update_id": update_id, "claimed_at": datetime.now(UTC)}
        async with self.engine.begin() as connection:
            result = await connection.execute(self._claim, values)
            return result.first() is not None

    async def purge(self, now: datetime | None = None) -> int:
        """Forget claims older than `CLAIM_RETENTION`; the number of rows deleted."""
        before = (now or datetime.now(UTC)) - CLAIM_RETENTION
        statement = delete(TelegramUpdateClaim).where(TelegramUpdateClaim.claimed_at < before)
        async with self.engine.begin() as connection:
            result = await connection.execute(statement)
            return result.rowcount or 0
