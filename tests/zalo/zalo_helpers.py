"""Helpers of the Zalo tests: the world they act on, and signed events of their own."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from settings import Settings
from simulators.zalo.state import SimulatorState
from testing.fake_rasa import FakeRasa
from testing.zalo_events import ZaloApp
from zalo_oa.models import ZaloEvent

APP_ID = "4309812345678"
OA_SECRET = "oa-secret-for-webhooks-0123456789"
APP_SECRET = "app-secret-for-tokens-9876543210"
USER = "8402017312345678"


@dataclass
class ZaloWorld:
    """The simulator (HTTP client and its state), the gateway's URL, the fake Rasa."""

    simulator: httpx.Client
    gateway_url: str
    rasa: FakeRasa
    sessions: sessionmaker[Session]
    state: SimulatorState

    def write(self, text: str, user: str = USER) -> dict[str, Any]:
        """The user types `text`; the simulator's record of the delivery."""
        response = self.simulator.post(f"/_sim/users/{user}/text", json={"text": text})
        response.raise_for_status()
        return dict(response.json())

    def replies(self, user: str = USER, after: int = 0, count: int = 1) -> list[dict[str, Any]]:
        """At least `count` messages the OA sent `user` from index `after` (waits up to 10 s)."""
        deadline = time.monotonic() + 10
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            answer = self.simulator.get(
                "/_sim/messages", params={"user_id": user, "after": after, "wait": 1}
            ).json()
            found = answer["messages"]
            if len(found) >= count:
                return found
        return found

    def sent_count(self) -> int:
        """How many messages the OA has sent so far."""
        return len(self.state.sent)

    def events_stored(self) -> int:
        """Rows in zalo_event."""
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(ZaloEvent)) or 0)


APP = ZaloApp(APP_ID, OA_SECRET)


def zalo_settings(database_url: str, simulator_url: str, **others: Any) -> Settings:
    """The gateway's settings for the Zalo simulator at `simulator_url` (and `others`)."""
    secrets = {
        "zalo_oa_secret_key": OA_SECRET,
        "zalo_app_secret_key": APP_SECRET,
        "zalo_oa_access_token": "access-0",
        "zalo_oa_refresh_token": "refresh-0",
    }
    secret_settings = {name: SecretStr(value) for name, value in secrets.items()}
    urls = {"zalo_base_url": simulator_url, "zalo_oauth_url": simulator_url}
    return Settings(
        environment="test", database_url=database_url, zalo_app_id=APP_ID,
        **urls, **secret_settings, **others,
    )  # fmt: skip


def text_event(text: str, *, user: str = USER, at_ms: int | None = None) -> dict[str, Any]:
    """A `user_send_text` event of the tests' app."""
    return APP.event(text, user=user, at_ms=at_ms)


def signed(event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Zalo would send for `event`."""
    return APP.signed(event)
