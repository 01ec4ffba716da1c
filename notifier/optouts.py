"""SMS consent: which numbers opted out, checked at send time.

The SMS channel records a number's choice when it texts a keyword (STOP, HUY … or START,
DK …; `bot.channels.sms.keywords` reads them); the notifier checks it before every SMS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifier.models import OptOut

__all__ = ["is_opted_out", "set_consent"]


def set_consent(
    session: Session, *, phone: str, opted_out: bool, keyword: str, now: datetime
) -> None:
    """Record that `phone` opted out (or back in) by `keyword`; caller commits."""
    row = session.get(OptOut, phone)
    if row is None:
        session.add(OptOut(phone=phone, opted_out=opted_out, keyword=keyword[:32], updated_at=now))
    else:
        row.opted_out, row.keyword, row.updated_at = opted_out, keyword[:32], now


def is_opted_out(session: Session, phone: str) -> bool:
    """Whether `phone` has opted out of SMS."""
    return bool(session.scalar(select(OptOut.opted_out).where(OptOut.phone == phone)))
