"""Chat subscriptions to a dossier's status changes, after proof of ownership.

"theo dõi hồ sơ <code>" → `request_subscription()`: a 6-digit one-time code goes by SMS
to the phone on file (through the outbox, urgent: it is only asked for outside quiet
hours or by a phone that just texted us, within caps, see notifier.code_limits); the
conversation answers with the code → `confirm_subscription()` (at most
`NOTIFY_OTP_ATTEMPTS` tries, valid `NOTIFY_OTP_TTL_SECONDS`); "hủy theo dõi" →
`unsubscribe()`. Callers (the chat actions) look the dossier up with `status_client` and
pass the phone on file; this module never shows it, only its masked form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from notifier.code_limits import CodeRequester, check_code_allowed, client_key
from notifier.config import NotifierConfig
from notifier.exceptions import (
    ChallengeExpired,
    ChallengeLocked,
    ChallengeNotFound,
    NoPhoneOnFile,
    PhoneOptedOut,
    WrongCode,
)
from notifier.models import (
    ChallengeState,
    ChannelName,
    MessagePurpose,
    Subscription,
    SubscriptionChallenge,
)
from notifier.optouts import is_opted_out
from notifier.otp_codes import CODE_SLOT, check_value, code_matches, new_nonce, seal
from notifier.outbox import NewMessage, enqueue
from notifier.phones import mask_phone, normalize_phone
from notifier.templates import otp_sms

__all__ = [
    "SubscriptionRequested",
    "confirm_subscription",
    "conversation_of",
    "request_subscription",
    "subscriptions_of",
    "unsubscribe",
]

# Chat channels a conversation id may name as a prefix ("telegram:123"); the address
# column holds 64 characters.
_CHANNEL_PREFIXES = frozenset(ChannelName)
_MAX_ADDRESS_CHARS = 64


def conversation_of(sender_id: str) -> tuple[ChannelName, str] | None:
    """(channel, address) of a conversation id; None when it cannot hold a subscription.

    `telegram:123`, `zalo:…` and `sms:+84…` name their channel; any other id (the web
    chat's `web-…`) is a web chat conversation whose address is the whole id.
    """
    prefix, colon, rest = sender_id.partition(":")
    prefixed = bool(colon) and prefix in _CHANNEL_PREFIXES
    channel, address = (ChannelName(prefix), rest) if prefixed else (ChannelName.WEBCHAT, sender_id)
    if not address or len(address) > _MAX_ADDRESS_CHARS:
        return None
    return channel, address


@dataclass(frozen=True)
class SubscriptionRequested:
    """A one-time code is on its way to the phone shown masked."""

    challenge_id: int
    masked_phone: str
    expires_at: datetime


def _replace_open_challenges(session: Session, *, channel: ChannelName, address: str) -> None:
    """A conversation has one open challenge: a new request replaces the earlier ones."""
    session.execute(
        update(SubscriptionChallenge)
        .where(
            SubscriptionChallenge.channel == channel,
            SubscriptionChallenge.address == address,
            SubscriptionChallenge.state == ChallengeState.OPEN,
        )
        .values(state=ChallengeState.REPLACED)
    )


def request_subscription(
    session: Session,
    *,
    channel: ChannelName,
    address: str,
    dossier_code: str,
    phone_on_file: str | None,
    config: NotifierConfig,
    now: datetime,
    client: str | None = None,
) -> SubscriptionRequested:
    """Open a challenge and queue its one-time code by SMS; caller commits.

    `client` is the requester's address (the web chat's IP, ...): the per-dossier cap
    counts per conversation and per client address (`notifier.code_limits`)."""
    phone = normalize_phone(phone_on_file) if phone_on_file else None
    if phone is None:
        raise NoPhoneOnFile(f"dossier {dossier_code} has no phone number on file")
    if is_opted_out(session, phone):
        raise PhoneOptedOut(f"the phone on file for {dossier_code} has opted out of SMS")
    requester = CodeRequester(channel, address, client)
    check_code_allowed(
        session, phone=phone, dossier_code=dossier_code, requester=requester, config=config,
        now=now,
    )  # fmt: skip
    _replace_open_challenges(session, channel=channel, address=address)
    nonce = new_nonce()
    challenge = SubscriptionChallenge(
        channel=channel,
        address=address,
        dossier_code=dossier_code,
        phone=phone,
        client=client_key(client),
        code_hash=check_value(nonce),
        attempts_left=config.otp_attempts,
        state=ChallengeState.OPEN,
        expires_at=now + timedelta(seconds=config.otp_ttl_seconds),
        created_at=now,
    )
    session.add(challenge)
    session.flush()
    # The outbox holds the text with a placeholder; the code is rendered at send time.
    body = seal(otp_sms(dossier_code, CODE_SLOT, max(1, config.otp_ttl_seconds // 60)), nonce)
    otp = NewMessage(
        ChannelName.SMS,
        phone,
        body,
        f"otp:{challenge.id}",
        purpose=MessagePurpose.OTP,
        dossier_code=dossier_code,
        urgent=True,
    )
    enqueue(session, [otp], now=now)
    return SubscriptionRequested(challenge.id, mask_phone(phone), challenge.expires_at)


def confirm_subscription(
    session: Session,
    *,
    channel: ChannelName,
    address: str,
    code: str,
    config: NotifierConfig,
    now: datetime,
) -> Subscription:
    """Check `code` against the conversation's open challenge; subscribe on success."""
    challenge = session.scalars(
        select(SubscriptionChallenge)
        .where(
            SubscriptionChallenge.channel == channel,
            SubscriptionChallenge.address == address,
            SubscriptionChallenge.state == ChallengeState.OPEN,
        )
        .order_by(SubscriptionChallenge.id.desc())
        .limit(1)
        .with_for_update()
    ).first()
    if challenge is None:
        raise ChallengeNotFound("no one-time code was requested for this conversation")
    if challenge.expires_at <= now:
        challenge.state = ChallengeState.EXPIRED
        raise ChallengeExpired("the one-time code has expired; ask for a new one")
    secret = config.settings.notify_otp_secret.get_secret_value()
    if not code_matches(secret, challenge.code_hash, code.strip()):
        challenge.attempts_left -= 1
        if challenge.attempts_left <= 0:
            challenge.state = ChallengeState.LOCKED
            raise ChallengeLocked("too many wrong codes; ask for a new one later")
        raise WrongCode(challenge.attempts_left)
    challenge.state = ChallengeState.CONFIRMED
    subscription = session.scalars(
        select(Subscription).where(
            Subscription.dossier_code == challenge.dossier_code,
            Subscription.channel == channel,
            Subscription.address == address,
        )
    ).first()
    if subscription is None:
        subscription = Subscription(
            dossier_code=challenge.dossier_code,
            channel=channel,
            address=address,
            active=True,
            created_at=now,
        )
        session.add(subscription)
    else:
        subscription.active, subscription.ended_at = True, None
    session.flush()
    return subscription


def unsubscribe(
    session: Session, *, channel: ChannelName, address: str, dossier_code: str | None, now: datetime
) -> list[str]:
    """End the conversation's subscriptions (one dossier, or all); return the codes ended."""
    query = select(Subscription).where(
        Subscription.channel == channel, Subscription.address == address, Subscription.active
    )
    if dossier_code:
        query = query.where(Subscription.dossier_code == dossier_code)
    ended = []
    for subscription in session.scalars(query):
        subscription.active, subscription.ended_at = False, now
        ended.append(subscription.dossier_code)
    return ended


def subscriptions_of(session: Session, *, channel: ChannelName, address: str) -> list[str]:
    """Dossier codes the conversation follows."""
    query = select(Subscription.dossier_code).where(
        Subscription.channel == channel, Subscription.address == address, Subscription.active
    )
    return list(session.scalars(query.order_by(Subscription.id)))
