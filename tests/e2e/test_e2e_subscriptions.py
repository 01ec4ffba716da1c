"""Following a dossier end to end: "theo dõi hồ sơ" in the web chat → a one-time code by
SMS (read from the Twilio simulator) → the code typed back → a status change in the
one-stop simulator → the notification the web chat page polls for → "hủy theo dõi".

Real gateway, Rasa, action server, notifier and simulators (the session's stack).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


async def ask(gateway: httpx.AsyncClient, sender: str, message: str) -> dict[str, Any]:
    response = await gateway.post("/api/chat", json={"sender": sender, "message": message})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(reply["text"] for reply in body["replies"])


async def a_processing_dossier_with_phone(onestop: httpx.AsyncClient) -> dict[str, Any]:
    response = await onestop.get("/api/dossiers", params={"status": "processing", "limit": 100})
    response.raise_for_status()
    candidates = [item for item in response.json()["items"] if item.get("SoDienThoai")]
    return random.choice(candidates)


async def eventually(probe: Any, what: str, seconds: float = 45.0) -> Any:
    """Call the async `probe` until it returns something truthy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds:g} s")


async def test_follow_a_dossier_and_read_its_status_change_in_the_web_chat(
    gateway: httpx.AsyncClient, running_stack: Any, sender: str
) -> None:
    settings = running_stack.settings
    assert settings.twilio_base_url
    async with (
        httpx.AsyncClient(base_url=settings.onestop_base_url, timeout=10) as onestop,
        httpx.AsyncClient(base_url=settings.twilio_base_url, timeout=10) as twilio,
    ):
        record = await a_processing_dossier_with_phone(onestop)
        code = record["MaHoSo"]

        asked = await ask(gateway, sender, f"theo dõi hồ sơ {code.lower().replace('.', ' ')}")
        assert asked["intent"] == "subscribe_dossier", asked
        assert asked["dossier_code"] == code
        assert "6 chữ số" in text_of(asked)

        async def otp_sms() -> str | None:
            messages = (await twilio.get("/_sim/messages")).json()
            for message in messages:
                found = re.search(rf"{re.escape(code)}: (\d{{6}})\.", message["body"])
                if found:
                    assert message["to"].endswith(record["SoDienThoai"][-9:])
                    return found[1]
            return None

        otp = await eventually(otp_sms, "the one-time code SMS")

        wrong = "000000" if otp != "000000" else "111111"
        refused = await ask(gateway, sender, wrong)
        assert refused["intent"] == "confirm_code", refused
        assert "chưa đúng" in text_of(refused)

        confirmed = await ask(gateway, sender, otp)
        assert confirmed["intent"] == "confirm_code", confirmed
        assert "Đã xác nhận" in text_of(confirmed) and code in text_of(confirmed)

        moved = await onestop.post(f"/api/dossiers/{code}/transition", json={"status": "releasing"})
        moved.raise_for_status()

        async def notification() -> list[dict[str, Any]]:
            response = await gateway.get("/api/chat/notifications", params={"sender": sender})
            assert response.status_code == 200, response.text
            return [n for n in response.json()["notifications"] if code in n["text"]]

        notices = await eventually(notification, "the web chat notification")
        assert len(notices) == 1 and "hủy theo dõi" in notices[0]["text"]

        ended = await ask(gateway, sender, "hủy theo dõi")
        assert ended["intent"] == "unsubscribe_dossier", ended
        assert code in text_of(ended)
