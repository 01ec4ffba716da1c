"""FAQ answers in the actions (real domain, real catalog): live, published only, and never
hiding a better procedure answer; the questions left unanswered are kept, masked."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, select

from actions.fallback import ActionDefaultFallback
from actions.procedures import ActionAnswerProcedure
from actions.services import services
from catalog.answers import FALLBACK_TEXT, UNKNOWN_PROCEDURE_TEXT
from faq.matcher import CHECK_INTERVAL_SECONDS
from faq.unanswered import Reason, UnansweredQuestion
from testing.faq import add_entries, remove_entries
from testing.trackers import make_tracker

pytestmark = pytest.mark.usefixtures("catalog_db")

BIRTH = "1.001193"
HOURS = "Bộ phận một cửa làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu."


def _clear_unanswered() -> None:
    services().unanswered.flush()
    with services().sessions.begin() as session:
        session.execute(delete(UnansweredQuestion))


@pytest.fixture
def publish(catalog_db: str) -> Iterator[Any]:
    """Add FAQ entries to the test catalog's database (removed after the test)."""
    sessions = services().sessions
    _clear_unanswered()  # other tests' fallbacks leave theirs

    def add(questions: list[str], answer: str, *, code: str | None = None, draft: bool = False):
        return add_entries(
            sessions, [(questions, answer)], procedure_code=code, published=not draft
        )

    yield add
    remove_entries(sessions)
    _clear_unanswered()


async def _run(action: Any, tracker: Tracker, domain: dict[str, Any]) -> tuple[list[str], list]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return [message["text"] for message in dispatcher.messages if message.get("text")], events


def _tracker(text: str, intent: str, *, sender: str = "citizen-1", confidence: float = 0.95):
    tracker = make_tracker(text, intent)
    tracker.sender_id = sender
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


def _matches(text: str) -> bool:
    with services().catalog_session() as session:
        return services().faq.match(session, text) is not None


def _unanswered() -> list[tuple[str, str, str]]:
    services().unanswered.flush()
    with services().sessions() as session:
        rows = session.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id))
        return [(row.text, row.channel, str(row.reason)) for row in rows]


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope"])
async def test_a_published_entry_answers_in_the_fallback(
    publish: Any, domain: dict[str, Any], intent: str
) -> None:
    publish(["Bộ phận một cửa làm việc giờ nào?", "Giờ làm việc của bộ phận một cửa"], HOURS)

    texts, events = await _run(
        ActionDefaultFallback(), _tracker("bo phan mot cua lam viec may gio vay", intent), domain
    )

    assert texts == [HOURS] and events == []
    assert _unanswered() == []


async def test_a_draft_entry_does_not_answer(publish: Any, domain: dict[str, Any]) -> None:
    publish(["Bộ phận một cửa làm việc giờ nào?"], HOURS, draft=True)

    texts, _ = await _run(
        ActionDefaultFallback(),
        _tracker("bộ phận một cửa làm việc mấy giờ", "nlu_fallback"),
        domain,
    )

    assert texts == [FALLBACK_TEXT]


async def test_an_entry_answers_a_question_the_nlu_took_for_a_procedure(
    publish: Any, domain: dict[str, Any]
) -> None:
    entry = "Có chỗ gửi xe máy miễn phí ở tầng hầm."
    publish(["Có chỗ gửi xe máy không?"], entry)

    texts, events = await _run(
        ActionAnswerProcedure(), _tracker("có chỗ gửi xe máy ko ạ", "ask_where_to_file"), domain
    )

    assert texts == [entry] and events == []


async def test_an_entry_linked_to_the_procedure_answers_and_sets_it(
    publish: Any, domain: dict[str, Any]
) -> None:
    entry = "Ở phường chúng tôi, khai sinh làm online trên Cổng dịch vụ công, không cần đến."
    publish(["Làm khai sinh online có được không?"], entry, code=BIRTH)

    texts, events = await _run(
        ActionAnswerProcedure(), _tracker("làm khai sinh online được không", "ask_online"), domain
    )

    assert texts == [entry]
    assert SlotSet("procedure_code", BIRTH) in events


