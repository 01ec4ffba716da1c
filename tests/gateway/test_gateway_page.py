"""GET /: the web chat page is served safely; its script never renders replies as HTML."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bot.channels import CHANNELS, channel_routers

STATIC = Path(__file__).resolve().parents[2] / "bot" / "static"


async def test_page_is_vietnamese_phone_friendly_and_locked_down(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="vi">' in page
    assert 'name="viewport"' in page
    assert "Trợ lý một cửa" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    # No inline script: the CSP would block it, and nothing can smuggle one in.
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None


async def test_page_assets_are_served_and_nothing_else(gateway: httpx.AsyncClient) -> None:
    script = await gateway.get("/static/chat.js")
    style = await gateway.get("/static/chat.css")
    outside = await gateway.get("/static/..%2F..%2Fsettings%2F__init__.py")

    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert style.status_code == 200
    assert outside.status_code == 404


def test_script_sets_reply_text_with_textcontent_only() -> None:
    script = (STATIC / "chat.js").read_text()

    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink


def test_every_registered_channel_has_a_router() -> None:
    assert "webchat" in CHANNELS
    assert len(channel_routers()) == len(CHANNELS)
