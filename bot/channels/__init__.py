"""The channels: one module per channel, each exposing `router: fastapi.APIRouter`.

To add a channel, write `bot/channels/<name>.py` with a module-level `router`, then add
its name to `CHANNELS` below: that one line is the whole registration. A channel turns
its payload into a `bot.channels.turn.Turn`, hands it to the app's `TurnRunner`
(`app.state.turns`: the per-sender limit, Rasa, the apology, metrics) and renders the
result in its own form: the one path every channel takes (docs/contracts.md, "Channels").
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

__all__ = ["CHANNELS", "channel_routers"]

CHANNELS: tuple[str, ...] = ("webchat", "sms", "telegram", "zalo")


def channel_routers() -> list[APIRouter]:
    """Every registered channel's router, in `CHANNELS` order."""
    routers = []
    for name in CHANNELS:
        module = importlib.import_module(f"bot.channels.{name}")
        router = getattr(module, "router", None)
        if not isinstance(router, APIRouter):
            raise TypeError(f"bot.channels.{name} must define `router = APIRouter(...)`")
        routers.append(router)
    return routers
