"""action_default_fallback: a rephrase hint, examples and popular procedures as buttons."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultFallback
from catalog.answers import FALLBACK_TEXT, intent_for_words

pytestmark = pytest.mark.usefixtures("catalog_db")


async def test_fallback_offers_popular_procedures(tracker_for: Any, domain: dict[str, Any]) -> None:
    assert ActionDefaultFallback().name() in domain["actions"]
    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(
        dispatcher, tracker_for("asdfgh qwerty", "nlu_fallback"), domain
    )
    [message] = dispatcher.messages
    assert message["text"] == FALLBACK_TEXT and "ví dụ" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:3] == [
        '/ask_documents{"procedure_code":"1.001193"}',
        '/ask_documents{"procedure_code":"1.004194"}',
        '/ask_documents{"procedure_code":"1.004222"}',
    ]
    assert events == []


async def test_fallback_puts_a_guessed_procedure_first(
    tracker_for: Any, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionDefaultFallback().run(
        dispatcher, tracker_for("mở quán bún cần đăng ký gì", "nlu_fallback"), domain
    )
    assert dispatcher.messages[0]["buttons"][0]["payload"].endswith('"1.001612"}')


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
async def test_a_procedure_named_outright_is_answered(
    tracker_for: Any, domain: dict[str, Any], intent: str
) -> None:
    # The NLU missed the question, the resolver did not: answer the procedure, the
    # aspect read from the words, and remember it for follow-ups.
    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(
        dispatcher, tracker_for("đăng ký tạm trú cho người thuê trọ nộp ở đâu", intent), domain
    )
    message = dispatcher.messages[0]
    assert message["text"] != FALLBACK_TEXT
    assert SlotSet("procedure_code", "1.004194") in events
    assert "nộp" in message["text"].lower()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("khai sinh lam online duoc khong", "ask_online"),
        ("tách hộ mất bao lâu", "ask_processing_time"),
        ("chứng thực di chúc hết bao nhiêu", "ask_fee"),
        ("xin giấy độc thân ở đâu", "ask_where_to_file"),
        ("các bước làm hộ chiếu", "ask_steps"),
        ("giám hộ cho cháu cần gì", "ask_documents"),
    ],
)
def test_the_question_is_read_from_its_words(text: str, intent: str) -> None:
    assert intent_for_words(text) == intent
