"""What the Twilio simulator remembers: message resources, callbacks made, opt-outs, limits."""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from simulators.common import BackgroundTasks, TokenBucket, matches_any
from simulators.twilio.config import TwilioSimConfig

__all__ = ["MessageRecord", "SimulatorState", "new_sid", "rfc2822", "API_VERSION"]

API_VERSION = "2010-04-01"
PRICE_PER_SEGMENT = 0.0075


def new_sid(prefix: str = "SM") -> str:
    """A Twilio-shaped SID: a two-letter prefix and 32 lowercase hex digits."""
    return prefix + uuid.uuid4().hex


def rfc2822(moment: datetime | None) -> str | None:
    """The RFC 2822 timestamp Twilio uses ("Thu, 24 Aug 2023 05:01:45 +0000")."""
    return None if moment is None else format_datetime(moment.astimezone(UTC))


@dataclass
class MessageRecord:
    """One Message resource (`api.v2010.account.message`) and its fate in the simulator."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    status: str
    num_segments: int
    direction: str = "outbound-api"
    messaging_service_sid: str | None = None
    num_media: int = 0
    status_callback: str | None = None
    date_created: datetime = field(default_factory=lambda: datetime.now(UTC))
    date_updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    date_sent: datetime | None = None
    error_code: int | None = None
    error_message: str | None = None
    price: str | None = None

    @property
    def uri(self) -> str:
        """The resource's path, relative to https://api.twilio.com."""
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"

    def set_status(self, status: str, *, error: tuple[int, str] | None = None) -> None:
        """Move to `status` (recording the send time, price and any error)."""
        now = datetime.now(UTC)
        self.status = status
        self.date_updated = now
        if status == "sent":
            self.date_sent = now
            self.price = f"-{PRICE_PER_SEGMENT * max(1, self.num_segments):.5f}"
        if error is not None:
            self.error_code, self.error_message = error

    def to_resource(self) -> dict[str, Any]:
        """The JSON Twilio answers for this message."""
        base = self.uri.removesuffix(".json")
        # A Messaging Service has not picked a sender (nor counted segments) while accepted.
        segments = 0 if self.status == "accepted" else self.num_segments
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": rfc2822(self.date_created),
            "date_sent": rfc2822(self.date_sent),
            "date_updated": rfc2822(self.date_updated),
            "direction": self.direction,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": str(self.num_media),
            "num_segments": str(segments),
            "price": self.price,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {
                "media": f"{base}/Media.json",
                "feedback": f"{base}/Feedback.json",
            },
            "to": self.to,
            "uri": self.uri,
        }

    def to_summary(self) -> dict[str, Any]:
        """The simulator's own listing (`GET /_sim/messages`)."""
        return {
            "sid": self.sid,
            "to": self.to,
            "from": self.from_,
            "body": self.body,
            "status": self.status,
            "num_segments": self.num_segments,
            "date_created": self.date_created.isoformat(),
            "messaging_service_sid": self.messaging_service_sid,
            "direction": self.direction,
            "error_code": self.error_code,
        }


class SimulatorState:
    """Everything one simulator process holds; `reset` forgets it all."""

    def __init__(self, config: TwilioSimConfig) -> None:
        self.startup_config = config
        self.config = config
        self.messages: dict[str, MessageRecord] = {}
        self.callbacks: list[dict[str, Any]] = []
        self.opted_out: set[str] = set()
        self.opted_in: set[str] = set()
        self.tasks = BackgroundTasks()
        # Failed status callbacks per URL (logged on the first and every 10x after).
        self.callback_failures: dict[str, int] = {}
        # When the last API call arrived (status callbacks give way to a busy API).
        self.last_api_call = 0.0
        self.configure(config)

    def configure(self, config: TwilioSimConfig) -> None:
        """Apply new settings (a new rate limiter and fault generator with them)."""
        self.config = config
        self.bucket = TokenBucket(config.rate_limit, config.rate_burst or None)
        self.random = random.Random(config.seed)
        self.callback_slots = asyncio.Semaphore(max(1, config.callback_concurrency))

    def reset(self) -> None:
        """Forget every message, callback and opt-out; go back to the start-up settings."""
        self.tasks.cancel_all()
        self.messages.clear()
        self.callbacks.clear()
        self.callback_failures.clear()
        self.opted_out.clear()
        self.opted_in.clear()
        self.configure(self.startup_config)

    def is_opted_out(self, number: str) -> bool:
        """True when `number` is configured as opted out or texted a STOP keyword since."""
        if number in self.opted_out:
            return True
        return number not in self.opted_in and matches_any(number, self.config.opted_out_numbers)

    def set_opted_out(self, number: str, opted_out: bool) -> None:
        """Record a STOP (True) or START (False) from `number`."""
        (self.opted_out if opted_out else self.opted_in).add(number)
        (self.opted_in if opted_out else self.opted_out).discard(number)

    def roll(self, share: float) -> bool:
        """True with probability `share` (seeded, so a run's faults are reproducible)."""
        return share > 0 and self.random.random() < share
