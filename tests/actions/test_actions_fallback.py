"""action_default_fallback: a rephrase hint, examples and popular procedures as buttons."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultFallback
from catalog.answers import FALLBACK_TEXT

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
