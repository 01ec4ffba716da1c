"""Gateway processes: an update acknowledged just before a SIGKILL is answered once after
the restart, and two processes on one PostgreSQL database answer each update once.

The gateways are real `uvicorn bot.app:app` processes (as `make run` starts them) on a
Rasa stand-in served over HTTP, which can hold its answer so that the kill lands while
the turn is under way: after the webhook's 200, before the reply.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from pg_admin import temporary_database
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session
from telegram_support import SECRET, TOKEN, wait_until

from bot.channels.telegram.models import TelegramUpdateClaim
from db import make_engine, upgrade_to_head
from settings import Settings
from testing.gateway_process import start_gateway
from testing.ports import free_port
from testing.rasa_stand_in import running_rasa

HEADER = "X-Telegram-Bot-Api-Secret-Token"
LEASE_SECONDS = 2.0


def an_update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    person = {"id": chat, "first_name": "Lan"}
    message = {"message_id": update_id, "date": int(time.time()), "text": text}
    message |= {"chat": person | {"type": "private"}, "from": person | {"is_bot": False}}
    return {"update_id": update_id, "message": message}


def gateway_settings(database_url: str, sim_url: str, rasa_url: str) -> Settings:
    port = free_port()
    return Settings(
        environment="test",
        gateway_port=port,
        public_base_url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        rasa_url=rasa_url,
        action_server_url=rasa_url,
        telegram_mode="webhook",
        telegram_base_url=sim_url,
        telegram_bot_token=SecretStr(TOKEN),
        telegram_webhook_secret=SecretStr(SECRET),
        channel_update_lease_seconds=LEASE_SECONDS,
    )


def sent_to(sim_url: str, chat: int) -> list[str]:
    answer = httpx.get(f"{sim_url}/_sim/sent", params={"chat_id": chat, "token": TOKEN})
    return [message["text"] for message in answer.raise_for_status().json()]


def post(settings: Settings, update: dict[str, Any]) -> int:
    url = f"http://127.0.0.1:{settings.gateway_port}/webhooks/telegram"
    return httpx.post(url, json=update, headers={HEADER: SECRET}, timeout=30).status_code


def stored_row(database_url: str, update_id: int) -> TelegramUpdateClaim:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            query = select(TelegramUpdateClaim).where(TelegramUpdateClaim.update_id == update_id)
            return session.scalars(query).one()
    finally:
        engine.dispose()


def test_an_update_acknowledged_before_a_sigkill_is_answered_once_after_the_restart(
    sim_url: str, tmp_path: Path
) -> None:
    httpx.post(f"{sim_url}/_sim/reset").raise_for_status()
    database_url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade_to_head(database_url)
    chat, text = 8101, "lệ phí làm hộ chiếu"
    with running_rasa() as (rasa, rasa_url):
        settings = gateway_settings(database_url, sim_url, rasa_url)
        rasa.hold()
        first = start_gateway(settings, tmp_path / "first.log")
        try:
            assert post(settings, an_update(901, chat, text)) == 200
            wait_until(lambda: rasa.texts() == [text], "the turn under way", 60)
        finally:
            first.kill()  # SIGKILL: no shut-down, the lease simply stops being renewed
        assert not first.alive and sent_to(sim_url, chat) == []
        row = stored_row(database_url, 901)
        assert row.done_at is None and row.payload is not None  # acknowledged, unanswered
        rasa.release()
        second = start_gateway(
            settings.model_copy(update={"gateway_port": free_port()}), tmp_path / "second.log"
        )
        try:
            wait_until(lambda: sent_to(sim_url, chat), "the reply after the restart", 90)
            time.sleep(3 * LEASE_SECONDS)  # any second taker would have answered by now
            assert sent_to(sim_url, chat) == [f"Bạn đã hỏi: {text}"]
        finally:
            second.stop()
    # Rasa was asked twice (the cut-short turn and the retry): at least once, by design.
    assert rasa.texts() == [text, text]
    row = stored_row(database_url, 901)
    assert row.done_at is not None and row.payload is None


def test_two_gateway_processes_on_one_postgresql_database_answer_each_update_once(
    sim_url: str, tmp_path: Path
) -> None:
    httpx.post(f"{sim_url}/_sim/reset").raise_for_status()
    chats = range(8201, 8211)
    updates = [
        an_update(1000 + 10 * index + chat - 8201, chat, f"câu hỏi {index} của {chat}")
        for index in range(3)
        for chat in chats
    ]
    with (
        temporary_database("telegram_two_gateways") as database_url,
        running_rasa() as (
            rasa,
            rasa_url,
        ),
    ):
        upgrade_to_head(database_url)
        both = [gateway_settings(database_url, sim_url, rasa_url) for _ in range(2)]
        gateways = [
            start_gateway(settings, tmp_path / f"gateway-{n}.log")
            for n, settings in enumerate(both)
        ]
        try:
            # Every update reaches both replicas (Telegram retrying, a balancer's replay).
            calls = [(settings, update) for update in updates for settings in both]
            with ThreadPoolExecutor(max_workers=20) as pool:
                codes = list(pool.map(lambda call: post(*call), calls))
            assert codes == [200] * len(calls)
            total = lambda: sum(len(sent_to(sim_url, chat)) for chat in chats)  # noqa: E731
            wait_until(lambda: total() >= len(updates), "every update answered", 180)
            time.sleep(3 * LEASE_SECONDS)
            assert total() == len(updates)
        finally:
            for gateway in gateways:
                gateway.stop()
    assert sorted(rasa.texts()) == sorted(update["message"]["text"] for update in updates)
