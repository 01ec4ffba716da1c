"""Bounds on /api/chat and its notifications: body size, requests a minute per client address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from gateway_helpers import client_of

from bot.app import create_app
from bot.chat_limits import ChatRateLimiter
from db import upgrade_to_head
from settings import Settings
from testing.clock import FakeClock

TOO_LARGE = "Yêu cầu quá lớn (tối đa 16 KiB). Bạn hãy gửi câu hỏi ngắn gọn hơn, mỗi lần một câu."


def json_body(size: int) -> bytes:
    prefix, suffix = b'{"message": "', b'"}'
    return prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix


async def test_a_20_kib_body_is_refused_by_its_length(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    response = await gateway.post(
        "/api/chat", content=json_body(20 * 1024), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}
    assert fake_rasa.received == []


async def test_a_chunked_body_is_refused_before_it_is_read_whole(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    body = json_body(40 * 1024)
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1024):
            sent.append(start)
            yield body[start : start + 1024]

    response = await gateway.post(
        "/api/chat", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert len(sent) < 20  # of 40 chunks: it stopped reading just past 16 KiB
    assert fake_rasa.received == []


async def test_a_body_just_under_16_kib_is_read(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/api/chat", content=json_body(16 * 1024), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200  # answered (as too long a message), not refused


async def test_the_61st_message_in_a_minute_gets_429_in_vietnamese(
    gateway_app: FastAPI, chat_clock: FakeClock, fake_rasa: Any
) -> None:
    async with client_of(gateway_app) as flood, client_of(gateway_app, "10.0.0.2") as other:
        for n in range(60):
            response = await flood.post("/api/chat", json={"message": f"câu {n}"})
            assert response.status_code == 200, n

        refused = await flood.post("/api/chat", json={"message": "câu 61"})
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert refused.json() == {
            "detail": "Bạn gửi tin nhắn quá nhanh. Vui lòng đợi 1 giây rồi gửi lại."
        }
        assert len(fake_rasa.received) == 60
        # Another address is not held back; the flooder is, until tokens come back.
        assert (await other.post("/api/chat", json={"message": "xin chào"})).status_code == 200
        chat_clock.advance(1.0)
        assert (await flood.post("/api/chat", json={"message": "lại"})).status_code == 200
        assert (await flood.post("/api/chat", json={"message": "lại"})).status_code == 429


async def test_polling_notifications_has_its_own_budget_per_address(
    gateway_app: FastAPI, gateway_settings: Settings, chat_clock: FakeClock
) -> None:
    upgrade_to_head(gateway_settings.database_url)
    async with client_of(gateway_app) as poller, client_of(gateway_app, "10.0.0.2") as other:
        for n in range(120):
            response = await poller.get("/api/chat/notifications")
            assert response.status_code == 200, n

        refused = await poller.get("/api/chat/notifications")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert "quá nhanh" in refused.json()["detail"]
        # The page's polling did not spend its messages, nor another address's reads.
        assert (await poller.post("/api/chat", json={"message": "xin chào"})).status_code == 200
        assert (await other.get("/api/chat/notifications")).status_code == 200
        chat_clock.advance(0.5)  # 2 a second come back
        assert (await poller.get("/api/chat/notifications")).status_code == 200
        assert (await poller.get("/api/chat/notifications")).status_code == 429


def test_zero_a_minute_turns_the_limit_off() -> None:
    limiter = ChatRateLimiter(0, clock=FakeClock())
    assert all(limiter.take("127.0.0.1") == 0.0 for _ in range(10_000))


@pytest.fixture
async def behind_proxy(fake_rasa: Any, gateway_settings: Settings) -> AsyncIterator[FastAPI]:
    settings = gateway_settings.model_copy(
        update={"trusted_proxies": "10.0.0.0/8, 192.168.1.1", "chat_rate_per_minute": 2}
    )
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.1.2.3", "203.0.113.9", "203.0.113.9"),
        ("10.1.2.3", "6.6.6.6, 203.0.113.9, 192.168.1.1", "203.0.113.9"),
        ("10.1.2.3", "not-an-ip, 10.4.4.4", "10.4.4.4"),
        ("203.0.113.50", "1.2.3.4", "203.0.113.50"),  # not a trusted proxy: header ignored
        ("10.1.2.3", None, "10.1.2.3"),
    ],
)
async def test_forwarded_for_is_believed_only_from_trusted_proxies(
    behind_proxy: FastAPI, fake_rasa: Any, peer: str, forwarded: str | None, client: str
) -> None:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    async with client_of(behind_proxy, peer) as http:
        response = await http.post("/api/chat", json={"message": "xin chào"}, headers=headers)

    assert response.status_code == 200
    assert fake_rasa.received[0]["metadata"] == {"client": client}


async def test_the_rate_limit_counts_the_forwarded_client(behind_proxy: FastAPI) -> None:
    async with client_of(behind_proxy, "10.1.2.3") as proxy:

        async def post(client: str) -> int:
            response = await proxy.post(
                "/api/chat", json={"message": "xin chào"}, headers={"X-Forwarded-For": client}
            )
            return response.status_code

        assert [await post("203.0.113.9") for _ in range(3)] == [200, 200, 429]
        assert await post("203.0.113.10") == 200
