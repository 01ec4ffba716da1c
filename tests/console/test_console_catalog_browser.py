"""Review and publish a national import in a real browser (headless Chromium, `testing.browser`)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from catalog.national.export import SNAPSHOT, read_export
from catalog.national.models import NationalProcedure
from console.roles import Role
from settings import Settings
from simulators.common import running_server
from testing.browser import CHROMIUM, CHROMIUM_FLAGS, log_in_console, require_browser
from testing.console import PASSWORD, create_staff
from testing.national_exports import NEW_MARRIAGE_NAME, stage_modified_export

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))


def _stored(app: FastAPI, code: str) -> NationalProcedure:
    with app.state.sessions() as session:
        row = session.get(NationalProcedure, code)
        assert row is not None
        return row


def test_a_clerk_reviews_holds_one_change_and_publishes_an_import(
    console_app: FastAPI, console_settings: Settings, tmp_path: Path
) -> None:
    sync_playwright = require_browser()
    url = console_settings.database_url
    import_id = stage_modified_export(url, tmp_path, read_export(SNAPSHOT))
    with running_server(console_app) as base, sync_playwright() as playwright:
        username = create_staff(console_app, Role.EDITOR)  # the app's database, once started
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        log_in_console(page, base, username, PASSWORD)
        page.click("nav >> text=Thủ tục")
        page.click("text=Các lần nhập dữ liệu quốc gia")
        page.click(f"a[href='/admin/catalog/imports/{import_id}']")
        assert "chờ duyệt" in page.inner_text("h1")
        name_row = page.locator("tr", has_text="Tên thủ tục")
        assert NEW_MARRIAGE_NAME in name_row.inner_text()
        name_row.locator("button", has_text="Giữ lại").click()
        assert "Đã giữ lại thay đổi." in page.inner_text("main")
        assert "đang giữ lại" in page.locator("tr", has_text="Tên thủ tục").inner_text()
        page.click("button:has-text('Công bố')")
        assert "đã công bố" in page.inner_text("h1")
        fee_row = page.locator("tr", has_text="Cách nộp, thời hạn, phí")
        assert "đã công bố" in fee_row.inner_text()
        page.screenshot(path=str(SHOTS / "import-review.png"), full_page=True)
        browser.close()
        assert _stored(console_app, "1.000894").name == "Thủ tục đăng ký kết hôn"
        residence = _stored(console_app, "1.004222")
        assert residence.fields["methods"][0]["fees"][0]["value"] == 0
