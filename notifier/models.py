"""The notifier's tables: the outbox, the watcher's cursor, opt-outs, subscriptions, surveys.

Times are `db.types.UtcDateTime` (the database's one convention: naive UTC); channels,
outbox states and dossier statuses are `StrEnum`s stored as their values.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import StrEnumType, UtcDateTime
from status_client.models import DossierStatus

__all__ = [
    "ChallengeState",
    "ChannelName",
    "InboundSms",
    "MessagePurpose",
    "NotifierCursor",
    "OPEN_STATES",
    "OptOut",
    "OutboxMessage",
    "OutboxState",
    "Subscription",
    "SubscriptionChallenge",
    "SurveyRequest",
]

# A big integer on PostgreSQL, SQLite's rowid alias (INTEGER PRIMARY KEY) there.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ChannelName(StrEnum):
    """Channel names used in the outbox and subscriptions."""

    SMS = "sms"
    TELEGRAM = "telegram"
    ZALO = "zalo"
    WEBCHAT = "webchat"


class OutboxState(StrEnum):
    """Life of an outbox row: pending → sending → sent | failed | suppressed."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class MessagePurpose(StrEnum):
    """Why an outbox row is sent."""

    STATUS = "status"  # a dossier changed status
    OTP = "otp"  # a one-time code for a chat subscription
    SURVEY = "survey"  # the satisfaction question


class ChallengeState(StrEnum):
    """Life of a one-time code: open → confirmed | expired | locked | replaced."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    LOCKED = "locked"
    REPLACED = "replaced"  # a newer code was asked for in the same conversation


# States of a row still to be sent (a later row of the same recipient waits for it).
OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING)

_CHANNEL = StrEnumType(ChannelName, 16)


class OutboxMessage(Base):
    """One message the notifier means to send, written before anything is sent."""

    __tablename__ = "notifier_outbox"
    __table_args__ = (
        Index("ix_notifier_outbox_recipient", "recipient_key", "id"),
        Index("ix_notifier_outbox_due", "state", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[ChannelName] = mapped_column(_CHANNEL)
    address: Mapped[str] = mapped_column(String(64))
    # channel:address; rows of one recipient are sent strictly in id order.
    recipient_key: Mapped[str] = mapped_column(String(96))
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[MessagePurpose] = mapped_column(
        StrEnumType(MessagePurpose, 16), default=MessagePurpose.STATUS
    )
    dossier_code: Mapped[str | None] = mapped_column(String(64))
    dossier_status: Mapped[DossierStatus | None] = mapped_column(StrEnumType(DossierStatus, 16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[OutboxState] = mapped_column(
        StrEnumType(OutboxState, 16), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set when an attempt may have reached the provider without its answer being recorded.
    outcome_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error_code: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set by `python -m notifier requeue`; give-up age counts from it when set.
    requeued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NotifierCursor(Base):
    """How far the watcher has read a feed; moved in the same transaction as the outbox."""

    __tablename__ = "notifier_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OptOut(Base):
    """A phone number's SMS consent, changed by STOP/START keywords."""

    __tablename__ = "notifier_opt_out"

    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean)
    keyword: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Subscription(Base):
    """A chat conversation that follows a dossier's status changes."""

    __tablename__ = "notifier_subscription"
    __table_args__ = (
        UniqueConstraint("dossier_code", "channel", "address", name="uq_notifier_subscription"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dossier_code: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[ChannelName] = mapped_column(_CHANNEL)
    address: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SubscriptionChallenge(Base):
    """A one-time code sent to the phone on file, proving a conversation owns a dossier."""

    __tablename__ = "notifier_subscription_challenge"
    __table_args__ = (
        Index("ix_notifier_challenge_conversation", "channel", "address"),
        # The one-time-code caps count per dossier and per phone over time.
        Index("ix_notifier_challenge_dossier_time", "dossier_code", "created_at"),
        Index("ix_notifier_challenge_phone_time", "phone", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[ChannelName] = mapped_column(_CHANNEL)
    address: Mapped[str] = mapped_column(String(64))
    dossier_code: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    # Who asked: a hash of the client address (web chat IP, ...; None: not known). The
    # per-dossier code cap counts per conversation and per this.
    client: Mapped[str | None] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts_left: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[ChallengeState] = mapped_column(
        StrEnumType(ChallengeState, 16), default=ChallengeState.OPEN
    )
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SurveyRequest(Base):
    """The satisfaction question asked once per returned dossier, and its answer."""

    __tablename__ = "notifier_survey"

    dossier_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[ChannelName] = mapped_column(_CHANNEL)
    address: Mapped[str] = mapped_column(String(64), index=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class InboundSms(Base):
    """An inbound SMS by its MessageSid, so that Twilio's retries are answered once."""

    __tablename__ = "notifier_inbound_sms"
    # Quiet hours let a code go to a phone that just texted us.
    __table_args__ = (Index("ix_notifier_inbound_sms_from_time", "from_number", "received_at"),)

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
