"""Helpers for the end-to-end tests (a unique module name: safe to import from any test)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx


async def ask(gateway: httpx.AsyncClient, sender: str, message: str) -> dict[str, Any]:
    """POST /api/chat and return the body (200 with at least one reply)."""
    response = await gateway.post("/api/chat", json={"sender": sender, "message": message})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["replies"], body
    return body


def all_text(body: dict[str, Any]) -> str:
    return "\n".join(reply["text"] for reply in body["replies"])


def vn_date(stamp: str | None) -> str | None:
    """`yyyyMMddHHmmss` (the portal's format) → `dd/mm/yyyy` as the assistant writes it."""
    if not stamp:
        return None
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").strftime("%d/%m/%Y")


def is_overdue(record: dict[str, Any], now: datetime) -> bool:
    """Not returned and past the due date (the simulator's clock is Vietnam time)."""
    due = record["NgayHenTra"]
    closed = record["TrangThaiHoSo"] in {"done", "denied", "cancelled", "unresolved"}
    return bool(due) and not closed and datetime.strptime(due, "%Y%m%d%H%M%S") < now


def vietnam_now() -> datetime:
    """Now in Vietnam, naive (the portal's stamps carry no zone)."""
    return datetime.now(timezone(timedelta(hours=7))).replace(tzinfo=None)


# Codes handed out by `Simulator.fresh` this session (the action server caches lookups).
TAKEN: set[str] = set()
# `fresh` draws from here on; the other tests use the first dossiers of each status.
FRESH_OFFSET = 200


class Simulator:
    """The stack's one-stop simulator: seeded records by status, and its fault switch."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def dossiers(self, status: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"status": status, "limit": limit, "offset": offset}
        response = await self.http.get("/api/dossiers", params=params)
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        assert items, f"the simulator has no dossier in status {status} from {offset}"
        return items

    async def fresh(self, status: str = "processing") -> dict[str, Any]:
        """A dossier no earlier test asked about, so the answer cannot come from a cache."""
        for record in await self.dossiers(status, limit=300, offset=FRESH_OFFSET):
            if record["MaHoSo"] not in TAKEN:
                TAKEN.add(record["MaHoSo"])
                return record
        raise AssertionError(f"ran out of fresh {status} dossiers")

    async def exists(self, code: str) -> bool:
        response = await self.http.get(f"/api/dossiers/{code}")
        return response.status_code == 200

    async def set_faults(self, **faults: float) -> None:
        (await self.http.post("/_sim/faults", json=faults)).raise_for_status()


async def settled_messages(
    sent: Callable[[], Awaitable[list[dict[str, Any]]]],
    seen: int,
    *,
    seconds: float,
    settle: float,
    who: str,
) -> list[dict[str, Any]]:
    """What `sent()` lists after index `seen`, once nothing new has come for `settle` s."""
    deadline = time.monotonic() + seconds
    count, quiet_since = seen, time.monotonic()
    while time.monotonic() < deadline:
        now = len(await sent())
        if now != count:
            count, quiet_since = now, time.monotonic()
        elif count > seen and time.monotonic() - quiet_since >= settle:
            return (await sent())[seen:count]
        await asyncio.sleep(0.2)
    raise AssertionError(f"nothing sent to {who} within {seconds:g} s")


class SimulatedCitizen:
    """A citizen on a simulated channel: what they were sent, read in settled batches.

    A channel's citizen says how to `write`, what the bot `sent` them, and a message's
    `text_of`; reading and asking work the same on every channel.
    """

    seen: int

    def who(self) -> str:
        raise NotImplementedError

    async def write(self, text: str) -> None:
        raise NotImplementedError

    async def sent(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def text_of(self, message: dict[str, Any]) -> str:
        raise NotImplementedError

    async def next_messages(
        self, seconds: float = 60.0, settle: float = 1.0
    ) -> list[dict[str, Any]]:
        """The bot's messages since the last call, once they stop coming for `settle` s."""
        fresh = await settled_messages(
            self.sent, self.seen, seconds=seconds, settle=settle, who=self.who()
        )
        self.seen += len(fresh)
        return fresh

    async def ask(self, text: str) -> str:
        """Write `text`; the bot's answer, all its messages joined."""
        await self.write(text)
        return "\n".join(self.text_of(message) for message in await self.next_messages())


async def one_time_code(twilio: httpx.AsyncClient, code: str, seconds: float = 45) -> str:
    """The 6 digits the notifier texted for `code` (through the Twilio simulator)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in reversed((await twilio.get("/_sim/messages")).json()):
            found = re.search(rf"{re.escape(code)}: (\d{{6}})\.", message["body"])
            if found:
                return found[1]
        await asyncio.sleep(0.5)
    raise AssertionError(f"no one-time code SMS for {code} within {seconds:g} s")


async def follows_and_hears_of_a_change(
    citizen: SimulatedCitizen,
    twilio_url: str,
    onestop: Simulator,
    code: str,
    *,
    follow: str,
    unfollow: str,
) -> None:
    """Follow `code` (one-time code by SMS), hear of its next status, then stop following."""
    async with httpx.AsyncClient(base_url=twilio_url) as twilio:
        asked = await citizen.ask(follow)
        assert "6 chữ số" in asked, asked
        otp = await one_time_code(twilio, code)
    confirmed = await citizen.ask(otp)
    assert "Đã xác nhận" in confirmed and code in confirmed, confirmed

    moved = await onestop.http.post(
        f"/api/dossiers/{code}/transition", json={"status": "releasing"}
    )
    moved.raise_for_status()
    [notice] = await citizen.next_messages(seconds=60)
    text = citizen.text_of(notice)
    assert code in text and "hủy theo dõi" in text, notice

    ended = await citizen.ask(unfollow)
    assert code in ended, ended
