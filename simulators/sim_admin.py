"""The `/_sim` routes every simulator has: read and change the settings, reset.

A simulator app keeps its state in `app.state.sim`: an object with the settings
dataclass in `config`, and `configure(config)` and `reset()` methods.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from fastapi import APIRouter, HTTPException, Request

from simulators.common import apply_overrides

__all__ = ["SimState", "router"]

router = APIRouter()


class SimState(Protocol):
    """What the shared routes need of a simulator's state."""

    config: Any

    def configure(self, config: Any) -> None:
        """Put new settings in force."""
        ...

    def reset(self) -> None:
        """Forget everything recorded; restore the start-up settings."""
        ...


def _state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


@router.get("/_sim/config")
async def show_config(request: Request) -> dict[str, Any]:
    """The settings in force."""
    return dataclasses.asdict(_state(request).config)


@router.post("/_sim/config")
async def change_config(request: Request, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some settings (for example `{"rate_limit": 100}`); answers all of them."""
    state = _state(request)
    try:
        state.configure(apply_overrides(state.config, changes))
    except (KeyError, ValueError, TypeError) as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return dataclasses.asdict(state.config)


@router.post("/_sim/reset")
async def reset(request: Request) -> dict[str, bool]:
    """Forget what the simulator recorded (messages, updates, ...); restore its settings."""
    _state(request).reset()
    return {"reset": True}
