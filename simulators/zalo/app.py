"""The Zalo simulator's ASGI app: the OA API plus the `/_sim` test routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from simulators import sim_admin
from simulators.zalo import admin, api
from simulators.zalo.config import ZaloSimConfig, load_config
from simulators.zalo.state import SimulatorState

__all__ = ["create_app"]


def create_app(config: ZaloSimConfig | None = None) -> FastAPI:
    """Build the simulator app; settings from the environment unless given."""
    state = SimulatorState(config or load_config())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient() as client:
            state.http = client
            yield
            state.reset()

    app = FastAPI(title="Zalo OA API simulator", lifespan=lifespan)
    app.state.sim = state

    @app.get("/")
    async def root() -> dict[str, str]:
        """Health: the simulator answers."""
        return {"simulator": "zalo"}

    app.include_router(admin.router)
    app.include_router(sim_admin.router)
    app.include_router(api.router)
    return app
