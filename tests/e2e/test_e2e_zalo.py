"""Zalo end to end: the real gateway's Zalo channel, the Zalo simulator (signed webhooks,
the OA send API, tokens), Rasa, the action server, the notifier and the other simulators.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from e2e_support import follows_and_hears_of_a_change
from zalo_e2e import ZaloCitizen, buttons_of, text_of

from bot.channels.zalo_events import GREETING

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


@pytest.fixture
async def citizen(running_stack: Any) -> AsyncIterator[ZaloCitizen]:
    """A citizen who follows the session's OA."""
    base_url = running_stack.settings.zalo_base_url
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as sim:
        yield ZaloCitizen(sim, str(random.randint(10**15, 10**16)))


async def test_zalo_citizen_asks_presses_looks_up_follows_and_unfollows(
    citizen: ZaloCitizen, running_stack: Any, onestop: Any
) -> None:
    await citizen.act("follow")
    assert [text_of(m) for m in await citizen.next_messages()] == [GREETING]

    await citizen.act("text", {"text": "hộ kinh doanh lệ phí bao nhiêu"})
    buttons = buttons_of(await citizen.next_messages())
    assert len(buttons) >= 2 and all(b["type"] == "oa.query.show" for b in buttons), buttons
    assert all(b["payload"].startswith("/ask_fee{") for b in buttons), buttons
    await citizen.act("button", {"payload": buttons[1]["payload"]})
    answer = "\n".join(text_of(m) for m in await citizen.next_messages())
    assert re.search(r"lệ phí|phí|miễn", answer, re.IGNORECASE), answer

    record = next(
        r for r in await onestop.dossiers("processing", limit=100) if r.get("SoDienThoai")
    )
    code = record["MaHoSo"]
    looked_up = await citizen.ask(f"tra cứu hồ sơ {code}")
    assert code in looked_up and record["TenTTHC"] in looked_up, looked_up

    await follows_and_hears_of_a_change(
        citizen,
        running_stack.settings.twilio_base_url,
        onestop,
        code,
        follow=f"theo dõi hồ sơ {code}",
        unfollow="hủy theo dõi",
    )
