"""action_lookup_dossier without a dossier code: it asks for the code, and when the
message names a procedure it adds that procedure's usual processing time."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dossiers import ActionLookupDossier
from actions.services import ActionServices, configure
from dossier_lookup.replies import render_ask_for_code
from settings import Settings

pytestmark = pytest.mark.usefixtures("catalog_db")


async def _run(tracker: Any, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionLookupDossier().run(dispatcher, tracker, domain)
    return dispatcher.messages, events


async def test_a_named_procedure_adds_its_processing_time(tracker_for, domain) -> None:  # type: ignore[no-untyped-def]
    tracker = tracker_for("ho so khai sinh cua chau nop hom thu hai gio xong chua", "ask_status")
    messages, events = await _run(tracker, domain)
    text = messages[0]["text"]
    assert text.startswith(render_ask_for_code())
    assert "đăng ký khai sinh" in text.casefold() and "ngày làm việc" in text  # national name
    assert messages[1]["custom"] == {"answer_about": {"procedure_code": "1.001193"}}
    assert events == [SlotSet("procedure_code", "1.001193")]


async def test_no_procedure_named_only_asks_for_the_code(tracker_for, domain) -> None:  # type: ignore[no-untyped-def]
    messages, events = await _run(tracker_for("hồ sơ của tôi xong chưa", "ask_status"), domain)
    assert [m["text"] for m in messages] == [render_ask_for_code()]
    assert events == []


async def test_catalog_down_still_asks_for_the_code(tracker_for, domain, tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    configure(ActionServices.from_settings(empty))
    tracker = tracker_for("hồ sơ sổ đỏ của tôi đến đâu rồi", "ask_status")
    messages, events = await _run(tracker, domain)
    assert [m["text"] for m in messages] == [render_ask_for_code()]
    assert events == []
