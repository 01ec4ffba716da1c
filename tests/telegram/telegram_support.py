"""What the Telegram tests share: the bot's token and secret, a citizen in the simulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from testing.fake_rasa import FakeRasa

__all__ = ["SECRET", "TOKEN", "GatewayUnderTest", "wait_until"]

TOKEN = "654321:telegram-channel-test"
SECRET = "telegram-webhook-secret_1"


def wait_until(probe: Callable[[], Any], what: str, seconds: float = 15.0) -> Any:
    """Call `probe` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {seconds:g} s")


@dataclass
class GatewayUnderTest:
    """The gateway's URL and app, the simulator's URL, the fake Rasa behind the gateway."""

    url: str
    sim_url: str
    app: FastAPI
    rasa: FakeRasa

    def user_writes(self, chat_id: int, text: str) -> dict[str, Any]:
        """A citizen sends `text` in their private chat with the bot."""
        return self._update({"chat_id": chat_id, "text": text})

    def user_presses(self, chat_id: int, data: str) -> dict[str, Any]:
        """A citizen presses the button carrying `data` under the bot's last keyboard."""
        return self._update({"chat_id": chat_id, "callback_data": data})

    def user_sends(self, chat_id: int, media: str) -> dict[str, Any]:
        """A citizen sends a sticker, photo, voice message or file (no text)."""
        return self._update({"chat_id": chat_id, "media": media})

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.sim_url}/_sim/updates", json={**body, "token": TOKEN})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message the bot sent to `chat_id`."""
        response = httpx.get(
            f"{self.sim_url}/_sim/sent", params={"chat_id": chat_id, "token": TOKEN}
        )
        response.raise_for_status()
        sent: list[dict[str, Any]] = response.json()
        return sent

    def replies(self, chat_id: int, count: int) -> list[dict[str, Any]]:
        """Wait for the bot's first `count` messages to `chat_id`."""
        wait_until(lambda: len(self.sent(chat_id)) >= count, f"{count} replies to {chat_id}")
        return self.sent(chat_id)

    def sim(self, path: str, **params: Any) -> Any:
        """A simulator test route's JSON (for this bot)."""
        response = httpx.get(f"{self.sim_url}{path}", params={**params, "token": TOKEN})
        response.raise_for_status()
        return response.json()
