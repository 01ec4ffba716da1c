"""One settings object for every process, read from the environment (and `.env`).

Secrets are `SecretStr`; outside development, start-up refuses a placeholder secret.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["REPO_ROOT", "Settings", "get_settings", "PLACEHOLDER_SECRET"]

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    """Configuration by environment; defaults are the embedded development stack."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

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

    # Rasa server and action server.
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 10.0

    # The province's one-stop system (or the simulator).
    onestop_base_url: str = "http://127.0.0.1:8100"
    onestop_auth_header: SecretStr | None = None

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

    # Staff console sessions.
    admin_session_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)

    # Notifications: no SMS in this local-time window ("" turns it off).
    quiet_hours: str = "21:00-07:00"
    timezone: str = "Asia/Ho_Chi_Minh"

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        secrets = {
            "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
            "TELEGRAM_BOT_TOKEN": self.telegram_bot_token,
            "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret,
            "ADMIN_SESSION_SECRET": self.admin_session_secret,
        }
        placeholders = [
            name for name, value in secrets.items()
            if PLACEHOLDER_SECRET in value.get_secret_value()
        ]
        if placeholders:
            raise ValueError(
                "Refusing to start in production with placeholder secrets: "
                + ", ".join(placeholders)
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
