"""The Telegram simulator, running: for tests that talk to it over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simulators.common import running_server
from simulators.telegram import TelegramSimConfig, create_app

__all__ = ["telegram_simulator"]


@contextmanager
def telegram_simulator(token: str, **options: Any) -> Iterator[str]:
    """The simulator for the bot `token`, serving on loopback in a background thread; its
    base URL. `options` are further `TelegramSimConfig` fields (rates, faults, webhooks)."""
    with running_server(create_app(TelegramSimConfig(tokens=[token], **options))) as url:
        yield url
