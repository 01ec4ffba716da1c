"""Turn a group of unanswered questions into a published FAQ entry in a real browser
(headless Chromium, `testing.browser`)."""

from __future__ import annotations

import re
from datetime import date

from fastapi import FastAPI
from sqlalchemy import select

from console.roles import Role
from faq.models import FaqEntry, FaqState
from faq.unanswered import QuestionState, Reason, UnansweredQuestion
from simulators.common import running_server
from testing.browser import CHROMIUM, CHROMIUM_FLAGS, log_in_console, require_browser
from testing.console import PASSWORD, create_staff

HOURS = [
    "giờ làm việc bộ phận một cửa",
    "cho em hỏi giờ làm việc bộ phận một cửa ạ",
    "bộ phận một cửa làm việc mấy giờ",
]
ANSWER = "Bộ phận một cửa làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu."


def _add_questions(app: FastAPI) -> None:
    today = date.today()
    rows = [
        UnansweredQuestion(
            text=text, channel="zalo", reason=Reason.FALLBACK, day=today, state=QuestionState.OPEN
        )
        for text in [*HOURS, "có chỗ gửi xe máy không"]
    ]
    with app.state.sessions.begin() as session:
        session.add_all(rows)


def _entries(app: FastAPI) -> list[FaqEntry]:
    with app.state.sessions() as session:
        return list(session.scalars(select(FaqEntry)))


def test_a_clerk_turns_an_unanswered_group_into_a_published_faq_entry(
    console_app: FastAPI,
) -> None:
    sync_playwright = require_browser()
    with running_server(console_app) as base, sync_playwright() as playwright:
        _add_questions(console_app)  # the app's database, once started
        username = create_staff(console_app, Role.EDITOR)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        log_in_console(page, base, username, PASSWORD)
        page.click("nav >> text=Câu hỏi chưa trả lời được")
        group = page.locator("section.card", has_text="giờ làm việc bộ phận một cửa")
        assert "(3 lần)" in group.inner_text()
        group.locator("button", has_text="Tạo câu hỏi thường gặp").click()
        page.wait_for_url(re.compile(r".*/admin/faq/\d+.*"))
        assert sorted(page.input_value("#questions").splitlines()) == sorted(HOURS)
        page.fill("#answer", ANSWER)
        page.click("button:text-is('Lưu')")
        page.click("button:text-is('Đăng')")  # exactly: the nav also has 'Đăng xuất'
        page.wait_for_url(re.compile(r".*\?done=published$"))
        page.click("nav >> text=Câu hỏi chưa trả lời được")
        assert "giờ làm việc" not in page.inner_text("main")
        assert "gửi xe máy" in page.inner_text("main")
        browser.close()
    [entry] = _entries(console_app)
    assert entry.state == FaqState.PUBLISHED and entry.answer == ANSWER
    assert sorted(entry.questions) == sorted(HOURS)
