"""Staff edits reach the running action server without a restart (real domain, real tracker)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ResolverCache
from actions.procedures import ActionAnswerProcedure
from actions.services import ActionServices, configure
from catalog.local_edit import add_alias, edit_local
from db import make_engine, make_session_factory
from settings import Settings

CHECK_SECONDS = 0.3
HOURS = "Thứ Hai đến thứ Sáu: 7h00–11h30, 13h00–16h30; sáng thứ Bảy 7h30–11h30"


@pytest.fixture
def catalog_copy(catalog_url: str, tmp_path: Path) -> Iterator[str]:
    """The actions' test catalog, copied so that this test's edits stay its own."""
    source = Path(catalog_url.removeprefix("sqlite:///"))
    url = f"sqlite:///{shutil.copy(source, tmp_path / 'catalog.db')}"
    engine = make_engine(url)
    services = ActionServices(
        Settings(database_url=url),
        make_session_factory(engine),
        catalog=ResolverCache(check_interval=CHECK_SECONDS),
    )
    configure(services)
    yield url
    configure(None)
    engine.dispose()


async def _answer(tracker: Any, domain: dict[str, Any]) -> str:
    dispatcher = CollectingDispatcher()
    await ActionAnswerProcedure().run(dispatcher, tracker, domain)
    return "\n".join(m["text"] for m in dispatcher.messages if m.get("text"))


async def test_office_hours_edit_and_new_alias_are_answered_without_restart(
    catalog_copy: str, tracker_for: Any, domain: dict[str, Any]
) -> None:
    ask_where = tracker_for("nộp đăng ký thường trú ở đâu", "ask_where_to_file")
    assert HOURS not in await _answer(ask_where, domain)
    ask_alias = tracker_for("cần gì để làm thẻ xanh cư trú", "ask_documents")
    assert "mã 1.004222" not in await _answer(ask_alias, domain)
    engine = make_engine(catalog_copy)
    with make_session_factory(engine).begin() as session:  # what the console's PATCH does
        edit_local(session, "1.004222", {"office_hours": HOURS})
        add_alias(session, "1.004222", "thẻ xanh cư trú")
    engine.dispose()
    time.sleep(CHECK_SECONDS + 0.1)
    assert f"Giờ làm việc: {HOURS}" in await _answer(ask_where, domain)
    assert "mã 1.004222" in await _answer(ask_alias, domain)
