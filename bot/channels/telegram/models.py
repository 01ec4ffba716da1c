"""The Telegram channel's one table: which updates this bot has already taken on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UtcDateTime

__all__ = ["TelegramUpdateClaim"]


class TelegramUpdateClaim(Base):
    """An update (by bot and `update_id`) one gateway process has taken on.

    Telegram re-delivers an update it thinks was not received (a slow answer, a restart,
    another replica); the first process to insert the row handles it, every other one
    skips it. Rows hold no message content and are purged after a few days (Telegram
    keeps undelivered updates for 24 hours).
    """

    __tablename__ = "telegram_update_claim"
    __table_args__ = (Index("ix_telegram_update_claim_claimed_at", "claimed_at"),)

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
