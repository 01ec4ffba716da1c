"""Chat notifications to Zalo users outside the free 48-hour window.

Within 48 hours of the user's last message a consultation message is free. Up to 7 days
it is charged: `ZALO_OUTSIDE_WINDOW=paid` sends it anyway, `sms` sends it by SMS to the
phone on file instead (the phone the subscription's one-time code went to). After 7
days only SMS can reach the user. Each decision is a `zalo_window_choice` row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifier.models import (
    ChallengeState,
    ChannelName,
    MessagePurpose,
    OutboxMessage,
    SubscriptionChallenge,
)
from notifier.outbox import NewMessage, enqueue
from wording.status import unaccented
from zalo_oa.followers import Window, window_of
from zalo_oa.models import ZaloWindowChoice

__all__ = ["decide"]


def _phone_on_file(session: Session, user_id: str, dossier_code: str | None) -> str | None:
    query = select(SubscriptionChallenge.phone).where(
        SubscriptionChallenge.channel == ChannelName.ZALO,
        SubscriptionChallenge.address == user_id,
        SubscriptionChallenge.state == ChallengeState.CONFIRMED,
    )
    if dossier_code:
        query = query.where(SubscriptionChallenge.dossier_code == dossier_code)
    return session.scalar(query.order_by(SubscriptionChallenge.id.desc()).limit(1))


def _to_sms(session: Session, row: OutboxMessage, *, now: datetime) -> bool:
    phone = _phone_on_file(session, row.address, row.dossier_code)
    if phone is None:
        return False
    message = NewMessage(
        channel=ChannelName.SMS,
        address=phone,
        body=unaccented(row.body),
        idempotency_key=f"zalo-window:{row.id}",
        purpose=MessagePurpose.STATUS,
        dossier_code=row.dossier_code,
        dossier_status=row.dossier_status,
    )
    enqueue(session, [message], now=now)
    return True


def decide(session: Session, outbox_id: int, *, paid: bool, now: datetime) -> bool:
    """True when the row should go by Zalo; else it went to SMS (or nowhere). Recorded."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        return True
    window = window_of(session, row.address, now=now)
    by_zalo = window is Window.FREE or (window is Window.PAID and paid)
    choice = "zalo" if by_zalo else ("sms" if _to_sms(session, row, now=now) else "none")
    session.add(ZaloWindowChoice(outbox_id=outbox_id, window=window, choice=choice, decided_at=now))
    return by_zalo
