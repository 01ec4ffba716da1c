"""Browser tests' support: the system Chromium through Playwright.

`simulators.common.running_server` serves the app under test:

    sync_playwright = require_browser()          # skips (or fails with REQUIRE_BROWSER=1)
    with running_server(app) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

CI installs `chromium` from Debian and uses it through Playwright's `executable_path`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "log_in_console", "require_browser"]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def require_browser() -> Any:
    """Playwright's `sync_playwright`; skips the test when it or Chromium is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    return sync_playwright


def log_in_console(page: Any, base_url: str, username: str, password: str) -> None:
    """Log a staff member in through the console's login form (a Playwright page)."""
    page.goto(f"{base_url}/admin/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin")
