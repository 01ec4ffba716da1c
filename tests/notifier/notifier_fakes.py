"""Fakes of a provider and of the changes feed, shared by the notifier tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import SecretStr

from notifier.config import NotifierConfig
from notifier.exceptions import SendError
from notifier.feed import FeedPage, Transition
from notifier.outbox import ClaimedMessage
from settings import Settings
from status_client.models import DossierStatus

__all__ = ["OTP_SECRET", "TEST_SETTINGS", "FakeFeed", "FakeSender", "notifier_config"]


# Fast enough for tests driven by a fake clock: short leases and polls, no rate limits,
# no quiet hours.
OTP_SECRET = "notifier-test-otp-secret"
TEST_SETTINGS: dict[str, object] = {
    "quiet_hours": "",
    "notify_otp_secret": SecretStr(OTP_SECRET),
    "notify_lease_seconds": 30.0,
    "notify_provider_timeout_seconds": 1.0,
    "notify_poll_seconds": 0.01,
    "notify_sms_rate": 0.0,
}


def notifier_config(**settings: object) -> NotifierConfig:
    """The notifier's view of `Settings`: `TEST_SETTINGS` with these fields changed."""
    fields = TEST_SETTINGS | settings
    return NotifierConfig(Settings(_env_file=None, **fields))  # type: ignore[arg-type,call-arg]


@dataclass
class FakeSender:
    """A provider double: records what it accepted, fails on demand."""

    channel: str = "sms"
    rate: float = 0.0
    recipient_interval: float = 0.0
    accepted: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[SendError] = field(default_factory=list)
    # Accept the message and then raise this (a timeout after the provider took it).
    accept_then_raise: list[SendError] = field(default_factory=list)
    lookups: int = 0

    async def send(self, message: ClaimedMessage) -> str:
        if self.failures:
            raise self.failures.pop(0)
        sid = f"SM{len(self.accepted):032d}"
        self.accepted.append((sid, message.address, message.body))
        if self.accept_then_raise:
            raise self.accept_then_raise.pop(0)
        return sid

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        self.lookups += 1
        return [
            sid
            for sid, to, body in reversed(self.accepted)
            if to == message.address and body == message.body
        ]

    async def aclose(self) -> None:
        return None


@dataclass
class FakeFeed:
    """A changes feed in memory; `fail_next` makes the next read raise."""

    transitions: list[Transition] = field(default_factory=list)
    fail_next: Exception | None = None

    def add(
        self, code: str, status: str, phone: str | None = "0901234567", **extra: object
    ) -> None:
        change_id = str(len(self.transitions) + 1)
        self.transitions.append(
            Transition(
                change_id=change_id,
                dossier_code=code,
                status=DossierStatus(status),
                previous_status=None,
                phone=phone,
                due_at=extra.get("due_at"),  # type: ignore[arg-type]
            )
        )

    async def read(self, since: str | None, limit: int) -> FeedPage:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        start = int(since or 0)
        chunk = self.transitions[start : start + limit]
        return FeedPage(transitions=chunk, next_cursor=str(start + len(chunk)))
