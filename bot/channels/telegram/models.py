"""The Telegram channel's one table: the updates this bot has taken in, stored until done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.inbox import InboxColumns
from db.types import UtcDateTime

__all__ = ["TelegramUpdateClaim"]


class TelegramUpdateClaim(InboxColumns, Base):
    """An update (by bot and `update_id`) the webhook or the poller has stored.

    Telegram re-delivers an update it thinks was not received (a slow answer, a restart,
    another replica); the first insert stores it, every later one inserts nothing. A
    gateway worker processes the stored update (`db.inbox`); once done, the row keeps
    no message content and is purged after the retention (NOTIFY_RETENTION_DAYS).
    """

    __tablename__ = "telegram_update_claim"
    __table_args__ = (Index("ix_telegram_update_claim_claimed_at", "claimed_at"),)

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
