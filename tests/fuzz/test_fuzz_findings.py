"""What fuzzing found, written out: each input answered 500 (or was taken) before it was bounded."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from fuzzing import PUBLIC_BASE_URL, TELEGRAM_SECRET, TWILIO_TOKEN, ZALO_APP_ID, ZALO_SECRET
from twilio.request_validator import RequestValidator

from bot.web_identity import COOKIE_NAME
from simulators.telegram.app import create_app as create_telegram
from simulators.twilio.app import create_app as create_twilio
from zalo_oa.signature import HEADER, signature_header

_POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def _with_cookie(client: TestClient) -> TestClient:
    identity = client.app.state.web_identity  # type: ignore[attr-defined]
    client.cookies.set(COOKIE_NAME, identity.cookie_value(identity.new_conversation()))
    return client


@_POSTGRES_ONLY
def test_a_notification_id_beyond_the_databases_integers_is_refused_with_422(
    fresh_gateway: TestClient,
) -> None:
    client = _with_cookie(fresh_gateway)
    too_large = client.get(
        "/api/chat/notifications", params={"after": "629103599810926977717633024"}
    )
    assert too_large.status_code == 422
    assert too_large.json()["errors"][0]["field"] == "query.after"
    largest = client.get("/api/chat/notifications", params={"after": str(2**63 - 1)})
    assert largest.status_code == 200
    assert largest.json() == {"notifications": []}


def _signed_post(client: TestClient, path: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE_URL + path, form)
    return client.post(
        path,
        content=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )


@_POSTGRES_ONLY
@pytest.mark.parametrize(
    "form",
    [
        {"MessageSid": "SM\x00", "MessageStatus": "delivered"},
        {"MessageSid": "SM" + "0" * 70, "MessageStatus": "delivered"},
        {"MessageSid": "SM1", "MessageStatus": "delivered", "ErrorCode": "3" * 40},
    ],
)
def test_a_status_callback_the_database_cannot_take_is_refused_with_400(
    fresh_gateway: TestClient, form: dict[str, str]
) -> None:
    response = _signed_post(fresh_gateway, "/webhooks/twilio/status", form)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("missing or invalid")


@_POSTGRES_ONLY
@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 0, "message": "AAA"},
        {"update_id": 1, "callback_query": []},
        {"update_id": 2**64},
        {"update_id": 1.5},
    ],
)
def test_a_telegram_update_of_another_shape_is_refused_with_400(
    fresh_gateway: TestClient, update: dict[str, object]
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    response = fresh_gateway.post("/webhooks/telegram", json=update, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "not a Telegram update"}


@_POSTGRES_ONLY
def test_a_zalo_event_with_nul_is_refused_with_400(fresh_gateway: TestClient) -> None:
    event = {"app_id": ZALO_APP_ID, "event_name": "\x00", "timestamp": "1"}
    raw = json.dumps(event).encode()
    headers = {HEADER: signature_header(ZALO_APP_ID, raw, "1", ZALO_SECRET)}
    response = fresh_gateway.post("/webhooks/zalo", content=raw, headers=headers)
    assert response.status_code == 400


def test_the_twilio_simulator_refuses_a_body_that_is_not_json_with_400() -> None:
    with TestClient(create_twilio()) as twilio:
        response = twilio.post(
            "/_sim/inbound", content=b"{}", headers={"Content-Type": "text/plain"}
        )
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["", "/", "http://\x1f", "ftp://gateway.test/sms"])
def test_the_twilio_simulator_refuses_an_inbound_sms_to_no_url_with_400(url: str) -> None:
    with TestClient(create_twilio()) as twilio:
        response = twilio.post("/_sim/inbound", json={"url": url, "body": "hi", "from": "+84"})
    assert response.status_code == 400


def test_the_telegram_simulator_refuses_a_malformed_bot_token_with_422() -> None:
    with TestClient(create_telegram()) as telegram:
        update = {"chat_id": 429, "callback_data": "x", "token": "*"}
        response = telegram.post("/_sim/updates", json=update)
    assert response.status_code == 422
