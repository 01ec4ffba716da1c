"""The notifier's view of the one `settings.Settings`: parsed once, no defaults of its own.

Every knob lives in `Settings` (and `.env.example`); this view only parses what needs
parsing (quiet hours, urgent statuses) and refuses combinations the dispatcher cannot
run safely (a lease too short for the provider calls made under it).
"""

from __future__ import annotations

from datetime import timedelta

from notifier.exceptions import ConfigurationError
from notifier.quiet_hours import QuietHours
from settings import Settings
from status_client.models import DossierStatus

__all__ = ["CALLS_PER_LEASE", "SEND_SLACK", "NotifierConfig"]

# Provider calls one leased row may need: the reconciliation lookup, the send, and the
# same again as room for recording the outcome. The lease must outlast all of them.
CALLS_PER_LEASE = 3
# Seconds kept between the end of a send's time limit and the end of its lease, for the
# provider to finish creating a message whose answer we did not wait for.
SEND_SLACK = 1.0


class NotifierConfig:
    """What the watcher, the dispatcher and the subscriptions read from `Settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.quiet_hours = QuietHours.parse(settings.quiet_hours, settings.timezone)
        urgent = settings.notify_urgent_statuses.split(",")
        self.urgent_statuses = frozenset(DossierStatus(s.strip()) for s in urgent if s.strip())
        slowest = CALLS_PER_LEASE * settings.notify_provider_timeout_seconds + SEND_SLACK
        if settings.notify_lease_seconds <= slowest:
            raise ConfigurationError(
                f"NOTIFY_LEASE_SECONDS={settings.notify_lease_seconds:g} must exceed "
                f"{CALLS_PER_LEASE} × NOTIFY_PROVIDER_TIMEOUT_SECONDS + {SEND_SLACK:g} s "
                f"({slowest:g} s), the longest a leased row can spend at the provider; "
                "otherwise a second sender could send it again"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> NotifierConfig:
        """The configuration `settings` describe."""
        return cls(settings)

    @property
    def sms_diacritics(self) -> bool:
        return self.settings.sms_diacritics

    @property
    def survey_enabled(self) -> bool:
        return self.settings.notify_survey_enabled

    @property
    def sms_rate(self) -> float:
        return self.settings.notify_sms_rate

    @property
    def telegram_rate(self) -> float:
        return self.settings.notify_telegram_rate

    @property
    def telegram_chat_interval(self) -> float:
        return self.settings.notify_telegram_chat_interval_seconds

    @property
    def zalo_rate(self) -> float:
        return self.settings.notify_zalo_rate

    @property
    def batch_size(self) -> int:
        return self.settings.notify_batch_size

    @property
    def send_concurrency(self) -> int:
        return self.settings.notify_send_concurrency

    @property
    def lease_seconds(self) -> float:
        return self.settings.notify_lease_seconds

    @property
    def poll_seconds(self) -> float:
        return self.settings.notify_poll_seconds

    @property
    def feed_page_size(self) -> int:
        return self.settings.notify_feed_page_size

    @property
    def provider_timeout(self) -> float:
        """The longest one provider call may take (the dispatcher cuts it there)."""
        return self.settings.notify_provider_timeout_seconds

    @property
    def send_margin(self) -> timedelta:
        """Lease a send needs left before it may start."""
        return timedelta(seconds=self.settings.notify_provider_timeout_seconds + SEND_SLACK)

    @property
    def give_up_after(self) -> timedelta:
        """How long after it was queued an unsent message is given up."""
        return timedelta(hours=self.settings.notify_give_up_hours)

    @property
    def retry_base(self) -> float:
        return self.settings.notify_retry_base_seconds

    @property
    def retry_max(self) -> float:
        return self.settings.notify_retry_max_seconds

    @property
    def otp_attempts(self) -> int:
        return self.settings.notify_otp_attempts

    @property
    def otp_ttl_seconds(self) -> int:
        return self.settings.notify_otp_ttl_seconds
