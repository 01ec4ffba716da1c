"""When a one-time code may be sent: caps per phone and per requester, and quiet hours.

A code costs the office an SMS and wakes a phone, so anyone who knows a dossier code
could otherwise harass its owner. Codes (challenges) are counted over the last hour and
the last day:

- per phone on file (`NOTIFY_OTP_PER_HOUR`, `_PER_DAY`: 3 and 10), the bound on what
  reaches one phone, whoever asks;
- per dossier and requester (`NOTIFY_OTP_REQUESTER_PER_HOUR`, `_PER_DAY`: 2 and 4),
  counted both per conversation and per client address: one stranger reaches their own
  cap while the phone's cap still has codes for the owner's conversation. (A stranger
  rotating addresses can still use the phone's cap up; the owner's way in that needs no
  code, texting the dossier code from that phone, does not depend on it.)

During quiet hours no code is sent unless that phone texted us in the last
`NOTIFY_OTP_QUIET_GRACE_MINUTES`: its owner is awake and asking. On PostgreSQL the
check and the new challenge are serialized per phone and per dossier (transaction-level
advisory locks), so concurrent requests cannot slip past a cap together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from notifier.config import NotifierConfig
from notifier.exceptions import TooManyCodes
from notifier.models import InboundSms, SubscriptionChallenge

__all__ = ["CodeRequester", "check_code_allowed", "client_key"]

_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)


def client_key(client: str | None) -> str | None:
    """What a challenge keeps of the client address: a hash (the table holds no address)."""
    return hashlib.sha256(client.encode()).hexdigest()[:32] if client else None


@dataclass(frozen=True, slots=True)
class CodeRequester:
    """Who asks for a code: the conversation, and the client address when known."""

    channel: str
    address: str
    client: str | None = None


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
    session: Session,
    *,
    phone: str,
    dossier_code: str,
    requester: CodeRequester,
    config: NotifierConfig,
    now: datetime,
) -> None:
    """Raise `TooManyCodes` unless a code may go to `phone` for `dossier_code` now, asked
    by `requester`."""
    _lock(session, f"otp:phone:{phone}", f"otp:dossier:{dossier_code}")
    settings = config.settings
    if config.quiet_hours.is_quiet(now):
        grace = timedelta(minutes=settings.notify_otp_quiet_grace_minutes)
        if not _texted_recently(session, phone, now - grace):
            raise TooManyCodes("no one-time codes during quiet hours", at_night=True)
    hour, day = _sent(session, SubscriptionChallenge.phone == phone, now)
    if hour >= settings.notify_otp_per_hour or day >= settings.notify_otp_per_day:
        raise TooManyCodes("the one-time codes cap for this phone is reached")
    this_dossier = SubscriptionChallenge.dossier_code == dossier_code
    asked_by: list[ColumnElement[bool]] = [
        (SubscriptionChallenge.channel == requester.channel)
        & (SubscriptionChallenge.address == requester.address)
    ]
    hashed = client_key(requester.client)
    if hashed is not None:
        asked_by.append(SubscriptionChallenge.client == hashed)
    for which in asked_by:
        hour, day = _sent(session, this_dossier & which, now)
        if (
            hour >= settings.notify_otp_requester_per_hour
            or day >= settings.notify_otp_requester_per_day
        ):
            raise TooManyCodes("the one-time codes cap for this requester is reached")
