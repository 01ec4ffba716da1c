"""Zalo followers: when each last wrote (the send window) and whether they follow.

A consultation message is free within 48 hours of the user's last message, charged up to
7 days, and impossible after that (only approved template messages reach the user).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from db.dialects import insert_ignoring_conflicts
from zalo_oa.models import ZaloFollower

__all__ = [
    "FREE_WINDOW",
    "PAID_WINDOW",
    "Window",
    "follower_statements",
    "window_of",
]

FREE_WINDOW = timedelta(hours=48)
PAID_WINDOW = timedelta(days=7)


class Window(StrEnum):
    """Whether a consultation message may reach a user now, and at what cost."""

    FREE = "free"
    PAID = "paid"
    CLOSED = "closed"


def follower_statements(
    dialect: Dialect,
    user_id: str,
    *,
    now: datetime,
    wrote: bool = False,
    following: bool | None = None,
) -> list[Executable]:
    """The statements recording that `user_id` wrote at `now` and/or (un)followed."""
    add = insert_ignoring_conflicts(ZaloFollower, dialect, conflict=["user_id"])
    values: dict[str, object] = {"updated_at": now}
    if wrote:
        values["last_message_at"] = now
    if following is not None:
        values["following"] = following
    change = update(ZaloFollower).where(ZaloFollower.user_id == user_id).values(**values)
    return [add.values(user_id=user_id, following=True, updated_at=now), change]


def window_of(session: Session, user_id: str, *, now: datetime) -> Window:
    """The window a message to `user_id` falls in now."""
    follower = session.get(ZaloFollower, user_id)
    if follower is None or follower.last_message_at is None:
        return Window.CLOSED
    age = now - follower.last_message_at
    if age <= FREE_WINDOW:
        return Window.FREE
    return Window.PAID if age <= PAID_WINDOW else Window.CLOSED
