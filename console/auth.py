"""Who may do what in the console: `require(role)` guards every route, `csrf_token` for forms.

A request is a staff member's when its `assistant_staff` cookie names a live server-side
session (`console.sessions`). Every state change (POST, PUT, PATCH, DELETE) must also
carry that session's CSRF token, in the `X-CSRF-Token` header (scripts) or the
`csrf_token` form field (the console's own HTML forms); the token is an HMAC of the
session's cookie value, so it is worthless without the cookie and differs per session.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from console.roles import Role, Staff
from console.sessions import SESSION_HOURS, csrf_for, staff_for_token

__all__ = [
    "COOKIE",
    "Role",
    "Staff",
    "clear_session_cookie",
    "csrf_token",
    "require",
    "set_session_cookie",
]

COOKIE = "assistant_staff"
COOKIE_PATH = "/admin"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_LOGGED_IN = "Bạn cần đăng nhập vào trang quản trị."
NO_PERMISSION = "Tài khoản của bạn không có quyền làm việc này."
BAD_CSRF = "Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại."
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.admin_session_secret.get_secret_value()
    return secret


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's session, for templates ('' when not logged in)."""
    token = request.cookies.get(COOKIE)
    return csrf_for(token, _secret(request)) if token else ""


def _lookup(sessions: sessionmaker[Session], token: str) -> Staff | None:
    with sessions.begin() as session:
        return staff_for_token(session, token)


def _anonymous(request: Request) -> HTTPException:
    if request.url.path.startswith("/admin/api/"):
        return HTTPException(401, NOT_LOGGED_IN)
    return HTTPException(303, NOT_LOGGED_IN, headers={"Location": "/admin/login"})


async def _sent_csrf(request: Request) -> str:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get("csrf_token")
        return value if isinstance(value, str) else ""
    return ""


def require(role: Role) -> Callable[[Request], Awaitable[Staff]]:
    """A dependency: the logged-in staff member, at least `role`, CSRF-checked on changes."""

    async def logged_in_staff(request: Request) -> Staff:
        token = request.cookies.get(COOKIE, "")
        staff = await run_in_threadpool(_lookup, request.app.state.sessions, token)
        if staff is None:
            raise _anonymous(request)
        request.state.staff = staff
        if request.method in UNSAFE_METHODS:
            sent = await _sent_csrf(request)
            if not hmac.compare_digest(sent.encode(), csrf_for(token, _secret(request)).encode()):
                raise HTTPException(403, BAD_CSRF)
        if not staff.role.allows(role):
            raise HTTPException(403, NO_PERMISSION)
        return staff

    return logged_in_staff


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Hand the browser its session cookie: HttpOnly, SameSite=Strict, Secure over https."""
    public_url: str = request.app.state.settings.public_base_url
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=public_url.startswith("https://"),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    public_url: str = request.app.state.settings.public_base_url
    response.delete_cookie(
        COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=public_url.startswith("https://"),
    )
