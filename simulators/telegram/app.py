"""The Telegram simulator's ASGI app: the Bot API plus the `/_sim` test routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from simulators import sim_admin
from simulators.telegram import admin, api
from simulators.telegram.config import TelegramSimConfig, load_config
from simulators.telegram.state import BotState, SimulatorState

__all__ = ["create_app"]


def create_app(config: TelegramSimConfig | None = None) -> FastAPI:
    """Build the simulator app; settings from the environment unless given."""
    state = SimulatorState(config or load_config())

    async def execute(bot: BotState, method: str, params: dict[str, Any]) -> Any:
        return await api.execute_method(state, bot, method, params)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient() as client:
            state.http = client
            state.execute = execute
            yield
            state.reset()

    app = FastAPI(title="Telegram Bot API simulator", lifespan=lifespan)
    app.state.sim = state
    app.include_router(admin.router)
    app.include_router(sim_admin.router)
    app.include_router(api.router)
    return app
