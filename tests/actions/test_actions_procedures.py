"""action_answer_procedure with a real domain, a real Tracker and a CollectingDispatcher."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import ActionAnswerProcedure
from actions.services import ActionServices, configure
from catalog.answers import ASK_WHICH_TEXT, CATALOG_UNAVAILABLE_TEXT, UNKNOWN_PROCEDURE_TEXT
from settings import Settings

pytestmark = pytest.mark.usefixtures("catalog_db")


async def _run(tracker: Any, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerProcedure().run(dispatcher, tracker, domain)
    return dispatcher.messages, events


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")]


def _about(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"]["answer_about"] for m in messages if m.get("custom")]


def test_action_name_is_in_the_domain(domain: dict[str, Any]) -> None:
    assert ActionAnswerProcedure().name() in domain["actions"]


async def test_documents_then_a_follow_up_reuses_the_procedure(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    messages, events = await _run(tracker_for("dk tam tru can j", "ask_documents"), domain)
    [text] = _texts(messages)
    assert "Đăng ký tạm trú" in text
    assert "Tờ khai thay đổi thông tin cư trú" in text and "nộp 1 bản chính" in text
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in text
    assert _about(messages) == [{"procedure_code": "1.004194"}]
    assert events == [SlotSet("procedure_code", "1.004194")]

    follow_up = tracker_for("thế lệ phí bao nhiêu?", "ask_fee", procedure_code="1.004194")
    messages, events = await _run(follow_up, domain)
    [text] = _texts(messages)
    assert "15.000 đồng" in text and "7.000 đồng" in text
    assert _about(messages) == [{"procedure_code": "1.004194"}]
    assert events == [SlotSet("procedure_code", "1.004194")]


async def test_a_new_procedure_in_the_message_wins_over_the_slot(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "còn đăng ký kết hôn thì cần gì", "ask_documents", procedure_code="1.004194"
    )
    messages, events = await _run(tracker, domain)
    assert "Tờ khai đăng ký kết hôn" in _texts(messages)[0]
    assert events == [SlotSet("procedure_code", "1.000894")]


async def test_entities_come_first(tracker_for: Any, domain: dict[str, Any]) -> None:
    mention = tracker_for("cái đó làm ở đâu", "ask_where_to_file",
                          entities=[{"entity": "procedure", "value": "sổ đỏ"}])  # fmt: skip
    messages, _ = await _run(mention, domain)
    assert "Văn phòng đăng ký đất đai" in _texts(messages)[0]
    button = tracker_for('/ask_steps{"procedure_code":"2.000815"}', "ask_steps",
                         entities=[{"entity": "procedure_code", "value": "2.000815"}])  # fmt: skip
    messages, events = await _run(button, domain)
    assert "Các bước Cấp bản sao có chứng thực" in _texts(messages)[0]
    assert events == [SlotSet("procedure_code", "2.000815")]


async def test_ambiguity_asks_with_buttons_for_the_same_intent(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    messages, events = await _run(tracker_for("hộ kinh doanh lệ phí bao nhiêu", "ask_fee"), domain)
    [message] = messages
    assert message["text"] == ASK_WHICH_TEXT
    assert {b["payload"] for b in message["buttons"]} == {
        '/ask_fee{"procedure_code":"1.001612"}',
        '/ask_fee{"procedure_code":"2.000720"}',
    }
    assert events == [] and _about(messages) == []


async def test_ambiguous_follow_up_settles_on_the_remembered_procedure(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "hộ kinh doanh mất bao lâu", "ask_processing_time", procedure_code="2.000720"
    )
    messages, events = await _run(tracker, domain)
    assert "3 ngày làm việc" in _texts(messages)[0]
    assert events == [SlotSet("procedure_code", "2.000720")]


@pytest.mark.parametrize(
    "text",
    ["", "😀🙏", "<b>xin chào</b><script>x()</script>", "'; DROP TABLE procedure; --", "a" * 5000],
)
async def test_unknown_procedure_gets_a_hint_and_popular_buttons(
    tracker_for: Any, domain: dict[str, Any], text: str
) -> None:
    messages, events = await _run(tracker_for(text, "ask_online"), domain)
    [message] = messages
    assert message["text"] == UNKNOWN_PROCEDURE_TEXT
    assert message["buttons"][0] == {
        "title": "Đăng ký khai sinh",
        "payload": '/ask_online{"procedure_code":"1.001193"}',
    }
    assert len(message["buttons"]) == 5 and events == []


async def test_catalog_outage_is_answered_politely(
    tracker_for: Any, domain: dict[str, Any], tmp_path: Any
) -> None:
    empty = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    configure(ActionServices.from_settings(empty))
    messages, events = await _run(tracker_for("khai sinh cần gì", "ask_documents"), domain)
    assert _texts(messages) == [CATALOG_UNAVAILABLE_TEXT] and events == []
