"""When a one-time code may be sent: caps per dossier and per phone, and quiet hours.

A code costs the office an SMS and wakes a phone, so anyone who knows a dossier code
could otherwise harass its owner. Codes (challenges) are counted over the last hour and
the last day, per dossier and per phone on file (`NOTIFY_OTP_PER_HOUR`, `_PER_DAY`).
During quiet hours no code is sent unless that phone texted us in the last
`NOTIFY_OTP_QUIET_GRACE_MINUTES`: its owner is awake and asking. On PostgreSQL the
check and the new challenge are serialized per phone and per dossier (transaction-level
advisory locks), so concurrent requests cannot slip past a cap together.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from notifier.config import NotifierConfig
from notifier.exceptions import TooManyCodes
from notifier.models import InboundSms, SubscriptionChallenge

__all__ = ["check_code_allowed"]

_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)


def _lock(session: Session, *keys: str) -> None:
    """Hold transaction-level locks on `keys` (PostgreSQL; elsewhere writes serialize)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):  # one order everywhere: no deadlock between two requests
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def _sent(session: Session, which: ColumnElement[bool], now: datetime) -> tuple[int, int]:
    """Codes sent (challenges opened) matching `which` in the last hour and the last day."""
    created = SubscriptionChallenge.created_at
    last_hour = func.count().filter(created > now - _HOUR)
    query = select(last_hour, func.count()).where(which, created > now - _DAY)
    hour, day = session.execute(query).one()
    return int(hour), int(day)


def _texted_recently(session: Session, phone: str, since: datetime) -> bool:
    query = select(InboundSms.message_sid).where(
        InboundSms.from_number == phone, InboundSms.received_at >= since
    )
    return session.scalar(query.limit(1)) is not None


def check_code_allowed(
    session: Session, *, phone: str, dossier_code: str, config: NotifierConfig, now: datetime
) -> None:
    """Raise `TooManyCodes` unless a code may go to `phone` for `dossier_code` now."""
    _lock(session, f"otp:phone:{phone}", f"otp:dossier:{dossier_code}")
    settings = config.settings
    if config.quiet_hours.is_quiet(now):
        grace = timedelta(minutes=settings.notify_otp_quiet_grace_minutes)
        if not _texted_recently(session, phone, now - grace):
            raise TooManyCodes("no one-time codes during quiet hours", at_night=True)
    for which in (
        SubscriptionChallenge.dossier_code == dossier_code,
        SubscriptionChallenge.phone == phone,
    ):
        hour, day = _sent(session, which, now)
        if hour >= settings.notify_otp_per_hour or day >= settings.notify_otp_per_day:
            raise TooManyCodes("the one-time codes cap for this dossier or phone is reached")
