"""Logging in and out, sessions, CSRF, the first admin, and anonymous refusals."""

from __future__ import annotations

import httpx
import pytest
from console_helpers import client_of
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import create_app
from console.auth import COOKIE
from console.models import StaffAccount
from console.roles import Role
from settings import Settings
from testing.console import PASSWORD, create_staff, logged_in
from testing.fake_rasa import FakeRasa

# The only console routes an anonymous request may reach.
PUBLIC = {("GET", "/admin/login"), ("POST", "/admin/login"), ("POST", "/admin/api/session")}


async def test_login_answers_a_csrf_token_and_sets_a_strict_httponly_cookie(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    name = create_staff(console_app, Role.EDITOR)
    response = await console.post(
        "/admin/api/session", json={"username": name.upper(), "password": PASSWORD}
    )

    assert response.status_code == 200, response.text
    assert len(response.json()["csrf_token"]) == 64
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/admin"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # PUBLIC_BASE_URL is http in tests
    assert (await console.get("/admin")).status_code == 200


@pytest.mark.parametrize("password", ["wrong password!", "", PASSWORD + "x", PASSWORD.upper()])
async def test_a_wrong_password_gets_401_and_no_cookie(
    console_app: FastAPI, console: httpx.AsyncClient, password: str
) -> None:
    name = create_staff(console_app, Role.ADMIN)
    response = await console.post(
        "/admin/api/session", json={"username": name, "password": password}
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Sai tên đăng nhập hoặc mật khẩu."}
    assert "set-cookie" not in response.headers
    assert (await console.get("/admin")).status_code == 303


def _console_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute) and route.path.startswith("/admin")
        for method in sorted(route.methods)
    ]


async def test_every_console_route_refuses_an_anonymous_request(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    routes = _console_routes(console_app)
    assert len(routes) >= 5
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        url = path.replace("{", "").replace("}", "")  # path parameters: any value
        response = await console.request(method, url, headers={"X-CSRF-Token": "x" * 64})
        if path.startswith("/admin/api/"):
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["detail"] == "Bạn cần đăng nhập vào trang quản trị."
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"] == "/admin/login"


async def test_a_forged_or_foreign_cookie_is_anonymous(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    async with client_of(console_app) as someone, client_of(console_app) as forger:
        await logged_in(someone, Role.ADMIN)
        forger.cookies.set(COOKIE, "A" * 43, domain="gateway.test", path="/admin")
        assert (await forger.get("/admin")).status_code == 303


async def test_state_changes_without_the_csrf_token_are_refused(
    console: httpx.AsyncClient,
) -> None:
    csrf = await logged_in(console, Role.ADMIN)

    altered = csrf[:-1] + ("1" if csrf.endswith("0") else "0")  # never the token itself
    for headers in ({}, {"X-CSRF-Token": ""}, {"X-CSRF-Token": altered}):
        response = await console.delete("/admin/api/session", headers=headers)
        assert response.status_code == 403, headers
        assert "CSRF" in response.json()["detail"]
    form = await console.post("/admin/logout", data={"csrf_token": "nope"})
    assert form.status_code == 403
    assert (await console.get("/admin")).status_code == 200  # still logged in


async def test_logout_ends_the_session_on_the_server(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    csrf = await logged_in(console, Role.VIEWER)
    stolen = console.cookies.get(COOKIE)

    response = await console.delete("/admin/api/session", headers={"X-CSRF-Token": csrf})

    assert response.status_code == 200
    async with client_of(console_app) as thief:
        thief.cookies.set(COOKIE, stolen or "", domain="gateway.test", path="/admin")
        assert (await thief.get("/admin")).status_code == 303


async def test_the_login_form_logs_in_and_the_logout_button_out(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    name = create_staff(console_app, Role.VIEWER)
    page = await console.get("/admin/login")
    assert page.status_code == 200 and "Đăng nhập" in page.text

    response = await console.post("/admin/login", data={"username": name, "password": PASSWORD})

    assert response.status_code == 303 and response.headers["location"] == "/admin"
    home = await console.get("/admin")
    assert "Câu hỏi thường gặp" in home.text and "Nhật ký" in home.text
    csrf = home.text.split('name="csrf_token" value="')[1].split('"')[0]
    out = await console.post("/admin/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    assert (await console.get("/admin")).status_code == 303


async def test_the_first_admin_comes_from_the_settings_once(console_settings: Settings) -> None:
    first, later = "mật khẩu đầu tiên", "mật khẩu về sau"
    for password in (first, later):
        settings = console_settings.model_copy(
            update={"admin_username": "Truong.Phong", "admin_password": SecretStr(password)}
        )
        app = create_app(settings, transport=httpx.MockTransport(FakeRasa()))
        async with app.router.lifespan_context(app), client_of(app) as client:
            for tried, expected in ((later, 401), (first, 200)):
                body = {"username": "truong.phong", "password": tried}
                response = await client.post("/admin/api/session", json=body)
                assert response.status_code == expected, (password, tried)
            with app.state.sessions() as session:
                accounts = session.execute(select(StaffAccount.username, StaffAccount.role))
                assert [tuple(row) for row in accounts] == [("truong.phong", "admin")]
