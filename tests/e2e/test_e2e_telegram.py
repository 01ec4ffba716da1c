"""Telegram end to end: python-telegram-bot in the real gateway, the Telegram simulator,
Rasa, the action server, the notifier and the other simulators (the session's stack).

The session's gateway takes updates by webhook (the simulator posts them with the secret
header); a second gateway process, with its own Telegram simulator, polls with getUpdates.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from e2e_support import follows_and_hears_of_a_change
from pydantic import SecretStr
from telegram_e2e import TelegramCitizen, buttons_of

from bot.channels.telegram.replies import START_TEXT
from testing.gateway_process import running_gateway
from testing.ports import free_port
from testing.processes import running_module

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


@pytest.fixture
async def citizen(running_stack: Any) -> AsyncIterator[TelegramCitizen]:
    """A citizen writing to the session's bot (webhook mode)."""
    base_url = running_stack.settings.telegram_base_url
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as sim:
        yield TelegramCitizen(sim, random.randint(10**8, 10**9))


@pytest.fixture(scope="module")
def polling_sim_url(running_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another Telegram simulator, and a second gateway polling it (same Rasa and database)."""
    # Another bot (its own id): update ids are claimed per bot in the shared database.
    token = "777777:polling-bot"
    with running_module("simulators.telegram", "--tokens", token) as sim_url:
        port = free_port()
        settings = running_stack.settings.model_copy(
            update={
                "telegram_mode": "polling",
                "telegram_bot_token": SecretStr(token),
                "telegram_base_url": sim_url,
                "gateway_port": port,
                "public_base_url": f"http://127.0.0.1:{port}",
            }
        )
        log = tmp_path_factory.mktemp("polling") / "gateway.log"
        with running_gateway(settings, log):
            yield sim_url


@pytest.fixture
async def polling_citizen(polling_sim_url: str) -> AsyncIterator[TelegramCitizen]:
    """A citizen writing to the polling gateway's bot."""
    async with httpx.AsyncClient(base_url=polling_sim_url, timeout=10) as sim:
        yield TelegramCitizen(sim, random.randint(10**8, 10**9))


async def asks_about_documents_and_presses_a_choice(citizen: TelegramCitizen) -> None:
    assert await citizen.ask("/start") == START_TEXT

    await citizen.write("hộ kinh doanh lệ phí bao nhiêu")
    question = await citizen.next_messages()
    buttons = buttons_of(question)
    assert len(buttons) >= 2, question
    assert all(b["callback_data"].startswith("/ask_fee{") for b in buttons), buttons
    code = re.search(r'"procedure_code":"([^"]+)"', buttons[1]["callback_data"])
    assert code

    await citizen.press(buttons[1]["callback_data"])
    answer = "\n".join(m["text"] for m in await citizen.next_messages())
    assert re.search(r"lệ phí|phí|miễn", answer, re.IGNORECASE), answer
    queries = (await citizen.sim.get("/_sim/callback_queries")).json()
    assert queries and all(query["answered"] for query in queries.values())


async def test_webhook_citizen_asks_presses_a_choice_and_looks_up_a_dossier(
    citizen: TelegramCitizen, onestop: Any
) -> None:
    await asks_about_documents_and_presses_a_choice(citizen)
    record = (await onestop.dossiers("processing", limit=3))[1]
    text = await citizen.ask(f"/tracuu {record['MaHoSo']}")
    assert record["MaHoSo"] in text and record["TenTTHC"] in text, text


async def test_polling_citizen_asks_and_presses_a_choice(polling_citizen: TelegramCitizen) -> None:
    await asks_about_documents_and_presses_a_choice(polling_citizen)


async def test_follow_a_dossier_in_telegram_and_receive_its_status_change(
    citizen: TelegramCitizen, running_stack: Any, onestop: Any
) -> None:
    record = next(
        r for r in await onestop.dossiers("processing", limit=100) if r.get("SoDienThoai")
    )
    code = record["MaHoSo"]
    await follows_and_hears_of_a_change(
        citizen,
        running_stack.settings.twilio_base_url,
        onestop,
        code,
        follow=f"/theodoi {code}",
        unfollow="/huy",
    )
