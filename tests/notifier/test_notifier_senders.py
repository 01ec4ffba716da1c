"""The chat senders against their providers' APIs: Telegram's simulator, a minimal Zalo OA."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, delete

from db import make_session_factory
from notifier.exceptions import PermanentSendError, TransientSendError
from notifier.outbox import ClaimedMessage
from notifier.senders.telegram import TelegramSender
from notifier.senders.zalo import SEND_PATH, ZaloSender
from settings import Settings
from testing.telegram_sim import telegram_simulator
from zalo_oa.models import ZaloToken

TOKEN = "123456:sender-test"


def message(
    address: str, body: str = "Hồ sơ 000.00.06.H56-231027-0361 đã có kết quả."
) -> ClaimedMessage:
    now = datetime.now(UTC)
    return ClaimedMessage(1, "x", address, body, "k", "status", False, 1, False, now, now, now)


async def test_telegram_sender_sends_and_classifies_errors() -> None:
    with telegram_simulator(TOKEN, blocked_chats=[666]) as url:
        settings = Settings(telegram_base_url=url, telegram_bot_token=SecretStr(TOKEN))
        sender = TelegramSender(settings, rate=30, chat_interval=1.0)
        try:
            provider_id = await sender.send(message("4242"))
            assert provider_id.startswith("4242:")
            with pytest.raises(PermanentSendError):
                await sender.send(message("666"))
            sent = httpx.get(f"{url}/_sim/sent", params={"token": TOKEN}).json()
            assert [entry["text"] for entry in sent if entry["chat_id"] == 4242] == [
                message("4242").body
            ]
        finally:
            await sender.aclose()


class ZaloOA:
    """A minimal stand-in for Zalo's OA message endpoint (token check, error codes)."""

    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != SEND_PATH or request.headers.get("access_token") != "zalo-token":
            return httpx.Response(200, json={"error": -216, "message": "Access token is invalid"})
        payload = json.loads(request.content)
        user = payload["recipient"]["user_id"]
        if user == "busy":
            return httpx.Response(200, json={"error": -32, "message": "Exceeded rate limit"})
        if user == "stranger":
            return httpx.Response(200, json={"error": -213, "message": "User has not followed OA"})
        self.sent.append(payload)
        data = {"message_id": f"zmsg{len(self.sent)}", "user_id": user}
        return httpx.Response(200, json={"error": 0, "message": "Success", "data": data})


async def test_zalo_sender(engine: Engine) -> None:
    oa = ZaloOA()
    settings = Settings(
        zalo_base_url="https://openapi.zalo.test", zalo_oa_access_token=SecretStr("zalo-token")
    )
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        session.execute(delete(ZaloToken))  # the configured pair seeds the store
    sender = ZaloSender(settings, rate=10, transport=httpx.MockTransport(oa), sessions=sessions)
    try:
        assert await sender.send(message("8000")) == "zmsg1"
        assert oa.sent[0]["message"] == {"text": message("8000").body}
        with pytest.raises(TransientSendError):
            await sender.send(message("busy"))
        with pytest.raises(PermanentSendError):
            await sender.send(message("stranger"))
    finally:
        await sender.aclose()
