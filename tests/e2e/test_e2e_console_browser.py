"""The console in a real browser (system Chromium) on the real stack: a clerk logs in,
publishes an FAQ edit, and /api/chat answers with it within 5 seconds; after the undo
in the "Nhật ký" page, /api/chat answers with the old text again."""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from console.accounts import create_account
from console.roles import Role
from db import make_engine, make_session_factory
from testing.browser import CHROMIUM, CHROMIUM_FLAGS, log_in_console, require_browser
from testing.faq import remove_entries

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

PUBLISH_TO_ANSWER_SECONDS = 5.0
PASSWORD = "mật khẩu của chị văn thư"


@pytest.fixture
def clerk(running_stack: Any) -> Iterator[str]:
    """An editor's account in the stack's database (its username); no FAQ entry left after."""
    engine = make_engine(running_stack.settings.database_url)
    sessions = make_session_factory(engine)
    username = f"van.thu.{uuid.uuid4().hex[:8]}"
    with sessions.begin() as session:
        create_account(session, username=username, password=PASSWORD, role=Role.EDITOR)
    yield username
    remove_entries(sessions)
    engine.dispose()


def _answer_within(chat: httpx.Client, question: str, answer: str) -> float:
    """Seconds until /api/chat answers `question` with `answer` (a new conversation each time)."""
    started = time.monotonic()
    replies: list[str] = []
    while time.monotonic() - started < 3 * PUBLISH_TO_ANSWER_SECONDS:
        sender = f"e2e-console-{uuid.uuid4().hex[:12]}"
        response = chat.post("/api/chat", json={"sender": sender, "message": question})
        assert response.status_code == 200, response.text
        replies = [reply["text"] for reply in response.json()["replies"]]
        if any(answer in text for text in replies):
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{question!r} was not answered with {answer!r}: {replies}")


def _create_published(page: Any, base_url: str, question: str, answer: str) -> str:
    """Create and publish an entry through the forms; its page's URL."""
    page.goto(f"{base_url}/admin/faq/new")
    page.fill("#questions", question)
    page.fill("#answer", answer)
    page.click("button:has-text('Lưu')")
    page.wait_for_url(re.compile(r".*/admin/faq/\d+\?done=created$"))
    entry_url = page.url.split("?")[0]
    page.click("button:text-is('Đăng')")  # not 'Đăng xuất' in the nav
    page.wait_for_url(f"{entry_url}?done=published")
    return str(entry_url)


def test_a_published_edit_answers_within_5_s_and_its_undo_brings_the_old_answer_back(
    running_stack: Any, clerk: str
) -> None:
    sync_playwright = require_browser()
    base_url = running_stack.gateway_url
    word = "".join(random.choices("bcdghklmnpqrstvx", k=7))
    question = f"Phòng {word} của bộ phận một cửa mở cửa mấy giờ?"
    old, new = f"Phòng {word} mở từ 7 giờ 30.", f"Phòng {word} mở từ 8 giờ, cả thứ Bảy."
    with sync_playwright() as playwright, httpx.Client(base_url=base_url, timeout=30) as chat:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        log_in_console(page, base_url, clerk, PASSWORD)
        entry_url = _create_published(page, base_url, question, old)
        assert _answer_within(chat, question, old) <= PUBLISH_TO_ANSWER_SECONDS

        page.fill("#answer", new)
        page.click("button:has-text('Lưu')")
        page.wait_for_url(f"{entry_url}?done=saved")
        assert _answer_within(chat, question, new) <= PUBLISH_TO_ANSWER_SECONDS

        page.goto(f"{base_url}/admin/audit")
        edit = page.locator("tr", has_text=f"sửa câu hỏi thường gặp {entry_url.rsplit('/', 1)[1]}")
        edit.locator("button:has-text('Hoàn tác')").click()
        page.wait_for_url(f"{base_url}/admin/audit?done=reverted")
        assert _answer_within(chat, question, old) <= PUBLISH_TO_ANSWER_SECONDS
        assert page.locator("tr", has_text="hoàn tác câu hỏi thường gặp").count() == 1
        browser.close()
