"""GET /metrics: the gateway's requests, latency, intents and fallbacks, without personal data."""

from __future__ import annotations

from typing import Any

import httpx

from testing.fake_rasa import birth_documents_answer, rasa_answer
from testing.metrics_text import Samples, grew, samples

SENDER = "web-5e9d0c1a"
PHONE = "0912345678"


async def scrape(gateway: httpx.AsyncClient) -> tuple[str, Samples]:
    """The /metrics body and its samples."""
    response = await gateway.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text, samples(response.text)


async def test_chat_traffic_shows_by_route_channel_intent_and_fallback(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.answers["giấy tờ làm khai sinh"] = birth_documents_answer()
    fake_rasa.answers["asdfgh"] = rasa_answer("?", intent="nlu_fallback")
    _, before = await scrape(gateway)

    for message in ("giấy tờ làm khai sinh", "giấy tờ làm khai sinh", "asdfgh"):
        response = await gateway.post("/api/chat", json={"sender": SENDER, "message": message})
        assert response.status_code == 200
    assert (await gateway.get("/static/chat.js")).status_code == 200
    assert (await gateway.get(f"/no/such/page/{PHONE}")).status_code == 404
    _, after = await scrape(gateway)

    chat = {"route": "/api/chat", "method": "POST", "channel": "webchat", "status": "200"}
    assert grew(before, after, "gateway_requests_total", **chat) == 3
    count = "gateway_request_duration_seconds_count"
    assert grew(before, after, count, route="/api/chat", channel="webchat") == 3
    assert grew(before, after, count, route="/static/{asset}", channel="webchat") == 1
    unmatched = {"route": "unmatched", "method": "GET", "channel": "none", "status": "404"}
    assert grew(before, after, "gateway_requests_total", **unmatched) == 1
    intents = "gateway_intents_total"
    assert grew(before, after, intents, intent="ask_documents", channel="webchat") == 2
    assert grew(before, after, intents, intent="nlu_fallback", channel="webchat") == 1
    assert grew(before, after, "gateway_fallbacks_total", channel="webchat") == 1


async def test_no_sender_phone_text_or_made_up_intent_becomes_a_label(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    # A citizen may type "/<anything>": Rasa passes it on as the intent.
    fake_rasa.answers[f"/nguyen_van_an_{PHONE}"] = rasa_answer("?", intent=f"nguyen_van_an_{PHONE}")
    _, before = await scrape(gateway)

    response = await gateway.post(
        "/api/chat", json={"sender": SENDER, "message": f"/nguyen_van_an_{PHONE}"}
    )
    assert response.status_code == 200
    assert (await gateway.get(f"/static/{PHONE}")).status_code == 404
    text, after = await scrape(gateway)

    assert grew(before, after, "gateway_intents_total", intent="other", channel="webchat") == 1
    not_found = {"route": "/static/{asset}", "method": "GET", "channel": "webchat", "status": "404"}
    assert grew(before, after, "gateway_requests_total", **not_found) == 1
    for personal in (SENDER, PHONE, "nguyen_van_an"):
        assert personal not in text
    assert "python_info" not in text  # no versions on the public port
