"""The web chat page in a real browser (headless Chromium) against the gateway on a fake Rasa.

Skipped when Chromium or Playwright is missing, unless REQUIRE_BROWSER=1
(`testing.browser`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_gateway_notifications import chat_message, write_outbox

from bot.app import create_app
from settings import Settings
from simulators.common import running_server
from testing.browser import CHROMIUM, CHROMIUM_FLAGS, require_browser
from testing.fake_rasa import rasa_answer


@pytest.fixture
def page_url(fake_rasa: Any, gateway_settings: Settings) -> Iterator[str]:
    """The gateway served by uvicorn on a free port, its Rasa being the fake."""
    app = create_app(gateway_settings, transport=httpx.MockTransport(fake_rasa))
    with running_server(app) as url:
        yield url


@pytest.fixture
def browser_page(page_url: str) -> Iterator[Any]:
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(page_url)
        yield page
        context.close()
        browser.close()


def test_citizen_asks_and_reads_the_answer_as_text(browser_page: Any, fake_rasa: Any) -> None:
    page = browser_page
    fake_rasa.answers["giấy tờ làm khai sinh"] = rasa_answer(
        "Cần <b>Giấy chứng sinh</b> <img src=x onerror=window.pwned=1>",
        {
            "text": "Bạn muốn hỏi thủ tục nào?",
            "buttons": [{"title": "Lệ phí khai sinh", "payload": "/ask_fee"}],
        },
        intent="ask_documents",
        confidence=0.9,
        procedure_code="1.001193",
    )
    assert page.locator(".msg--bot").first.inner_text().startswith("Xin chào")

    page.fill("#text", "giấy tờ làm khai sinh")
    page.keyboard.press("Enter")

    reply = page.locator(".msg--bot .msg__text", has_text="Giấy chứng sinh")
    reply.wait_for()
    assert reply.inner_text() == "Cần <b>Giấy chứng sinh</b> <img src=x onerror=window.pwned=1>"
    assert page.locator(".msg--bot img, .msg--bot b").count() == 0
    assert page.evaluate("window.pwned") is None

    page.get_by_role("button", name="Lệ phí khai sinh").click()
    page.locator(".msg--me", has_text="Lệ phí khai sinh").wait_for()
    page.locator(".msg--bot", has_text="Bạn đã hỏi: /ask_fee").wait_for()
    assert [m["message"] for m in fake_rasa.received] == ["giấy tờ làm khai sinh", "/ask_fee"]
    page.screenshot(path=str(Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "webchat.png"))


def test_the_conversation_survives_a_reload(browser_page: Any, fake_rasa: Any) -> None:
    page = browser_page
    page.fill("#text", "xin chào")
    page.click("#send")
    page.locator(".msg--bot", has_text="Bạn đã hỏi: xin chào").wait_for()
    page.reload()
    page.fill("#text", "lần nữa")
    page.click("#send")
    page.locator(".msg--bot", has_text="Bạn đã hỏi: lần nữa").wait_for()

    first, second = (m["sender"] for m in fake_rasa.received)
    assert first == second
    assert first.startswith("web-")


def test_typing_indicator_then_apology_when_rasa_is_down(browser_page: Any, fake_rasa: Any) -> None:
    page = browser_page
    fake_rasa.mode = "hang"
    fake_rasa.hang_seconds = 0.4  # shorter than the Rasa timeout, long enough to see typing

    page.fill("#text", "xin chào")
    page.click("#send")
    page.locator("#typing").wait_for(state="visible")
    page.locator("#typing").wait_for(state="hidden")

    fake_rasa.mode = "down"
    page.fill("#text", "lệ phí")
    page.click("#send")
    page.locator(".msg--bot", has_text="hệ thống đang bận").wait_for()


def test_offline_shows_a_friendly_error(browser_page: Any) -> None:
    page = browser_page
    page.context.set_offline(True)
    page.locator("#offline").wait_for(state="visible")

    page.fill("#text", "xin chào")
    page.click("#send")

    page.locator(".msg--error", has_text="mất kết nối").wait_for()
    page.context.set_offline(False)
    page.locator("#offline").wait_for(state="hidden")


def test_notifications_about_a_followed_dossier_appear_as_bot_messages(
    browser_page: Any, gateway_settings: Settings, fake_rasa: Any
) -> None:
    page = browser_page
    page.fill("#text", "theo dõi hồ sơ")
    page.click("#send")
    page.locator(".msg--bot", has_text="Bạn đã hỏi: theo dõi hồ sơ").wait_for()
    # The page cannot know its conversation id (an HttpOnly cookie): Rasa was told it.
    sender = fake_rasa.received[-1]["sender"]
    assert page.evaluate("document.cookie") == ""
    text = "Hồ sơ 000.00.06.H56-231027-0361 đã có kết quả <b>nhận tại</b> bộ phận một cửa."
    write_outbox(gateway_settings.database_url, [chat_message(sender, text, "b1")])

    page.reload()  # the page asks at once, then every 15 s
    notice = page.locator(".msg--bot .msg__text", has_text="đã có kết quả")
    notice.wait_for()
    assert notice.inner_text() == text
    assert page.locator(".msg--bot b").count() == 0

    page.reload()  # shown once: the page remembers the last notification it showed
    page.locator(".msg--bot", has_text="Xin chào").wait_for()
    page.wait_for_timeout(500)
    assert page.locator(".msg--bot", has_text="đã có kết quả").count() == 0
