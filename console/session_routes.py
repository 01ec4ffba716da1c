"""Logging in and out: `POST|DELETE /admin/api/session` for scripts, `/admin/login` pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from bot.openapi import error_responses as errors
from console.auth import COOKIE, clear_session_cookie, require, set_session_cookie
from console.login import LoginRefused, log_in
from console.pages import render
from console.roles import Role, Staff
from console.schemas import Done, LoggedIn, LoginRequest
from console.sessions import close_session, csrf_for

__all__ = ["router"]

router = APIRouter(tags=["console"])


async def _session_for(request: Request, username: str, password: str) -> str:
    address: str = request.app.state.client_addresses.of(request)
    sessions = request.app.state.sessions
    return await run_in_threadpool(log_in, sessions, username, password, address)


def _refusal(error: LoginRefused) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after)} if error.retry_after else {}


@router.post("/admin/api/session", response_model=LoggedIn, responses=errors(400, 401, 422, 429))
async def api_login(request: Request, body: LoginRequest) -> Response:
    """Log in; the answer's `csrf_token` goes in `X-CSRF-Token` on every change."""
    try:
        token = await _session_for(request, body.username, body.password)
    except LoginRefused as error:
        return JSONResponse(
            {"detail": error.message}, status_code=error.status, headers=_refusal(error)
        )
    secret = request.app.state.settings.admin_session_secret.get_secret_value()
    response = JSONResponse({"csrf_token": csrf_for(token, secret)})
    set_session_cookie(request, response, token)
    return response


async def _log_out(request: Request, response: Response) -> Response:
    sessions = request.app.state.sessions

    def close() -> None:
        with sessions.begin() as session:
            close_session(session, request.cookies.get(COOKIE, ""))

    await run_in_threadpool(close)
    clear_session_cookie(request, response)
    return response


@router.delete("/admin/api/session", response_model=Done, responses=errors(401, 403))
async def api_logout(
    request: Request, staff: Annotated[Staff, Depends(require(Role.VIEWER))]
) -> Response:
    """Log out: the session ends on the server, the cookie is cleared."""
    return await _log_out(request, JSONResponse({"detail": "Đã đăng xuất."}))


@router.get("/admin/login", include_in_schema=False)
async def login_page(request: Request) -> Response:
    """The login form."""
    return render(request, "login.html", {"username": ""})


@router.post("/admin/login", include_in_schema=False)
async def login_form(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """The login form's post: to the console on success, back to the form otherwise."""
    try:
        token = await _session_for(request, username, password)
    except LoginRefused as error:
        context = {"username": username, "error": error.message}
        response = render(request, "login.html", context, status_code=error.status)
        response.headers.update(_refusal(error))
        return response
    response = RedirectResponse("/admin", status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/admin/logout", include_in_schema=False)
async def logout_form(
    request: Request, staff: Annotated[Staff, Depends(require(Role.VIEWER))]
) -> Response:
    """The nav's logout button."""
    return await _log_out(request, RedirectResponse("/admin/login", status_code=303))


@router.get("/admin", include_in_schema=False)
async def home(
    request: Request, staff: Annotated[Staff, Depends(require(Role.VIEWER))]
) -> Response:
    """The console's front page: the menu."""
    return render(request, "home.html")
