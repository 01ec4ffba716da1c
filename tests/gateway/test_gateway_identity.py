"""Whose conversation a web chat request is: the gateway's signed cookie, never the body."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI
from gateway_helpers import client_of

from bot.app import create_app
from settings import Settings


async def sender_of(client: httpx.AsyncClient, fake_rasa: Any, **body: str) -> str:
    """Post a message as `client`; the Rasa sender id the gateway gave it."""
    response = await client.post("/api/chat", json={"message": "hủy theo dõi", **body})
    assert response.status_code == 200, response.text
    sender: str = fake_rasa.received[-1]["sender"]
    return sender


async def test_a_stranger_naming_a_conversation_acts_only_on_their_own(
    gateway_app: FastAPI, fake_rasa: Any
) -> None:
    async with client_of(gateway_app) as owner, client_of(gateway_app, "10.9.8.7") as stranger:
        victim = await sender_of(owner, fake_rasa, sender="phone")
        assert victim == await sender_of(owner, fake_rasa, sender="phone")  # stable

        # "hủy theo dõi" sent with the victim's id, or the victim's sub-conversation name,
        # reaches conversations of the stranger's own, never the victim's.
        attempts = {
            await sender_of(stranger, fake_rasa, sender=victim),
            await sender_of(stranger, fake_rasa, sender="phone"),
            await sender_of(stranger, fake_rasa),
        }
    assert victim not in attempts
    assert len(attempts) == 3
    assert all(re.fullmatch(r"web-[0-9a-f]{32}", sender) for sender in {victim, *attempts})


async def test_the_cookie_is_httponly_strict_and_set_once(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    first = await gateway.post("/api/chat", json={"message": "xin chào"})
    again = await gateway.post("/api/chat", json={"message": "xin chào"})

    cookie = first.headers["set-cookie"]
    assert cookie.startswith("assistant_chat=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/api/chat" in cookie
    assert "Secure" not in cookie  # PUBLIC_BASE_URL is http in the test settings
    assert "set-cookie" not in again.headers
    assert fake_rasa.received[0]["sender"] == fake_rasa.received[1]["sender"]


async def test_a_forged_cookie_is_a_new_conversation(gateway_app: FastAPI, fake_rasa: Any) -> None:
    async with client_of(gateway_app) as owner, client_of(gateway_app) as forger:
        victim = await sender_of(owner, fake_rasa)
        conversation, _, signature = owner.cookies["assistant_chat"].partition(".")
        forged = f"{conversation}.{'0' * len(signature)}"
        forger.cookies.set("assistant_chat", forged, domain="gateway.test", path="/api/chat")

        assert await sender_of(forger, fake_rasa) != victim
        assert forger.cookies["assistant_chat"] != forged  # replaced by a real one


async def test_sub_conversations_under_one_cookie_are_apart(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    senders = [await sender_of(gateway, fake_rasa, sender=f"bench-{n}") for n in range(3)]
    senders.append(await sender_of(gateway, fake_rasa))

    assert len(set(senders)) == 4


async def test_the_cookie_is_secure_behind_https(
    fake_rasa: Any, gateway_settings: Settings
) -> None:
    settings = gateway_settings.model_copy(
        update={"public_base_url": "https://motcua.example.gov.vn"}
    )
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with app.router.lifespan_context(app), client_of(app) as client:
        response = await client.post("/api/chat", json={"message": ""})

    assert "Secure" in response.headers["set-cookie"]
