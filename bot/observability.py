"""Structured (JSON-lines) logging and request ids for the gateway.

Every request gets an id (the caller's `X-Request-ID` when it is sane, else a new one),
echoed in the response header and attached to every log line written while serving it.
Every line goes through `settings.logs.RedactingFilter` (no tokens, phones or codes).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from settings import Settings
from settings.logs import install_redaction

__all__ = ["RequestIdMiddleware", "configure_logging", "current_request_id"]

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
# Attributes every LogRecord has; anything else was passed as `extra=` and is logged.
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

access_log = logging.getLogger("bot.access")


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_text:  # the redacting filter leaves the masked traceback here
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", settings: Settings | None = None) -> None:
    """Send the gateway's and uvicorn's logs to stderr as redacted JSON lines (idempotent).

    `settings` names the secret values to mask (without it, only their shapes are).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    # Third-party warnings reach `lastResort` (the root logger has no handler): mask those too.
    last_resort = [logging.lastResort] if logging.lastResort else []
    install_redaction(settings, [handler, *last_resort])
    for name in ("bot", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level.upper())
        # The root logger has no handler under uvicorn (no duplicates); under pytest it
        # holds caplog's, so tests can still read the gateway's records.
        logger.propagate = name == "bot"
    # Our middleware logs each request with its id and duration; uvicorn's line is redundant.
    logging.getLogger("uvicorn.access").disabled = True


class RequestIdMiddleware:
    """Pure ASGI middleware: assigns the request id and logs one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SANE_REQUEST_ID.match(incoming) else None
        request_id = request_id or uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            _request_id.reset(token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None
