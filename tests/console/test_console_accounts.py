"""Accounts: admins add, change, disable; sessions end; the log has no password; the CLI."""

from __future__ import annotations

import io

import httpx
import pytest
from console_helpers import client_of
from fastapi import FastAPI

from console.__main__ import main
from console.roles import Role
from settings import Settings
from testing.console import logged_in

NEW_PASSWORD = "một mật khẩu mới dài"


async def _login(client: httpx.AsyncClient, username: str, password: str) -> int:
    body = {"username": username, "password": password}
    return (await client.post("/admin/api/session", json=body)).status_code


async def test_an_admin_adds_an_account_that_can_log_in_and_the_log_keeps_no_password(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.ADMIN)}
    body = {"username": "Thu.Ha", "password": NEW_PASSWORD, "role": "editor"}

    added = await console.post("/admin/api/accounts", json=body, headers=csrf)

    assert added.status_code == 201, added.text
    assert added.json() == {
        "id": added.json()["id"],
        "username": "thu.ha",
        "role": "editor",
        "active": True,
    }
    async with client_of(console_app) as newcomer:
        assert await _login(newcomer, "thu.ha", NEW_PASSWORD) == 200
    log = (await console.get("/admin/api/audit")).text
    assert NEW_PASSWORD not in log and "argon2" not in log and '"staff_account"' in log
    again = await console.post("/admin/api/accounts", json=body, headers=csrf)
    assert again.status_code == 400 and "đã có người dùng" in again.json()["detail"]
    short = {**body, "username": "an", "password": "ngắn"}
    assert (
        "ít nhất 10 ký tự"
        in (await console.post("/admin/api/accounts", json=short, headers=csrf)).json()["detail"]
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
async def test_only_admins_manage_accounts(console: httpx.AsyncClient, role: Role) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, role)}
    body = {"username": "ke.gian", "password": NEW_PASSWORD, "role": "admin"}

    assert (await console.get("/admin/api/accounts")).status_code == 403
    assert (await console.post("/admin/api/accounts", json=body, headers=csrf)).status_code == 403
    assert (await console.get("/admin/accounts")).status_code == 403


async def test_disabling_or_a_new_password_ends_the_accounts_sessions_at_once(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.ADMIN)}
    async with client_of(console_app) as clerk:
        await logged_in(clerk, Role.EDITOR, "nhan.vien")
        accounts = (await console.get("/admin/api/accounts")).json()["accounts"]
        clerk_id = next(a["id"] for a in accounts if a["username"] == "nhan.vien")
        url = f"/admin/api/accounts/{clerk_id}"

        reset = await console.patch(url, json={"password": NEW_PASSWORD}, headers=csrf)
        assert reset.status_code == 200
        assert (await clerk.get("/admin/api/faq")).status_code == 401
        assert await _login(clerk, "nhan.vien", NEW_PASSWORD) == 200

        disabled = await console.patch(url, json={"active": False}, headers=csrf)
        assert disabled.json()["active"] is False
        assert (await clerk.get("/admin/api/faq")).status_code == 401
        assert await _login(clerk, "nhan.vien", NEW_PASSWORD) == 401


async def test_the_last_admin_stays_and_account_changes_are_undone_by_admins_only(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.ADMIN, "truong.phong")}
    [me] = (await console.get("/admin/api/accounts")).json()["accounts"]

    demoted = await console.patch(
        f"/admin/api/accounts/{me['id']}", json={"role": "editor"}, headers=csrf
    )
    assert demoted.status_code == 400
    assert demoted.json()["detail"] == "Phải còn ít nhất một tài khoản quản trị đang hoạt động."

    body = {"username": "pho.phong", "password": NEW_PASSWORD, "role": "viewer"}
    deputy = (await console.post("/admin/api/accounts", json=body, headers=csrf)).json()
    await console.patch(f"/admin/api/accounts/{deputy['id']}", json={"role": "admin"}, headers=csrf)
    promotion = (await console.get("/admin/api/audit")).json()["entries"][0]
    async with client_of(console_app) as editor:
        editor_csrf = {"X-CSRF-Token": await logged_in(editor, Role.EDITOR)}
        refused = await editor.post(
            f"/admin/api/audit/{promotion['id']}/revert", headers=editor_csrf
        )
        assert refused.status_code == 403
    undone = await console.post(f"/admin/api/audit/{promotion['id']}/revert", headers=csrf)
    assert undone.status_code == 200
    accounts = (await console.get("/admin/api/accounts")).json()["accounts"]
    assert {a["username"]: a["role"] for a in accounts}["pho.phong"] == "viewer"


async def test_the_accounts_page_adds_and_changes_an_account(console: httpx.AsyncClient) -> None:
    csrf = await logged_in(console, Role.ADMIN)
    form = {"csrf_token": csrf, "username": "van.thu", "password": NEW_PASSWORD, "role": "viewer"}

    added = await console.post("/admin/accounts", data=form)

    assert added.status_code == 303
    page = await console.get("/admin/accounts?done=added")
    assert "van.thu" in page.text and "Đã thêm tài khoản." in page.text
    accounts = (await console.get("/admin/api/accounts")).json()["accounts"]
    new_id = next(a["id"] for a in accounts if a["username"] == "van.thu")
    changed = await console.post(
        f"/admin/accounts/{new_id}", data={"csrf_token": csrf, "role": "editor", "active": "on"}
    )
    assert changed.status_code == 303
    accounts = (await console.get("/admin/api/accounts")).json()["accounts"]
    assert {a["username"]: a["role"] for a in accounts}["van.thu"] == "editor"


async def test_the_command_line_adds_a_user(
    console_app: FastAPI,
    console: httpx.AsyncClient,
    console_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = ["--database-url", console_settings.database_url]
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert (
        main(["add-user", "--username", "Ke.Toan", "--role", "viewer", "--password-stdin", *url])
        == 0
    )
    assert "Đã thêm tài khoản ke.toan (Xem)." in capsys.readouterr().out
    assert await _login(console, "ke.toan", NEW_PASSWORD) == 200
    monkeypatch.setattr("sys.stdin", io.StringIO("ngắn"))
    assert main(["add-user", "--username", "khac", "--password-stdin", *url]) == 2
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    entries = (await console.get("/admin/api/audit")).json()["entries"]
    creation = entries[0]
    assert (creation["actor"], creation["action"], creation["after"]["username"]) == (
        "hệ thống",
        "create",
        "ke.toan",
    )
