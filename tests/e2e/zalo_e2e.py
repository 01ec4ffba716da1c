"""A citizen following the OA on Zalo, as the Zalo simulator lets a test be one."""

from __future__ import annotations

from typing import Any

import httpx
from e2e_support import SimulatedCitizen


def text_of(message: dict[str, Any]) -> str:
    """A sent message's text (plain, or the text above its quick-reply buttons)."""
    body = message["message"]
    if "text" in body:
        return str(body["text"])
    return str(body["attachment"]["payload"]["text"])


def buttons_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every quick-reply button under `messages`."""
    found: list[dict[str, Any]] = []
    for message in messages:
        attachment = message["message"].get("attachment")
        if attachment:
            found += attachment["payload"]["buttons"]
    return found


class ZaloCitizen(SimulatedCitizen):
    """Writes to the OA and presses its buttons; reads what the OA sent them."""

    def __init__(self, sim: httpx.AsyncClient, user_id: str) -> None:
        self.sim = sim
        self.user_id = user_id
        self.seen = 0

    async def act(self, path: str, body: dict[str, str] | None = None) -> None:
        """A test route of the simulator for this user (`text`, `button`, `follow`, ...)."""
        response = await self.sim.post(f"/_sim/users/{self.user_id}/{path}", json=body)
        response.raise_for_status()
        assert response.json()["statuses"] == [200], response.json()

    async def sent(self) -> list[dict[str, Any]]:
        """Everything the OA sent this user."""
        response = await self.sim.get("/_sim/messages", params={"user_id": self.user_id})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    async def write(self, text: str) -> None:
        await self.act("text", {"text": text})

    def who(self) -> str:
        return f"Zalo user {self.user_id}"

    def text_of(self, message: dict[str, Any]) -> str:
        return text_of(message)
