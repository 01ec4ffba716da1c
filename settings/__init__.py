"""One settings object for every process, read from the environment (and `.env`).

Secrets are `SecretStr`; with `ENVIRONMENT=production` start-up refuses unsafe settings
(weak secrets, simulator URLs, plain http: see `settings.production`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from settings.production import PLACEHOLDER_SECRET, production_problems

__all__ = ["REPO_ROOT", "Settings", "get_settings", "PLACEHOLDER_SECRET"]

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration by environment; defaults are the embedded development stack."""

    # A refusal never echoes the input (it holds the secrets, in plain text from the env).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"

    # Database: SQLite file by default, PostgreSQL in production and CI.
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'assistant.db'}"

    # Gateway (bot/): the one ASGI app with webhooks, /api/chat and /admin.
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    # The address the outside world uses to reach the gateway (behind a proxy);
    # webhook signatures are computed over it.
    public_base_url: str = "http://127.0.0.1:8000"
    # Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For names the client;
    # empty: the peer address is the client, whatever the header says.
    trusted_proxies: str = ""
    # Operators send it as `X-Health-Token` to see /health's details (latencies, errors);
    # unset: everyone gets the public up/down answer only.
    health_token: SecretStr | None = None

    # Rasa server and action server.
    rasa_url: str = "http://127.0.0.1:5005"
    # Several Rasa processes (a conversation always goes to the same one, by a hash of
    # its sender id): either listed, comma-separated, or `rasa_processes` of them on
    # consecutive ports from rasa_url's. Empty and 1: just rasa_url.
    rasa_urls: str = ""
    rasa_processes: int = Field(default=1, ge=1)
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 10.0
    # Rasa's tracker store (rasa_ext/eviction.py reads these from its environment, with
    # the same defaults): a conversation idle this long is forgotten, and each Rasa
    # process (or the shared Redis) keeps at most this many, least recently used first.
    tracker_idle_seconds: float = Field(default=24 * 3600, gt=0)
    tracker_max_conversations: int = Field(default=50_000, ge=1)
    # Rasa's HTTP API (/status, /conversations, /model) answers only with `?token=` this;
    # the assistant channel's webhook and `GET /` need none.
    rasa_auth_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)

    # The province's one-stop system (or the simulator).
    onestop_base_url: str = "http://127.0.0.1:8100"
    onestop_auth_header: SecretStr | None = None
    # Failed dossier lookups are counted per sender to stop code guessing. Unset: each
    # action server process counts its own; with several replicas, point them all at one
    # Redis (e.g. redis://127.0.0.1:6379/0) so that the limit holds across them.
    lookup_limiter_redis_url: str | None = None
    # Lookup limits (README "Lookup limits"): distinct dossiers looked up per hour, found
    # or not, per client address (web chat IP, SMS sender), per conversation and overall
    # (an anomaly cap, logged as a warning); 0 turns one off. A re-look is free.
    lookup_client_dossiers_per_hour: int = Field(default=20, ge=0)
    lookup_conversation_dossiers_per_hour: int = Field(default=10, ge=0)
    lookup_global_dossiers_per_hour: int = Field(default=3000, ge=0)
    # Client addresses that skip those limits (comma-separated): a load test's own
    # address, never a public one.
    lookup_unlimited_clients: str = ""
    # Wrong second factors (last 4 digits of the ID number) per dossier, from anyone,
    # before its details lock; the lock doubles with each further round, up to the cap.
    lookup_factor_failures: int = Field(default=5, ge=1)
    lookup_factor_lock_minutes: int = Field(default=15, ge=1)
    lookup_factor_max_lock_hours: float = Field(default=24.0, gt=0)
    # The office's SMS number, told in the lock reply as the owner's way in (text the
    # dossier code to it from the phone on file); empty: "the number that texts you".
    lookup_office_sms_number: str = ""

    # Twilio (SMS); the simulator listens on 8200.
    twilio_account_sid: str = "AC00000000000000000000000000000000"
    twilio_auth_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    twilio_from_number: str = "+15005550006"
    twilio_messaging_service_sid: str | None = None
    twilio_base_url: str | None = "http://127.0.0.1:8200"

    # Telegram; the simulator listens on 8300.
    telegram_bot_token: SecretStr = SecretStr("123456:" + PLACEHOLDER_SECRET)
    telegram_webhook_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    telegram_base_url: str | None = "http://127.0.0.1:8300"
    # How the gateway receives Telegram updates (bot/channels/telegram): `webhook`
    # (setWebhook to PUBLIC_BASE_URL/webhooks/telegram at start-up, with the secret),
    # `polling` (getUpdates: development without a public URL, one gateway process
    # only), `off`; `auto`: webhook when PUBLIC_BASE_URL is https, else polling (off
    # under ENVIRONMENT=test).
    telegram_mode: Literal["auto", "webhook", "polling", "off"] = "auto"
    # Messages a minute one sender may send on a chat channel (Telegram, Zalo, SMS)
    # before it gets one polite "slow down" and then silence; 0 turns the limit off.
    channel_sender_rate_per_minute: int = Field(default=20, ge=0)
    # A Telegram update or Zalo event stored by the webhook is answered by a worker that
    # holds it under a lease (renewed while it works): if its process dies, another takes
    # the update over once this much time has passed.
    channel_update_lease_seconds: float = Field(default=30.0, gt=0)
    # A stored update whose reply could not be sent (Telegram or Zalo unreachable) is
    # tried again after this, then twice as long each time (at most 5 minutes), six tries
    # in all; then it is recorded as failed.
    channel_retry_first_seconds: float = Field(default=2.0, gt=0)
    # Stored updates a gateway process answers at once, per channel. They run on the
    # webhooks' event loop: more than Rasa can take at once only delays the webhooks'
    # acknowledgements (at 16, a burst's ack p99 was 50-90 ms; at 4, 20-36 ms).
    channel_worker_concurrency: int = Field(default=4, ge=1)

    # The web chat's conversation cookie is signed with this (HMAC); a fixed
    # development value is fine, production refuses a weak one (settings.production).
    webchat_cookie_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # Messages a minute one client address may send to /api/chat (a burst of as many,
    # refilled evenly); 0 turns the limit off (the bench, whose load is one address).
    chat_rate_per_minute: int = Field(default=60, ge=0)
    # Reads of GET /api/chat/notifications a minute per client address (the page polls
    # every 15 s: 120 leaves room for 30 open tabs behind one address); 0: no limit.
    chat_notifications_rate_per_minute: int = Field(default=120, ge=0)

    # Staff console: the key its CSRF tokens are derived with (sessions themselves are
    # random values kept hashed in the database).
    admin_session_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # The first admin, made at the gateway's start when no staff account exists yet
    # (`python -m console add-user` adds more). Unset: none is made. Production refuses
    # a weak password (settings.production).
    admin_username: str = "admin"
    admin_password: SecretStr | None = None

    # Notifications: no SMS in this local-time window ("" turns it off).
    quiet_hours: str = "21:00-07:00"
    timezone: str = "Asia/Ho_Chi_Minh"

    def rasa_url_list(self) -> list[str]:
        """Every Rasa process's URL, the first one being where a single Rasa would be."""
        listed = [url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url.strip()]
        if listed:
            return listed
        first = self.rasa_url.rstrip("/")
        base = urlsplit(first)
        port = base.port or (443 if base.scheme == "https" else 80)
        host = base.hostname or "127.0.0.1"
        others = [f"{base.scheme}://{host}:{port + i}" for i in range(1, self.rasa_processes)]
        return [first, *others]

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment != "production":
            return self
        problems = production_problems(self)
        if problems:
            raise ValueError(
                "Refusing to start in production with unsafe settings:\n- " + "\n- ".join(problems)
            )
        return self

    # --- Notifier (issue 4): outbox senders, SMS templates, subscriptions ---------------
    # SMS bodies without diacritics fit one GSM-7 segment; True sends UCS-2 Vietnamese.
    sms_diacritics: bool = False
    # Statuses that may be sent by SMS during quiet hours (comma-separated, e.g. "denied").
    notify_urgent_statuses: str = ""
    # Provider rates in messages a second, per sender process (0 = unlimited).
    # Twilio long code 1/s, short code 100/s; Telegram 30/s overall and 1/s per chat.
    notify_sms_rate: float = 1.0
    notify_telegram_rate: float = 30.0
    notify_telegram_chat_interval_seconds: float = 1.0
    notify_zalo_rate: float = 10.0
    # Sender and watcher loops.
    notify_batch_size: int = 50
    notify_send_concurrency: int = 16
    notify_lease_seconds: float = 60.0
    notify_poll_seconds: float = 0.5
    # Transitions the watcher reads from the changes feed at a time (one transaction each).
    notify_feed_page_size: int = Field(default=500, ge=1, le=1000)
    # The longest one provider call may take, connection included (the dispatcher cuts it
    # there); NOTIFY_LEASE_SECONDS must exceed three of them (reconcile, send, record).
    notify_provider_timeout_seconds: float = 10.0
    # A message not sent this long after it was queued is given up (an ERROR log line);
    # `python -m notifier requeue` puts failed rows back.
    notify_give_up_hours: float = Field(default=72.0, gt=0)
    # Retry back-off without Retry-After: base * 2^(attempt-1) seconds, at most max.
    notify_retry_base_seconds: float = 0.5
    notify_retry_max_seconds: float = 300.0
    # Satisfaction survey after "done"; one-time codes for chat subscriptions.
    notify_survey_enabled: bool = True
    notify_otp_attempts: int = 5
    notify_otp_ttl_seconds: int = 600
    # One-time codes sent per phone on file, in any hour and in any day (whoever asks).
    notify_otp_per_hour: int = Field(default=3, ge=1)
    notify_otp_per_day: int = Field(default=10, ge=1)
    # ... and per dossier and requester (conversation, and client address): keep these
    # below the phone's, so one stranger reaches their own cap before the owner's.
    notify_otp_requester_per_hour: int = Field(default=2, ge=1)
    notify_otp_requester_per_day: int = Field(default=4, ge=1)
    # During quiet hours a code goes only to a phone that texted us this recently.
    notify_otp_quiet_grace_minutes: int = Field(default=10, ge=0)
    # Key the one-time codes derive from: neither the outbox nor the challenges hold a code.
    notify_otp_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # Inbound SMS, finished outbox rows (delivery records) and one-time-code challenges
    # are deleted this many days after they were made; the notifier checks every interval.
    notify_retention_days: int = Field(default=90, ge=1)
    notify_purge_interval_seconds: float = Field(default=3600.0, gt=0)
    # The notifier's Prometheus /metrics (it has no other HTTP port); unset: not served.
    # Each notifier process on one host needs its own port.
    notifier_metrics_host: str = "127.0.0.1"
    notifier_metrics_port: int | None = Field(default=None, ge=0, le=65535)
    # Zalo Official Account (bot/channels/zalo, zalo_oa/): the message API
    # (https://openapi.zalo.me in production) and the token API
    # (https://oauth.zaloapp.com); the simulator serves both on 8400.
    zalo_base_url: str = "http://127.0.0.1:8400"
    zalo_oauth_url: str = "http://127.0.0.1:8400"
    zalo_app_id: str = "1234567890"
    # Webhook signatures (X-ZEvent-Signature) are made with the OA secret key; token
    # refresh is authorised by the app secret key: two different secrets.
    zalo_oa_secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    zalo_app_secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # The first token pair, copied into the database (zalo_oa_token) when it holds none;
    # afterwards the database's pair is the only one used (refresh tokens are single-use).
    zalo_oa_access_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    zalo_oa_refresh_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # Refresh the 25-hour access token once less than this is left (also the time left
    # to re-authorise the OA if a refresh's answer is ever lost: see zalo_oa.tokens).
    zalo_token_refresh_margin_seconds: float = Field(default=21600.0, gt=0)
    # Webhook events whose timestamp is further than this from now are refused (replays).
    # Zalo retries a refused delivery about 30 s, 5, 15, 30 and 60 min later (1 h 50 min
    # in all), each with the event's first timestamp: a shorter limit would refuse those
    # retries. Replays within it are harmless: events are de-duplicated by key for good.
    zalo_webhook_max_age_seconds: float = Field(default=7200.0, gt=0)
    # A chat notification more than 48 h after the user's last message: `paid` sends it
    # as a (charged) consultation message up to 7 days, `sms` by SMS to the phone on file.
    zalo_outside_window: Literal["paid", "sms"] = "paid"
    # Inbound SMS webhook: largest form body accepted, in bytes.
    sms_webhook_max_bytes: int = 16_384


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
