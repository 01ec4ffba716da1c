"""How every process logs: secrets and personal data never reach a log line.

Each process (gateway, action server, notifier, launcher) installs `RedactingFilter` on
its log handlers. The filter rewrites a record before any handler formats it:

- the values of the configured secrets (every `SecretStr` setting, the database
  password) and anything shaped like a bot token (`/bot<token>/` in a Telegram URL,
  `123456:AA…`), a `token=` query parameter, or a password in a URL, become `***`;
- phone numbers (`+84912345678`, `0912345678`) become `[phone]`;
- six-digit numbers standing alone (one-time codes) become `[code]`.

HTTP client libraries log every request URL at INFO, and Telegram's URLs hold the bot
token: `QUIET_LOGGERS` are kept at WARNING whatever LOG_LEVEL says.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from typing import IO

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from settings import Settings

__all__ = [
    "QUIET_LOGGERS",
    "RedactingFilter",
    "Redactor",
    "configure_process_logging",
    "install_redaction",
    "secret_values",
]

# Libraries that log request URLs (with tokens) or bodies at INFO.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "twilio", "hpack", "urllib3", "aiohttp")
# Shorter configured "secrets" (empty, placeholders in tests) would mask ordinary words.
_MIN_SECRET_LENGTH = 6
# (pattern, replacement), applied in order after the configured secret values.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/bot[^/\s]+/"), "/bot***/"),
    (re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{20,}"), "***"),
    (re.compile(r"([?&](?:token|access_token|auth_token)=)[^&\s\"']+", re.IGNORECASE), r"\1***"),
    (re.compile(r"(://[^:/@\s]+:)[^@/\s]+@"), r"\1***@"),
    # Not inside a longer number, word, dossier code (…-231027-0361) or decimal.
    (re.compile(r"(?<![\w+/-])(?<!\d[.:])(?:\+\d{8,15}|0\d{9,10})(?![\w/-])(?![.:]\d)"), "[phone]"),
    (re.compile(r"(?<![\w/-])(?<!\d[.:])\d{6}(?![\w/-])(?![.:]\d)"), "[code]"),
)
_OURS = "_assistant_process_handler"
# Attributes every LogRecord has; anything else came from `extra=`.
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class Redactor:
    """Masks known secret values and secret- or person-shaped substrings in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so that a secret containing another is masked whole.
        self._secrets = sorted(
            {s for s in secrets if len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def redact(self, text: str) -> str:
        """`text` with every secret and personal datum masked."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def secret_values(settings: Settings) -> list[str]:
    """Every secret `settings` holds: its `SecretStr` values and the database password."""
    values = [
        getattr(settings, name).get_secret_value()
        for name in type(settings).model_fields
        if isinstance(getattr(settings, name), SecretStr)
    ]
    try:
        password = make_url(settings.database_url).password
    except Exception:  # noqa: BLE001 - an unparsable URL has no password to hide
        password = None
    return values + ([str(password)] if password else [])


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, exception text and extras through a `Redactor`."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self.redactor.redact
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call still gets logged, masked
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRS:
                record.__dict__[key] = _redact_value(value, redact)
        return True


def _redact_value(value: object, redact: Callable[[str], str]) -> object:
    """Strings inside `extra=` values (nested lists and dicts too) go through `redact`."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_value(item, redact) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item, redact) for item in value]
    return value


def install_redaction(
    settings: Settings | None, handlers: Iterable[logging.Handler] | None = None
) -> RedactingFilter:
    """Add a `RedactingFilter` to `handlers` (default: the root logger's); quiet URL loggers.

    Without `settings` only secret-shaped text is masked, not the configured values.
    """
    redacting = RedactingFilter(Redactor(secret_values(settings) if settings else ()))
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redacting)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return redacting


def configure_process_logging(
    settings: Settings, *, stream: IO[str] | None = None, fmt: str | None = None
) -> logging.Handler:
    """Plain-text logs on stderr for a worker process (the notifier), redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        logging.Formatter(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    # Called again (tests), the handler added last time is replaced, not doubled.
    root.handlers = [h for h in root.handlers if not getattr(h, _OURS, False)]
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    install_redaction(settings, [handler])
    return handler
