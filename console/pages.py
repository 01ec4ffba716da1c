"""Server-rendered console pages: Jinja2 templates (autoescaped), the layout and its nav.

A page route renders with `render(request, "name.html", {...})`; every template extends
`base.html` and gets `staff` (who is logged in), `csrf_token` (for its forms' hidden
`csrf_token` field) and `nav` (the menu). Pages are sent with a strict
Content-Security-Policy (no inline script; styles inline) and never cached.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.responses import Response

from console.auth import csrf_token

__all__ = ["NAV", "SECURITY_HEADERS", "render", "templates"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Autoescape everywhere: FAQ text, usernames and citizens' questions are untrusted.
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True))

# The menu: (label, path). Every console page is under one of these.
NAV = (
    ("Câu hỏi thường gặp", "/admin/faq"),
    ("Câu hỏi chưa trả lời được", "/admin/unanswered"),
    ("Thủ tục", "/admin/catalog"),
    ("Số liệu", "/admin/figures"),
    ("Nhật ký", "/admin/audit"),
    ("Tài khoản", "/admin/accounts"),
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """The page `name` with `context`, plus `staff`, `csrf_token` and `nav`."""
    full = {
        "staff": getattr(request.state, "staff", None),
        "csrf_token": csrf_token(request),
        "nav": NAV,
        "path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response
