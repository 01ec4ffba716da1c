"""Issue 9.7: with ENVIRONMENT=production, start-up refuses unsafe settings."""

from __future__ import annotations

from typing import Any

import pytest
from production_env import production_settings
from pydantic import SecretStr, ValidationError

from settings import Settings


def test_a_safe_full_set_starts() -> None:
    settings = production_settings()

    assert settings.environment == "production"


@pytest.mark.parametrize("empty", [None, ""])
def test_unset_provider_urls_mean_the_real_apis(empty: str | None) -> None:
    settings = production_settings(twilio_base_url=empty, telegram_base_url=empty)

    assert not settings.twilio_base_url and not settings.telegram_base_url


def test_development_keeps_its_embedded_defaults() -> None:
    assert Settings(environment="development").public_base_url.startswith("http://127.0.0.1")


SECRETS = [
    "twilio_auth_token",
    "telegram_bot_token",
    "telegram_webhook_secret",
    "zalo_oa_access_token",
    "admin_session_secret",
    "rasa_auth_token",
]


@pytest.mark.parametrize("name", SECRETS)
@pytest.mark.parametrize("value", ["", "change-me", "short-secret", "x" * 20 + "change-me"])
def test_weak_secrets_are_refused(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match=name.upper()):
        production_settings(**{name: SecretStr(value)})


def test_every_secret_setting_is_checked_including_ones_added_later() -> None:
    secrets = [n for n, f in Settings.model_fields.items() if f.annotation is SecretStr]
    assert set(SECRETS) <= set(secrets)
    for name in secrets:
        with pytest.raises(ValidationError, match=name.upper()):
            production_settings(**{name: SecretStr("change-me")})


@pytest.mark.parametrize("name", ["onestop_auth_header", "health_token"])
def test_optional_secrets_are_checked_when_set(name: str) -> None:
    assert getattr(production_settings(**{name: None}), name) is None
    with pytest.raises(ValidationError, match=name.upper()):
        production_settings(**{name: SecretStr("Bearer change-me")})


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:///var/assistant.db",
        "postgresql+psycopg://assistant@postgres:5432/assistant",
        "postgresql+psycopg://assistant:change-me@postgres:5432/assistant",
        "postgresql+psycopg://assistant:short@postgres:5432/assistant",
    ],
)
def test_a_database_without_a_strong_password_is_refused(database_url: str) -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        production_settings(database_url=database_url)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("onestop_base_url", "http://127.0.0.1:8100"),
        ("onestop_base_url", "http://localhost:8100"),
        ("onestop_base_url", "http://motcua.example.gov.vn"),
        ("twilio_base_url", "http://127.0.0.1:8200"),
        ("twilio_base_url", "https://0.0.0.0:8200"),
        ("telegram_base_url", "http://127.0.0.1:8300"),
        ("telegram_base_url", "https://[::1]:8300"),
        ("zalo_base_url", "http://openapi.zalo.me"),
    ],
)
def test_simulator_local_or_plain_http_outside_services_are_refused(name: str, url: str) -> None:
    with pytest.raises(ValidationError, match=name.upper()):
        production_settings(**{name: url})


@pytest.mark.parametrize(
    "url", ["http://trolymotcua.example.gov.vn", "https://127.0.0.1:8000", "http://127.0.0.1:8000"]
)
def test_public_base_url_must_be_public_https(url: str) -> None:
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL"):
        production_settings(public_base_url=url)


@pytest.mark.parametrize("proxies", ["*", "10.0.0.2,*"])
def test_trusting_every_proxy_is_refused(proxies: str) -> None:
    with pytest.raises(ValidationError, match="TRUSTED_PROXIES"):
        production_settings(trusted_proxies=proxies)


def test_the_refusal_names_every_problem_at_once() -> None:
    unsafe: dict[str, Any] = {
        "twilio_auth_token": SecretStr("change-me"),
        "public_base_url": "http://127.0.0.1:8000",
        "onestop_base_url": "http://127.0.0.1:8100",
    }
    with pytest.raises(ValidationError) as refused:
        production_settings(**unsafe)

    message = str(refused.value)
    assert all(name in message for name in ("TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "ONESTOP"))


def test_the_refusal_does_not_echo_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    # From the environment a secret arrives as plain text, before it becomes a SecretStr.
    secrets = {name.upper(): f"{name}-0123456789-from-env" for name in SECRETS}
    for name, value in {**secrets, "ENVIRONMENT": "production"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()

    assert "PUBLIC_BASE_URL" in str(refused.value)
    assert "from-env" not in str(refused.value)
