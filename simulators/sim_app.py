"""The app every channel simulator is: its state, its routers, one outgoing HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

__all__ = ["simulator_app"]


def simulator_app(
    title: str,
    state: Any,
    routers: Sequence[APIRouter],
    *,
    with_client: Callable[[FastAPI, httpx.AsyncClient], None],
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`state` as `app.state.sim` behind `routers` (in order); reset when the app stops.

    While the app runs, one `httpx.AsyncClient` (on `transport`, if given) makes the
    simulator's own calls (webhooks, callbacks); `with_client` puts it where they find it.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(transport=transport) as client:
            with_client(app, client)
            yield
            state.reset()

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.sim = state
    for router in routers:
        app.include_router(router)
    return app
