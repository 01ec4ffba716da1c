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


async def test_documents_by_case_then_a_follow_up_reuses_the_procedure(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    messages, events = await _run(tracker_for("dk tam tru can j", "ask_documents"), domain)
    [message] = [m for m in messages if m.get("text")]
    assert "Đăng ký tạm trú (mã 1.004194)" in message["text"]
    assert "Trường hợp của bạn là" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[1] == '/ask_documents{"procedure_code": "1.004194", "procedure_case": "2"}'
    assert events == [SlotSet("procedure_code", "1.004194")]

    pressed = tracker_for(payloads[1], "ask_documents", entities=[
        {"entity": "procedure_code", "value": "1.004194"},
        {"entity": "procedure_case", "value": "2"},
    ])  # fmt: skip
    messages, events = await _run(pressed, domain)
    [text] = _texts(messages)
    assert "Trường hợp: Đăng ký tạm trú theo danh sách" in text
    assert "Văn bản đề nghị đăng ký tạm trú" in text and "(1 bản chính, 1 bản sao)" in text
    assert "Theo Cổng Dịch vụ công quốc gia, cập nhật 18/07/2026." in text
    assert events == [
        SlotSet("procedure_code", "1.004194"),
        SlotSet("procedure_case", "1.004194:2"),
    ]

    follow_up = tracker_for("thế lệ phí bao nhiêu?", "ask_fee", procedure_code="1.004194",
                            procedure_case="1.004194:2")  # fmt: skip
    messages, events = await _run(follow_up, domain)
    [text] = _texts(messages)
    assert "Nộp trực tuyến: 7.000 đồng" in text and "Nộp trực tiếp: 10.000 đồng" in text
    assert _about(messages) == [{"procedure_code": "1.004194"}]
    assert events == [SlotSet("procedure_code", "1.004194")]


async def test_the_remembered_case_answers_the_next_documents_question(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    again = tracker_for("còn giấy tờ thì sao", "ask_documents", procedure_code="1.004222",
                        procedure_case="1.004222:6")  # fmt: skip
    messages, events = await _run(again, domain)
    [text] = _texts(messages)
    assert "Trường hợp: Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in text
    assert "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ" in text
    assert SlotSet("procedure_case", "1.004222:6") in events
    # A case remembered for another procedure is not used.
    other = tracker_for("đăng ký thường trú cần gì", "ask_documents",
                        procedure_case="1.004194:2")  # fmt: skip
    messages, _ = await _run(other, domain)
    assert "Trường hợp của bạn là" in _texts(messages)[0]


async def test_entities_come_first(tracker_for: Any, domain: dict[str, Any]) -> None:
    mention = tracker_for("cái đó làm ở đâu", "ask_where_to_file",
                          entities=[{"entity": "procedure", "value": "sổ đỏ"}])  # fmt: skip
    messages, _ = await _run(mention, domain)
    text = _texts(messages)[0]
    assert "(mã 1.013978)" in text and "Ủy ban nhân dân cấp xã" in text
    assert "Văn phòng đăng ký đất đai" not in text
    button = tracker_for('/ask_steps{"procedure_code":"2.000815"}', "ask_steps",
                         entities=[{"entity": "procedure_code", "value": "2.000815"}])  # fmt: skip
    messages, events = await _run(button, domain)
    assert "1. Mang bản chính" in _texts(messages)[0]
    assert events == [SlotSet("procedure_code", "2.000815")]


@pytest.mark.parametrize(
    ("message", "intent", "remembered", "code", "said", "unsaid"),
    [
        (  # a new procedure in the message wins over the slot
            "còn đăng ký kết hôn thì cần gì",
            "ask_documents",
            "1.004194",
            "1.000894",
            ["Tờ khai đăng ký kết hôn"],
            ["tình trạng hôn nhân"],  # FACTS: no longer asked for (NĐ 07/2025)
        ),
        (  # an ambiguous follow-up settles on the remembered procedure
            "hộ kinh doanh mất bao lâu",
            "ask_processing_time",
            "2.000720",
            "2.000720",
            ["3 ngày làm việc"],
            [],
        ),
        (  # an old code answers with its successor
            "thủ tục 2.000986 cần gì",
            "ask_documents",
            None,
            "3.000722",
            ["Thủ tục mã 2.000986 đã được thay bằng mã 3.000722", "Giấy chứng sinh điện tử"],
            [],
        ),
        (  # a procedure only in the national list is found, and said to lack details
            "thủ tục 1.000005 cần gì",
            "ask_documents",
            None,
            "1.000005",
            [
                "Thủ tục hải quan đối với khí",
                "(mã 1.000005)",
                "Chi tiết chưa có trong dữ liệu của trợ lý",
                "ma_thu_tuc=019d2bfb-cfb3-75d8-9160-fa2bd2ac950a",
            ],
            ["\n1."],  # no list of documents (of any procedure)
        ),
    ],
)
async def test_the_answer_is_about_the_procedure_it_settles_on(
    tracker_for: Any,
    domain: dict[str, Any],
    message: str,
    intent: str,
    remembered: str | None,
    code: str,
    said: list[str],
    unsaid: list[str],
) -> None:
    tracker = tracker_for(message, intent, procedure_code=remembered)
    messages, events = await _run(tracker, domain)
    text = _texts(messages)[0]
    assert [part for part in said if part not in text] == [], text
    assert [part for part in unsaid if part in text] == [], text
    assert events == [SlotSet("procedure_code", code)]


async def test_a_named_procedure_not_found_is_not_answered_with_the_remembered_one(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    # After a question about a death registration, a citizen asks about another
    # procedure in words the catalog does not know: never the death registration's facts.
    mention = [{"entity": "procedure", "value": "đăng ký xe máy"}]
    unknown = tracker_for(
        "đăng ký xe máy ở đâu", "ask_where_to_file", procedure_code="1.000656", entities=mention
    )
    messages, events = await _run(unknown, domain)
    [message] = messages
    assert message["text"] == UNKNOWN_PROCEDURE_TEXT
    assert "khai tử" not in message["text"] and events == []

    # A follow-up that names no procedure still means the remembered one.
    follow_up = tracker_for("thế nộp ở đâu vậy", "ask_where_to_file", procedure_code="1.000656")
    messages, events = await _run(follow_up, domain)
    assert "(mã 1.000656)" in _texts(messages)[0]
    assert events == [SlotSet("procedure_code", "1.000656")]


async def test_the_legal_basis_on_request(tracker_for: Any, domain: dict[str, Any]) -> None:
    tracker = tracker_for("căn cứ pháp lý của đăng ký kết hôn", "ask_documents")
    messages, _ = await _run(tracker, domain)
    text = _texts(messages)[0]
    assert "Luật" in text or "Nghị định" in text or "/" in text
    assert "Tờ khai đăng ký kết hôn" not in text


async def test_ambiguity_asks_with_buttons_for_the_same_intent(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    messages, events = await _run(tracker_for("hộ kinh doanh lệ phí bao nhiêu", "ask_fee"), domain)
    [message] = messages
    assert message["text"] == ASK_WHICH_TEXT
    # Register, change, suspend or close a household business: the local layer names all
    # four (1.001570 and 1.001266 by their everyday aliases), so all four are offered.
    assert {b["payload"] for b in message["buttons"]} == {
        '/ask_fee{"procedure_code":"1.001612"}',
        '/ask_fee{"procedure_code":"2.000720"}',
        '/ask_fee{"procedure_code":"1.001570"}',
        '/ask_fee{"procedure_code":"1.001266"}',
    }
    assert events == [] and _about(messages) == []


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
