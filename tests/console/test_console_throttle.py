"""The login limit: a growing lock-out per username and per client address."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from console_helpers import client_of
from fastapi import FastAPI
from production_env import production_settings
from pydantic import SecretStr, ValidationError

from console.throttle import ADDRESS_FREE, USERNAME_FREE, lock_of, note_failure, utcnow
from testing.console import PASSWORD, create_staff


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/admin/api/session", json={"username": username, "password": password}
    )


async def test_a_username_locks_after_its_free_failures_even_for_the_right_password(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    name = create_staff(console_app, "editor")
    async with client_of(console_app, "10.0.0.1") as guesser:
        for _ in range(USERNAME_FREE - 1):
            assert (await _login(guesser, name, "guess-guess")).status_code == 401
        assert (await _login(guesser, name, "guess-guess")).status_code == 401
        # From another address too: the lock is on the account's name.
    async with client_of(console_app, "10.0.0.2") as owner:
        locked = await _login(owner, name, PASSWORD)
        assert locked.status_code == 429
        assert 0 < int(locked.headers["retry-after"]) <= 60
        assert "thử lại sau 1 phút" in locked.json()["detail"]
        assert "set-cookie" not in locked.headers
        assert (await _login(owner, name.upper() + " ", PASSWORD)).status_code == 429
        # Another account from that address is not affected.
        other = create_staff(console_app, "editor")
        assert (await _login(owner, other, PASSWORD)).status_code == 200


async def test_an_address_locks_after_guessing_many_usernames(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    name = create_staff(console_app, "viewer")
    async with client_of(console_app, "10.0.0.3") as sprayer:
        for number in range(ADDRESS_FREE):
            assert (await _login(sprayer, f"user{number}", "password1")).status_code == 401
        assert (await _login(sprayer, name, PASSWORD)).status_code == 429
    async with client_of(console_app, "10.0.0.4") as colleague:
        assert (await _login(colleague, name, PASSWORD)).status_code == 200


async def test_the_lock_doubles_with_each_further_failure_up_to_a_day(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    now = utcnow()
    locks = []
    with console_app.state.sessions.begin() as session:
        for _ in range(USERNAME_FREE + 14):
            note_failure(session, "someone", "10.9.9.9", now)
            lock = lock_of(session, "someone", "10.9.9.8", now)
            locks.append(lock.until - now if lock else timedelta(0))
    assert locks[: USERNAME_FREE - 1] == [timedelta(0)] * (USERNAME_FREE - 1)
    assert locks[USERNAME_FREE - 1 : USERNAME_FREE + 2] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert locks[-1] == timedelta(hours=24)
    with console_app.state.sessions.begin() as session:
        later = now + timedelta(hours=25)
        assert lock_of(session, "someone", "10.9.9.8", later) is None


@pytest.mark.parametrize("password", ["change-me", "short-pass", "admin-password-123456"])
def test_production_refuses_a_weak_first_admin_password(password: str) -> None:
    with pytest.raises(ValidationError, match="ADMIN_PASSWORD"):
        production_settings(admin_password=SecretStr(password))


def test_production_starts_without_or_with_a_strong_first_admin_password() -> None:
    assert production_settings(admin_password=None).admin_password is None
    strong = production_settings(admin_password=SecretStr("vừng ơi mở cửa ra 2026"))
    assert strong.admin_password is not None
