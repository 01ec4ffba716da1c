"""FastAPI dependencies: what route handlers get from the app's lifespan state."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from bot.rasa_client import RasaClient
from settings import Settings

__all__ = ["get_rasa", "get_sessions", "get_settings_of_app"]


def get_rasa(request: Request) -> RasaClient:
    """The app's one Rasa client (shared keep-alive connections)."""
    rasa: RasaClient = request.app.state.rasa
    return rasa


def get_settings_of_app(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_sessions(request: Request) -> sessionmaker[Session]:
    """The app's session factory on the assistant's database (made at start-up)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions
