"""FastAPI dependencies: what route handlers get from the app's lifespan state."""

from __future__ import annotations

from fastapi import Request

from bot.rasa_client import RasaClient
from settings import Settings

__all__ = ["get_rasa", "get_settings_of_app"]


def get_rasa(request: Request) -> RasaClient:
    """The app's one Rasa client (shared keep-alive connections)."""
    rasa: RasaClient = request.app.state.rasa
    return rasa


def get_settings_of_app(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings
