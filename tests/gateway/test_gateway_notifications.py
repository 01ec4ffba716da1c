"""`GET /api/chat/notifications`: what the notifier wrote for a web chat conversation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from gateway_helpers import client_of

from db import make_engine, make_session_factory, upgrade_to_head
from notifier.outbox import NewMessage, enqueue
from settings import Settings


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


async def notifications(gateway: httpx.AsyncClient, after: int = 0, **params: str) -> list[dict]:
    response = await gateway.get("/api/chat/notifications", params={"after": after, **params})
    assert response.status_code == 200, response.text
    items: list[dict] = response.json()["notifications"]
    return items


async def conversation_of(gateway: httpx.AsyncClient, fake_rasa: Any, **body: str) -> str:
    """The Rasa sender id the gateway gives `gateway`'s conversation (from its cookie)."""
    response = await gateway.post("/api/chat", json={"message": "theo dõi hồ sơ", **body})
    assert response.status_code == 200
    sender: str = fake_rasa.received[-1]["sender"]
    return sender


async def test_a_conversation_reads_its_own_notifications_in_order(
    gateway: httpx.AsyncClient, gateway_settings: Settings, fake_rasa: Any
) -> None:
    mine = await conversation_of(gateway, fake_rasa)
    write_outbox(
        gateway_settings.database_url,
        [
            chat_message(mine, "Hồ sơ đã được tiếp nhận.", "c1"),
            chat_message("web-someoneelse", "Không phải của bạn.", "c2"),
            chat_message("+84901234567", "Ho so da duoc tiep nhan.", "c3", channel="sms"),
            chat_message(mine, "Hồ sơ đang được giải quyết.", "c4"),
        ],
    )

    read = await notifications(gateway)
    assert [n["text"] for n in read] == ["Hồ sơ đã được tiếp nhận.", "Hồ sơ đang được giải quyết."]
    assert read[0]["id"] < read[1]["id"]
    assert [n["text"] for n in await notifications(gateway, after=read[0]["id"])] == [
        "Hồ sơ đang được giải quyết."
    ]
    assert await notifications(gateway, after=read[1]["id"]) == []
    # A sub-conversation under the same cookie is another conversation.
    assert await notifications(gateway, sender="bench-1") == []


async def test_a_stranger_cannot_read_another_conversations_notifications(
    gateway_app: FastAPI, gateway_settings: Settings, fake_rasa: Any
) -> None:
    async with client_of(gateway_app) as owner, client_of(gateway_app) as stranger:
        victim = await conversation_of(owner, fake_rasa, sender="phone")
        write_outbox(gateway_settings.database_url, [chat_message(victim, "Của chủ hồ sơ.", "v")])

        # Naming the victim's id (or its sub-conversation) reads one's own, empty one.
        for params in ({"sender": victim}, {"sender": "phone"}, {}):
            assert await notifications(stranger, **params) == [], params
        assert "assistant_chat" in stranger.cookies  # and a cookie of its own

        assert [n["text"] for n in await notifications(owner, sender="phone")] == ["Của chủ hồ sơ."]


async def test_malformed_requests_are_refused(gateway: httpx.AsyncClient) -> None:
    for params in ({"sender": "<script>"}, {"sender": "sms:+84901234567"}, {"after": "-1"}):
        response = await gateway.get("/api/chat/notifications", params=params)
        assert response.status_code == 422, params


async def test_notifications_come_a_page_at_a_time(
    gateway: httpx.AsyncClient, gateway_settings: Settings, fake_rasa: Any
) -> None:
    mine = await conversation_of(gateway, fake_rasa, sender="paged")
    texts = [f"Thông báo {n}" for n in range(60)]
    write_outbox(
        gateway_settings.database_url,
        [chat_message(mine, text, f"page-{n}") for n, text in enumerate(texts)],
    )
    first = await notifications(gateway, sender="paged")
    assert [n["text"] for n in first] == texts[:50]
    rest = await notifications(gateway, after=first[-1]["id"], sender="paged")
    assert [n["text"] for n in rest] == texts[50:]
