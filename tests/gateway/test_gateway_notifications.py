"""`GET /api/chat/notifications`: what the notifier wrote for a web chat conversation."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from db import make_engine, make_session_factory, upgrade_to_head
from notifier.outbox import NewMessage, enqueue
from settings import Settings

SENDER = "web-3f2a9c1d5e6b"


def write_outbox(database_url: str, messages: list[NewMessage]) -> None:
    """Migrate the gateway's database and write `messages` as the watcher would."""
    upgrade_to_head(database_url)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            enqueue(session, messages, now=datetime(2025, 3, 10, 3, 0, tzinfo=UTC))
    finally:
        engine.dispose()


def chat_message(address: str, body: str, key: str, channel: str = "webchat") -> NewMessage:
    return NewMessage(channel, address, body, key, dossier_code="000.00.06.H56-231027-0361")


async def notifications(gateway: httpx.AsyncClient, sender: str, after: int = 0) -> list[dict]:
    response = await gateway.get(
        "/api/chat/notifications", params={"sender": sender, "after": after}
    )
    assert response.status_code == 200, response.text
    items: list[dict] = response.json()["notifications"]
    return items


async def test_a_conversation_reads_its_own_notifications_in_order(
    gateway: httpx.AsyncClient, gateway_settings: Settings
) -> None:
    write_outbox(
        gateway_settings.database_url,
        [
            chat_message(SENDER, "Hồ sơ đã được tiếp nhận.", "c1"),
            chat_message("web-someoneelse", "Không phải của bạn.", "c2"),
            chat_message("+84901234567", "Ho so da duoc tiep nhan.", "c3", channel="sms"),
            chat_message(SENDER, "Hồ sơ đang được giải quyết.", "c4"),
        ],
    )

    mine = await notifications(gateway, SENDER)
    assert [n["text"] for n in mine] == ["Hồ sơ đã được tiếp nhận.", "Hồ sơ đang được giải quyết."]
    assert mine[0]["id"] < mine[1]["id"]
    assert [n["text"] for n in await notifications(gateway, SENDER, after=mine[0]["id"])] == [
        "Hồ sơ đang được giải quyết."
    ]
    assert await notifications(gateway, SENDER, after=mine[1]["id"]) == []
    assert await notifications(gateway, "web-nobody") == []
    # Other channels' conversations are not read through the web chat.
    assert await notifications(gateway, "sms:+84901234567") == []


async def test_malformed_requests_are_refused(gateway: httpx.AsyncClient) -> None:
    for params in ({"sender": "<script>"}, {}, {"sender": SENDER, "after": "-1"}):
        response = await gateway.get("/api/chat/notifications", params=params)
        assert response.status_code == 422, params