async def test_an_entry_does_not_hide_a_better_procedure_answer(
    publish: Any, domain: dict[str, Any]
) -> None:
    # A general entry that happens to read like the catalog's own question.
    publish(["Đăng ký khai sinh cần giấy tờ gì?"], "Xem hướng dẫn ở bảng tin.")
    assert _matches("đăng ký khai sinh cần giấy tờ gì")  # the entry alone would answer

    texts, events = await _run(
        ActionAnswerProcedure(),
        _tracker("đăng ký khai sinh cần giấy tờ gì", "ask_documents"),
        domain,
    )

    assert "Xem hướng dẫn ở bảng tin." not in texts
    assert SlotSet("procedure_code", BIRTH) in events
    assert any("khai sinh" in text.lower() for text in texts)


async def test_a_button_is_never_second_guessed(publish: Any, domain: dict[str, Any]) -> None:
    publish(["ask documents procedure code 1.001193"], "FAQ", code=BIRTH)
    tracker = make_tracker(
        '/ask_documents{"procedure_code":"1.001193"}',
        "ask_documents",
        entities=[{"entity": "procedure_code", "value": BIRTH}],
    )
    assert _matches(tracker.latest_message["text"])

    texts, _ = await _run(ActionAnswerProcedure(), tracker, domain)

    assert "FAQ" not in texts


async def test_html_in_an_answer_is_passed_on_as_text(publish: Any, domain: dict[str, Any]) -> None:
    answer = '<b>Giờ</b> làm việc <script>alert("x")</script> & 7h30'
    publish(["Giờ làm việc của bộ phận một cửa"], answer)

    texts, _ = await _run(
        ActionDefaultFallback(), _tracker("giờ làm việc bộ phận một cửa", "nlu_fallback"), domain
    )

    assert texts == [answer]  # the channels show text as text (see the channel tests)


async def test_unanswered_questions_are_kept_masked_with_their_reason(
    publish: Any, domain: dict[str, Any]
) -> None:
    await _run(
        ActionDefaultFallback(),
        _tracker("xin số zalo cán bộ, tôi là 0912345678", "nlu_fallback", sender="zalo:77"),
        domain,
    )
    texts, _ = await _run(
        ActionAnswerProcedure(),
        _tracker("thủ tục nuôi chim cảnh cần gì", "ask_documents", sender="telegram:5"),
        domain,
    )
    assert texts == [UNKNOWN_PROCEDURE_TEXT]
    await _run(
        ActionAnswerProcedure(),
        _tracker("khai sinh lâu ko", "ask_processing_time", sender="web-1", confidence=0.5),
        domain,
    )
    await _run(  # answered with confidence: nothing kept
        ActionAnswerProcedure(), _tracker("khai sinh lâu ko", "ask_processing_time"), domain
    )

    assert _unanswered() == [
        ("xin số zalo cán bộ, tôi là [số điện thoại]", "zalo", Reason.FALLBACK),
        ("thủ tục nuôi chim cảnh cần gì", "telegram", Reason.UNKNOWN_PROCEDURE),
        ("khai sinh lâu ko", "webchat", Reason.LOW_CONFIDENCE),
    ]


async def test_a_new_entry_answers_without_a_restart(publish: Any, domain: dict[str, Any]) -> None:
    question = "wifi của bộ phận một cửa mật khẩu là gì"
    texts, _ = await _run(ActionDefaultFallback(), _tracker(question, "nlu_fallback"), domain)
    assert texts == [FALLBACK_TEXT]

    publish(["Mật khẩu wifi của bộ phận một cửa là gì?"], "Mật khẩu: motcua2026")
    await asyncio.sleep(CHECK_INTERVAL_SECONDS)

    texts, _ = await _run(ActionDefaultFallback(), _tracker(question, "nlu_fallback"), domain)
    assert texts == ["Mật khẩu: motcua2026"]
