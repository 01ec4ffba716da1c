"""The Telegram simulator's ASGI app: the Bot API plus the `/_sim` test routes."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from simulators import sim_admin
from simulators.sim_app import simulator_app
from simulators.telegram import admin, api
from simulators.telegram.config import TelegramSimConfig, load_config
from simulators.telegram.state import BotState, SimulatorState

__all__ = ["create_app"]


def create_app(config: TelegramSimConfig | None = None) -> FastAPI:
    """Build the simulator app; settings from the environment unless given."""
    state = SimulatorState(config or load_config())

    async def execute(bot: BotState, method: str, params: dict[str, Any]) -> Any:
        return await api.execute_method(state, bot, method, params)

    def with_client(app: FastAPI, client: httpx.AsyncClient) -> None:
        state.http = client
        state.execute = execute

    return simulator_app(
        "Telegram Bot API simulator",
        state,
        [admin.router, sim_admin.router, api.router],
        with_client=with_client,
    )
