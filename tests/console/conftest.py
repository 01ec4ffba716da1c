"""Fixtures: the gateway app (console mounted) on a fake Rasa and a migrated SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from console_helpers import client_of
from fastapi import FastAPI

from bot.app import create_app
from db import upgrade_to_head
from settings import Settings
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa

# Rasa and the action server are the fake's (`testing.fake_rasa`).
FAKE_PARTS = {"rasa_url": RASA_URL, "action_server_url": ACTION_SERVER_URL}


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database file, copied for each test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("console-template") / "console.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture
def console_settings(tmp_path: Path, migrated_template: Path) -> Settings:
    database = tmp_path / "console.db"
    shutil.copy(migrated_template, database)
    return Settings(environment="test", database_url=f"sqlite:///{database}", **FAKE_PARTS)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def console_app(console_settings: Settings, fake_rasa: FakeRasa) -> FastAPI:
    """The gateway app; started (lifespan) by the `console` fixture."""
    return create_app(console_settings, transport=httpx.MockTransport(fake_rasa))


@pytest.fixture
async def console(console_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the started app, not logged in."""
    async with console_app.router.lifespan_context(console_app), client_of(console_app) as client:
        yield client
