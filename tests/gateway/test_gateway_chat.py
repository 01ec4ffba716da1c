"""POST /api/chat: mapping Rasa's answer, bad input, and Rasa being down."""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
import pytest

from testing.fake_rasa import birth_documents_answer, rasa_answer


async def chat(gateway: httpx.AsyncClient, message: Any, **extra: Any) -> httpx.Response:
    return await gateway.post(
        "/api/chat", json={"sender": "web-abc123", "message": message, **extra}
    )


async def test_reply_names_documents_and_procedure(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.answers["giấy tờ làm khai sinh"] = birth_documents_answer()

    response = await chat(gateway, "giấy tờ làm khai sinh", locale="vi")

    assert response.status_code == 200
    body = response.json()
    assert body["intent"] == "ask_documents"
    assert body["confidence"] == 0.97
    assert body["procedure_code"] == "1.001193"
    assert body["dossier_code"] is None
    assert [r["text"] for r in body["replies"]] == [
        "Hồ sơ đăng ký khai sinh gồm:\n- Giấy chứng sinh (bản chính, 1 bản)",
        "Bạn muốn hỏi thêm gì?",
    ]
    assert body["replies"][0]["buttons"] == []
    assert body["replies"][1]["buttons"] == [
        {"title": "Lệ phí", "payload": '/ask_fee{"procedure_code":"1.001193"}'}
    ]
    [received] = fake_rasa.received
    assert received["message"] == "giấy tờ làm khai sinh"
    assert received["metadata"] == {"locale": "vi", "client": "127.0.0.1"}
    # The conversation is the gateway's (from its cookie), not the body's `sender`.
    assert re.fullmatch(r"web-[0-9a-f]{32}", received["sender"])


async def test_dossier_lookup_fields_are_passed_on(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    fake_rasa.answers["000.00.06.H56-231027-0361"] = rasa_answer(
        "Hồ sơ đang được giải quyết.",
        intent="ask_status",
        confidence=0.99,
        procedure_code="1.001193",
        dossier_code="000.00.06.H56-231027-0361",
        dossier_status="processing",
    )

    body = (await chat(gateway, "000.00.06.H56-231027-0361")).json()

    assert body["dossier_code"] == "000.00.06.H56-231027-0361"
    assert body["dossier_status"] == "processing"
    assert body["procedure_code"] == "1.001193"


@pytest.mark.parametrize("message", ["", "   ", "\n\t  \n", "\x00\x07"])
async def test_empty_message_gets_a_prompt_without_asking_rasa(
    gateway: httpx.AsyncClient, fake_rasa: Any, message: str
) -> None:
    response = await chat(gateway, message)

    assert response.status_code == 200
    body = response.json()
    assert body["intent"] is None
    assert "Bạn chưa nhập nội dung" in body["replies"][0]["text"]
    assert fake_rasa.received == []


async def test_too_long_message_gets_a_clear_reply_and_is_not_read(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    message = "giấy tờ làm khai sinh " + "rất dài " * 700  # about 5,600 characters

    response = await chat(gateway, message)

    assert response.status_code == 200
    assert response.json()["replies"] == [
        {
            "text": "Tin nhắn của bạn quá dài (hơn 1.000 ký tự) nên tôi chưa đọc. Bạn hãy hỏi "
            "ngắn gọn từng câu, ví dụ: “giấy tờ làm khai sinh” hoặc “tra cứu hồ sơ”.",
            "buttons": [],
        }
    ]
    assert fake_rasa.received == []


async def test_a_message_at_the_limit_reaches_rasa_whole(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    message = ("khai sinh " * 100)[:1000]

    response = await chat(gateway, message)

    assert response.status_code == 200
    assert fake_rasa.received[0]["message"] == message.strip()


@pytest.mark.parametrize(
    "message",
    [
        "<script>alert('x')</script> làm khai sinh",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE procedures; --",
        "1' OR '1'='1",
        "làm khai sinh 👶🏻🎉",
        "{{7*7}} ${7*7} %s %n",
    ],
)
async def test_markup_sql_and_emoji_reach_rasa_as_plain_text(
    gateway: httpx.AsyncClient, fake_rasa: Any, message: str
) -> None:
    response = await chat(gateway, message)

    assert response.status_code == 200
    assert fake_rasa.received[0]["message"] == message
    assert response.json()["replies"][0]["text"] == f"Bạn đã hỏi: {message}"


async def test_decomposed_vietnamese_is_normalised(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    # What some phone keyboards send: base letters followed by combining marks.
    await chat(gateway, "gia\u0302\u0301y to\u031b\u0300 khai sinh cho con")

    assert fake_rasa.received[0]["message"] == "giấy tờ khai sinh cho con"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b'{"sender": "web-1", "message": ', "body"),
        (b"not json at all", "body"),
        (b'{"sender": "telegram:123", "message": "xin chao"}', "sender"),
        (b'{"sender": "web-1"}', "message"),
        (b'{"sender": "web-1", "message": 42}', "message"),
        (b'{"sender": "", "message": "xin chao"}', "sender"),
        (b'{"sender": "a b<script>", "message": "xin chao"}', "sender"),
        (b'{"sender": "' + b"x" * 129 + b'", "message": "xin chao"}', "sender"),
        (b"[1, 2]", "body"),
    ],
)
async def test_invalid_request_is_422_in_vietnamese(
    gateway: httpx.AsyncClient, fake_rasa: Any, content: bytes, field: str
) -> None:
    response = await gateway.post(
        "/api/chat", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Yêu cầu không hợp lệ")
    assert field in {problem["field"] for problem in body["errors"]}
    assert "Traceback" not in response.text
    assert fake_rasa.received == []


@pytest.mark.parametrize("mode", ["down", "hang", "error500", "garbage"])
async def test_rasa_failure_is_a_polite_503_and_is_logged(
    gateway: httpx.AsyncClient, fake_rasa: Any, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_rasa.mode = mode
    fake_rasa.hang_seconds = 5.0  # longer than the 0.5 s Rasa timeout of the test settings
    caplog.set_level(logging.ERROR, logger="bot.webchat")

    response = await chat(gateway, "giấy tờ làm khai sinh")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.json()
    assert body["intent"] is None
    assert body["replies"] == [
        {"text": "Xin lỗi, hệ thống đang bận, vui lòng thử lại sau ít phút.", "buttons": []}
    ]
    assert "Traceback" not in response.text
    assert any("Rasa could not answer" in record.getMessage() for record in caplog.records)


async def test_request_id_is_echoed_and_forwarded_to_rasa(
    gateway: httpx.AsyncClient, fake_rasa: Any
) -> None:
    response = await gateway.post(
        "/api/chat",
        json={"sender": "web-1", "message": "xin chào"},
        headers={"X-Request-ID": "req-123"},
    )
    assert response.headers["X-Request-ID"] == "req-123"
    assert fake_rasa.received_headers[0]["X-Request-ID"] == "req-123"

    fresh = await gateway.post(
        "/api/chat",
        json={"sender": "web-1", "message": "xin chào"},
        headers={"X-Request-ID": "bad id with spaces\n"},
    )
    assert fresh.headers["X-Request-ID"] != "bad id with spaces"
    assert len(fresh.headers["X-Request-ID"]) == 32


@pytest.mark.parametrize(
    "sender", ["sms:+84901234567", "telegram:123456789", "zalo:a.b_c-d@oa", "web:x"]
)
async def test_a_sender_naming_another_channel_is_refused(
    gateway: httpx.AsyncClient, fake_rasa: Any, sender: str
) -> None:
    response = await gateway.post("/api/chat", json={"sender": sender, "message": "hủy theo dõi"})

    assert response.status_code == 422
    assert "telegram:" in response.json()["errors"][0]["problem"]
    assert fake_rasa.received == []


async def test_unknown_route_is_404_in_vietnamese(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/no/such/page")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy trang này."}
