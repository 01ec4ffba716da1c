"""What a production process refuses to start with (`ENVIRONMENT=production`).

- every secret setting (each `SecretStr`: provider tokens, webhook and session secrets,
  Rasa's API token; an optional one only when it is set) empty, still holding the
  placeholder, or shorter than `MIN_SECRET_LENGTH`;
- a `DATABASE_URL` without a password of that length (SQLite has none: production runs
  PostgreSQL);
- an outside service (the one-stop system, Twilio, Telegram, Zalo) on this machine or
  an unspecified address (a simulator), or reached without https;
- a `PUBLIC_BASE_URL` that is not https (webhook signatures and the web chat's Secure
  cookie are computed over it), or on this machine;
- `TRUSTED_PROXIES` containing `*` (anyone could then claim any client address);
- an `ADMIN_PASSWORD` (the first console admin's; unset is fine) that is weak as above
  or contains `ADMIN_USERNAME`.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import SecretStr
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from settings import Settings

__all__ = ["MIN_SECRET_LENGTH", "is_local_host", "production_problems"]

MIN_SECRET_LENGTH = 16
PLACEHOLDER_SECRET = "change-me"
# Outside services by setting; unset or empty (Twilio, Telegram): the provider's own API.
OUTSIDE_SERVICES = (
    "onestop_base_url",
    "twilio_base_url",
    "telegram_base_url",
    "zalo_base_url",
    "zalo_oauth_url",
)


def is_local_host(host: str | None) -> bool:
    """True for this machine or no machine at all: localhost, 127.0.0.0/8, ::1, 0.0.0.0."""
    if not host:
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def production_problems(settings: Settings) -> list[str]:
    """Each unsafe setting, named with what to do about it (empty: safe)."""
    return [
        *_weak_secrets(settings),
        *_database_problems(settings.database_url),
        *_outside_service_problems(settings),
        *_public_url_problems(settings.public_base_url),
        *_proxy_problems(settings.trusted_proxies),
        *_admin_problems(settings),
    ]


def _is_weak(secret: str) -> bool:
    return len(secret) < MIN_SECRET_LENGTH or PLACEHOLDER_SECRET in secret


def _weak_secrets(settings: Settings) -> list[str]:
    weak = [
        name.upper()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
        and _is_weak(value.get_secret_value())
    ]
    if not weak:
        return []
    return [
        f"{', '.join(weak)}: empty, the placeholder '{PLACEHOLDER_SECRET}', or shorter than "
        f"{MIN_SECRET_LENGTH} characters (set a random value, e.g. `openssl rand -hex 32`)"
    ]


def _database_problems(database_url: str) -> list[str]:
    try:
        password = make_url(database_url).password
    except Exception:  # noqa: BLE001 - an unparsable URL is refused below like a bad one
        password = None
    if password is None or _is_weak(str(password)):
        return [
            f"DATABASE_URL: needs PostgreSQL with a password of at least {MIN_SECRET_LENGTH} "
            f"characters, not '{PLACEHOLDER_SECRET}'"
        ]
    return []


def _outside_service_problems(settings: Settings) -> list[str]:
    problems = []
    for name in OUTSIDE_SERVICES:
        url = getattr(settings, name)
        if not url:  # unset or empty: the provider's own API
            continue
        parts = urlsplit(url)
        if is_local_host(parts.hostname):
            problems.append(f"{name.upper()}: {url} is this machine (a simulator?)")
        elif parts.scheme != "https":
            problems.append(f"{name.upper()}: {url} must use https")
    return problems


def _public_url_problems(public_base_url: str) -> list[str]:
    parts = urlsplit(public_base_url)
    if parts.scheme != "https" or is_local_host(parts.hostname):
        return [f"PUBLIC_BASE_URL: {public_base_url} must be the public https address"]
    return []


def _proxy_problems(trusted_proxies: str) -> list[str]:
    if "*" in trusted_proxies:
        return ["TRUSTED_PROXIES: list the proxies' addresses or networks, never '*'"]
    return []


def _admin_problems(settings: Settings) -> list[str]:
    if settings.admin_password is None:
        return []
    password = settings.admin_password.get_secret_value().lower()
    if settings.admin_username.strip().lower() in password:
        return ["ADMIN_PASSWORD: must not contain ADMIN_USERNAME"]
    return []
