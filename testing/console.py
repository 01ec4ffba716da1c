"""Console test support: a logged-in staff member of a given role, in one call.

    csrf = await logged_in(client, Role.EDITOR)
    await client.post("/admin/api/faq", json={...}, headers={"X-CSRF-Token": csrf})

`client` is a cookie-keeping `httpx.AsyncClient` over the app's `httpx.ASGITransport`
(as the gateway tests make it); the account is written into the app's own database
(`app.state.sessions`) and the login goes through `POST /admin/api/session`.
"""

from __future__ import annotations

import asyncio
import itertools

import httpx
from fastapi import FastAPI

from console.accounts import create_account
from console.roles import Role

__all__ = ["PASSWORD", "create_staff", "logged_in"]

PASSWORD = "mật khẩu thử nghiệm 1"
_serial = itertools.count(1)


def _app_of(client: httpx.AsyncClient) -> FastAPI:
    app = getattr(client._transport, "app", None)
    if not isinstance(app, FastAPI):
        raise TypeError("logged_in needs a client over httpx.ASGITransport(app=the gateway app)")
    return app


def create_staff(app: FastAPI, role: Role | str, username: str | None = None) -> str:
    """A new active account of `role` in `app`'s database; returns its username."""
    name = username or f"{Role(role).value}-{next(_serial)}"
    with app.state.sessions.begin() as session:
        create_account(session, username=name, password=PASSWORD, role=Role(role))
    return name


async def logged_in(
    client: httpx.AsyncClient, role: Role | str, username: str | None = None
) -> str:
    """Create a staff account of `role`, log `client` in as it; returns the CSRF token.

    The account is written from a thread: a synchronous write on the event loop's thread
    waits for SQLite's lock while the gateway's stored-update worker, on that same loop,
    holds it between its statement and its commit (a 5 s stall, then "database is locked").
    """
    name = await asyncio.to_thread(create_staff, _app_of(client), role, username)
    response = await client.post(
        "/admin/api/session", json={"username": name, "password": PASSWORD}
    )
    response.raise_for_status()
    token: str = response.json()["csrf_token"]
    return token
