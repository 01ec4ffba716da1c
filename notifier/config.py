"""The notifier's knobs, read once from `settings.Settings`."""

from __future__ import annotations

from dataclasses import dataclass, field

from notifier.quiet_hours import QuietHours
from settings import Settings

__all__ = ["NotifierConfig"]


@dataclass(frozen=True)
class NotifierConfig:
    """Everything the watcher, the senders and the subscriptions need to decide."""

    quiet_hours: QuietHours = field(default_factory=lambda: QuietHours.parse(""))
    urgent_statuses: frozenset[str] = frozenset()
    sms_diacritics: bool = False
    survey_enabled: bool = True
    sms_rate: float = 0.0
    telegram_rate: float = 0.0
    telegram_chat_interval: float = 0.0
    zalo_rate: float = 0.0
    batch_size: int = 50
    send_concurrency: int = 16
    lease_seconds: float = 60.0
    poll_seconds: float = 0.5
    provider_timeout: float = 10.0
    max_attempts: int = 20
    retry_base: float = 0.5
    retry_max: float = 300.0
    otp_attempts: int = 5
    otp_ttl_seconds: int = 600
    feed_page_size: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> NotifierConfig:
        """The configuration the environment describes."""
        urgent = {s.strip() for s in settings.notify_urgent_statuses.split(",") if s.strip()}
        return cls(
            quiet_hours=QuietHours.parse(settings.quiet_hours, settings.timezone),
            urgent_statuses=frozenset(urgent),
            sms_diacritics=settings.sms_diacritics,
            survey_enabled=settings.notify_survey_enabled,
            sms_rate=settings.notify_sms_rate,
            telegram_rate=settings.notify_telegram_rate,
            telegram_chat_interval=settings.notify_telegram_chat_interval_seconds,
            zalo_rate=settings.notify_zalo_rate,
            batch_size=settings.notify_batch_size,
            send_concurrency=settings.notify_send_concurrency,
            lease_seconds=settings.notify_lease_seconds,
            poll_seconds=settings.notify_poll_seconds,
            feed_page_size=settings.notify_feed_page_size,
            provider_timeout=settings.notify_provider_timeout_seconds,
            max_attempts=settings.notify_max_attempts,
            retry_base=settings.notify_retry_base_seconds,
            retry_max=settings.notify_retry_max_seconds,
            otp_attempts=settings.notify_otp_attempts,
            otp_ttl_seconds=settings.notify_otp_ttl_seconds,
        )
