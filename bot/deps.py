"""FastAPI dependencies: what route handlers get from the app's lifespan state."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from bot.rasa_pool import RasaPool
from bot.web_identity import WebIdentity
from settings import Settings

__all__ = ["get_rasa", "get_sessions", "get_settings_of_app", "get_web_identity"]


async def get_rasa(request: Request) -> RasaPool:
    """The app's Rasa processes (shared keep-alive connections), picked by sender."""
    rasa: RasaPool = request.app.state.rasa
    return rasa


async def get_settings_of_app(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_sessions(request: Request) -> sessionmaker[Session]:
    """The app's session factory on the assistant's database (made at start-up)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


async def get_web_identity(request: Request) -> WebIdentity:
    """The web chat's cookie signer and sender-id deriver (made with the app)."""
    identity: WebIdentity = request.app.state.web_identity
    return identity
