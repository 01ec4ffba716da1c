"""The Zalo simulator's ASGI app: the OA API plus the `/_sim` test routes."""

from __future__ import annotations

from fastapi import FastAPI

from simulators import sim_admin
from simulators.sim_app import simulator_app
from simulators.zalo import admin, api
from simulators.zalo.config import ZaloSimConfig, load_config
from simulators.zalo.state import SimulatorState

__all__ = ["create_app"]


def create_app(config: ZaloSimConfig | None = None) -> FastAPI:
    """Build the simulator app; settings from the environment unless given."""
    state = SimulatorState(config or load_config())

    app = simulator_app(
        "Zalo OA API simulator",
        state,
        [admin.router, sim_admin.router, api.router],
        with_client=lambda app, client: setattr(state, "http", client),
    )

    @app.get("/")
    async def root() -> dict[str, str]:
        """Health: the simulator answers."""
        return {"simulator": "zalo"}

    return app
