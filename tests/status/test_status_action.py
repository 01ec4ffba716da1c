"""`action_lookup_dossier` with a real Tracker and CollectingDispatcher, against the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dossiers import ActionLookupDossier
from actions.services import ActionServices, configure
from settings import Settings

DOMAIN: dict[str, Any] = {"slots": {"dossier_code": {}, "procedure_code": {}}}


@pytest.fixture
def action_env(sim: str) -> Iterator[str]:
    """The action server's services pointing at the simulator."""
    configure(ActionServices.from_settings(Settings(onestop_base_url=sim)))
    yield sim
    configure(None)


def tracker(text: str, *, entity: str | None = None, slot: str | None = None) -> Tracker:
    entities = [{"entity": "dossier_code", "value": entity}] if entity else []
    return Tracker(
        sender_id="web-123",
        slots={"dossier_code": slot, "procedure_code": None},
        latest_message={"text": text, "intent": {"name": "ask_status"}, "entities": entities},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def a_dossier(base_url: str, status: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/api/dossiers", params={"status": status, "limit": 1})
    record: dict[str, Any] = response.json()["items"][0]
    return record


async def run(t: Tracker) -> tuple[CollectingDispatcher, list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionLookupDossier().run(dispatcher, t, DOMAIN)
    return dispatcher, events


async def test_code_in_the_text_is_looked_up(action_env: str) -> None:
    record = a_dossier(action_env, "waiting")
    code = record["MaHoSo"]
    typed = code.lower().replace(".", " ")
    dispatcher, events = await run(tracker(f"hồ sơ {typed} của tôi đến đâu rồi"))
    text, about = dispatcher.messages
    assert record["TenTTHC"] in text["text"] and "bổ sung" in text["text"]
    assert record["ChuHoSo"] not in text["text"] and record["SoDienThoai"] not in text["text"]
    assert about["custom"] == {
        "answer_about": {
            "dossier_code": code,
            "dossier_status": "waiting",
            "procedure_code": record["MaTTHC"],
        }
    }
    assert SlotSet("dossier_code", code) in events
    assert SlotSet("procedure_code", record["MaTTHC"]) in events


async def test_entity_and_then_second_factor_from_the_slot(action_env: str) -> None:
    record = a_dossier(action_env, "paying")
    code = record["MaHoSo"]
    dispatcher, _ = await run(tracker("tra cứu", entity=code.replace(".", "")))
    assert "Quá trình xử lý" not in dispatcher.messages[0]["text"]
    last4 = record["SoGiayToChuHoSo"][-4:]
    dispatcher, events = await run(tracker(f"4 số cuối CCCD {last4}", slot=code))
    assert "Quá trình xử lý" in dispatcher.messages[0]["text"]
    assert SlotSet("dossier_code", code) in events


async def test_unknown_code_gets_the_format_and_no_answer_about(action_env: str) -> None:
    dispatcher, events = await run(tracker("000.00.06.H56-231027-9999"))
    assert len(dispatcher.messages) == 1
    assert "000.00.06.H56-231027-0361" in dispatcher.messages[0]["text"]
    assert events == []
