"""Forged, malformed and replayed webhook calls: refused or processed once, never more.

Telegram authenticates a webhook call only by the secret given to setWebhook (there is
no MAC over the body), so every request without that exact secret is a forgery: 403
before its body is read. With the secret, a body that is not an update gets 400.
Refused requests leave no trace: no Rasa turn, no claim row, no message sent.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from telegram_support import SECRET, GatewayUnderTest, wait_until

from bot.channels.telegram import MAX_UPDATE_BYTES
from bot.channels.telegram.models import TelegramUpdateClaim
from db import make_engine

CHAT = 7101
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def an_update(update_id: int, text: str = "lệ phí khai sinh") -> dict[str, Any]:
    person = {"id": CHAT, "first_name": "Lan"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": person | {"type": "private"},
            "from": person | {"is_bot": False},
            "text": text,
        },
    }


_ENGINES: dict[str, Engine] = {}


def claims(gateway: GatewayUnderTest) -> int:
    """Rows in the gateway's claims table (updates it took on)."""
    url = gateway.app.state.settings.database_url
    engine = _ENGINES.setdefault(url, make_engine(url))
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(TelegramUpdateClaim))
        return int(count.scalar_one())


def wrong_secrets() -> st.SearchStrategy[str | None]:
    near = st.sampled_from(
        [SECRET.upper(), SECRET[:-1], SECRET + "x", " " + SECRET, SECRET[1:], SECRET + "\t"]
    )
    alphabet = st.characters(min_codepoint=33, max_codepoint=126)
    return st.one_of(st.none(), near, st.text(alphabet, min_size=1, max_size=300))


def bodies() -> st.SearchStrategy[bytes]:
    valid = st.integers(0, 2**31).map(lambda i: json.dumps(an_update(i)).encode())
    altered = st.integers(0, 2**31).map(
        lambda i: json.dumps(an_update(i, "tra cứu hồ sơ 000.00.06.H56-231027-0361")).encode()
    )
    malformed = st.binary(max_size=200)
    oversized = st.integers(1, 3).map(
        lambda n: b'{"update_id": 1, "x": "' + b"a" * n * MAX_UPDATE_BYTES
    )
    not_update = st.sampled_from(
        [b"[]", b"{}", b'{"update_id": "1"}', b'{"update_id": -4}', b"null"]
    )
    return st.one_of(valid, altered, malformed, oversized, not_update)


def test_a_thousand_forgeries_are_refused_and_leave_no_trace(
    webhook_gateway: GatewayUnderTest,
) -> None:
    url = f"{webhook_gateway.url}/webhooks/telegram"
    sent_to_gateway: list[bytes] = []
    with httpx.Client() as client:  # one kept-alive connection: 1,300 calls stay cheap

        @settings(max_examples=1300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(secret=wrong_secrets(), body=bodies())
        def forge(secret: str | None, body: bytes) -> None:
            headers = {"Content-Type": "application/json"}
            if secret is not None:
                headers[HEADER] = secret
            try:
                response = client.post(url, content=body, headers=headers)
            except httpx.LocalProtocolError:
                return  # a header value httpx itself will not send never reaches the gateway
            sent_to_gateway.append(body)
            assert response.status_code == 403
            assert webhook_gateway.rasa.received == []

        forge()
    assert len(sent_to_gateway) >= 1000  # forgeries that reached the gateway
    # Any forgery taken on would have left a claim row or a sent message by now: the
    # gateway claims an update before it answers and replies within the turn.
    time.sleep(0.5)
    assert webhook_gateway.rasa.received == []
    assert claims(webhook_gateway) == 0 and webhook_gateway.sent(CHAT) == []


def test_with_the_secret_a_body_that_is_no_update_gets_400(
    webhook_gateway: GatewayUnderTest,
) -> None:
    headers = {HEADER: SECRET, "Content-Type": "application/json"}
    oversized = json.dumps(an_update(9, "a" * (MAX_UPDATE_BYTES + 1))).encode()
    for body in (b"{not json", b"[1, 2]", b'{"message": {}}', oversized, b"\xff\xfe"):
        response = httpx.post(
            f"{webhook_gateway.url}/webhooks/telegram", content=body, headers=headers
        )
        assert response.status_code == 400, body[:40]
    assert claims(webhook_gateway) == 0 and webhook_gateway.rasa.received == []


def test_a_replayed_update_is_processed_once(webhook_gateway: GatewayUnderTest) -> None:
    headers = {HEADER: SECRET}
    update = an_update(424242)
    for _ in range(5):
        response = httpx.post(
            f"{webhook_gateway.url}/webhooks/telegram", json=update, headers=headers
        )
        assert response.status_code == 200
    webhook_gateway.replies(CHAT, 1)
    time.sleep(0.3)
    assert len(webhook_gateway.rasa.received) == 1 and len(webhook_gateway.sent(CHAT)) == 1
    assert claims(webhook_gateway) == 1


def test_an_update_reaching_two_replicas_is_processed_by_one(
    webhook_gateway: GatewayUnderTest, second_replica: GatewayUnderTest
) -> None:
    headers = {HEADER: SECRET}
    update = an_update(515151)
    for gateway in (webhook_gateway, second_replica, webhook_gateway, second_replica):
        response = httpx.post(f"{gateway.url}/webhooks/telegram", json=update, headers=headers)
        assert response.status_code == 200
    webhook_gateway.replies(CHAT, 1)
    time.sleep(0.3)
    turns = len(webhook_gateway.rasa.received) + len(second_replica.rasa.received)
    assert turns == 1 and len(webhook_gateway.sent(CHAT)) == 1
    wait_until(lambda: claims(webhook_gateway) == 1, "one claim")
