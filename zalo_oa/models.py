"""Zalo OA tables: the token pair, webhook events seen, followers' last message time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.inbox import InboxColumns
from db.types import UtcDateTime

__all__ = ["TOKEN_ROW", "ZaloEvent", "ZaloFollower", "ZaloToken", "ZaloWindowChoice"]

# The OA's one token pair lives in the row with this id.
TOKEN_ROW = 1


class ZaloToken(Base):
    """The OA's current access/refresh token pair (one row).

    `generation` grows with each refresh. `refresh_started_at` is committed before a
    refresh call and cleared with the new pair: still set afterwards means a refresh whose
    answer was lost (the process died), so the refresh token may be spent.
    """

    __tablename__ = "zalo_oa_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    refresh_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ZaloEvent(InboxColumns, Base):
    """A webhook event taken in (its key: the msg_id, or event + sender + time), stored
    until a gateway worker has processed it (`db.inbox`), then kept without its content
    as the de-duplication key until the retention purge."""

    __tablename__ = "zalo_event"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_key: Mapped[str] = mapped_column(String(160), unique=True)
    event_name: Mapped[str] = mapped_column(String(48))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ZaloFollower(Base):
    """A Zalo user the OA talks with: when they last wrote (the send window) and follow."""

    __tablename__ = "zalo_follower"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ZaloWindowChoice(Base):
    """How a chat notification to a Zalo user was sent, given the user's window.

    `window`: free (within 48 h of the user's last message), paid (up to 7 days),
    closed; `choice`: zalo (a consultation message), sms (the phone on file instead),
    none (neither was possible).
    """

    __tablename__ = "zalo_window_choice"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    outbox_id: Mapped[int] = mapped_column(BigInteger, index=True)
    window: Mapped[str] = mapped_column(String(8))
    choice: Mapped[str] = mapped_column(String(8))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
