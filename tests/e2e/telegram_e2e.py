"""A citizen in a Telegram chat, as the Telegram simulator lets a test be one."""

from __future__ import annotations

from typing import Any

import httpx
from e2e_support import settled_messages


class TelegramCitizen:
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

    async def sent(self) -> list[dict[str, Any]]:
        response = await self.sim.get("/_sim/sent", params={"chat_id": self.chat_id})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages

    async def next_messages(
        self, seconds: float = 60.0, settle: float = 1.0
    ) -> list[dict[str, Any]]:
        """The bot's messages since the last call, once they stop coming for `settle` s."""
        fresh = await settled_messages(
            self.sent, self.seen, seconds=seconds, settle=settle, who=f"chat {self.chat_id}"
        )
        self.seen += len(fresh)
        return fresh

    async def ask(self, text: str) -> str:
        """Write `text`; the bot's answer, all its messages joined."""
        await self.write(text)
        return "\n".join(message["text"] for message in await self.next_messages())


def buttons_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every inline button under `messages`."""
    rows = [
        row for m in messages for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
    ]
    return [button for row in rows for button in row]
