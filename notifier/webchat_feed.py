"""The web chat's notification feed: what the page polls, read from the outbox.

The web chat has no push: its rows are final once in the outbox (`WebchatSender`), and
the page fetches the rows of its conversation after the last id it showed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifier.models import ChannelName, OutboxMessage

__all__ = ["webchat_notifications"]


def webchat_notifications(
    session: Session, *, address: str, after_id: int = 0, limit: int = 50
) -> list[tuple[int, str]]:
    """At most `limit` notifications of a web chat conversation after `after_id`:
    (id, text), oldest first (the page asks again from the last id)."""
    query = (
        select(OutboxMessage.id, OutboxMessage.body)
        .where(
            OutboxMessage.channel == ChannelName.WEBCHAT,
            OutboxMessage.address == address,
            OutboxMessage.id > after_id,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [(row.id, row.body) for row in session.execute(query)]
