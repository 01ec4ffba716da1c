"""A complete, safe set of production settings for tests to start from and spoil."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from settings import Settings

__all__ = ["SAFE_PRODUCTION", "production_settings"]

STRONG = "0123456789abcdef0123456789abcdef"

SAFE_PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "database_url": f"postgresql+psycopg://assistant:{STRONG}@postgres:5432/assistant",
    "public_base_url": "https://trolymotcua.example.gov.vn",
    "onestop_base_url": "https://motcua.example.gov.vn",
    "twilio_base_url": None,
    "telegram_base_url": "https://api.telegram.org",
    "zalo_base_url": "https://openapi.zalo.me",
    "zalo_oauth_url": "https://oauth.zaloapp.com",
    "trusted_proxies": "10.0.0.2,10.1.0.0/16",
}


def production_settings(**overrides: Any) -> Settings:
    """`SAFE_PRODUCTION` with every secret strong, then `overrides` on top."""
    secrets = {
        name: SecretStr(f"{name}-{STRONG}")
        for name, field in Settings.model_fields.items()
        if field.annotation is SecretStr
    }
    return Settings(**{**secrets, **SAFE_PRODUCTION, **overrides})
