"""A citizen in a Telegram chat, as the Telegram simulator lets a test be one."""

from __future__ import annotations

from typing import Any

import httpx
from e2e_support import SimulatedCitizen


class TelegramCitizen(SimulatedCitizen):
    """Writes and presses buttons in one private chat; reads what the bot sent there."""

    def __init__(self, sim: httpx.AsyncClient, chat_id: int) -> None:
        self.sim = sim
        self.chat_id = chat_id
        self.seen = 0

    async def write(self, text: str) -> None:
        response = await self.sim.post(
            "/_sim/updates", json={"chat_id": self.chat_id, "text": text}
        )
        response.raise_for_status()

    async def press(self, data: str) -> None:
        body = {"chat_id": self.chat_id, "callback_data": data}
        (await self.sim.post("/_sim/updates", json=body)).raise_for_status()

    def who(self) -> str:
        return f"chat {self.chat_id}"

    async def sent(self) -> list[dict[str, Any]]:
        response = await self.sim.get("/_sim/sent", params={"chat_id": self.chat_id})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages

    def text_of(self, message: dict[str, Any]) -> str:
        return str(message["text"])


def buttons_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every inline button under `messages`."""
    rows = [
        row for m in messages for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
    ]
    return [button for row in rows for button in row]
