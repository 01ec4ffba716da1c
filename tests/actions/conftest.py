"""Action fixtures: a migrated SQLite catalog with the real content, the real domain,
and a builder of trackers as Rasa would send them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.services import ActionServices, configure
from catalog.cli import run_import, run_import_national
from db import upgrade_to_head
from settings import REPO_ROOT, Settings
from testing.trackers import make_tracker

_PROCEDURE_SLOT = {
    "type": "text",
    "influence_conversation": False,
    "mappings": [{"type": "from_entity", "entity": "procedure_code"}],
}
MINIMAL_DOMAIN: dict[str, Any] = {
    "intents": ["ask_documents", "ask_fee", "ask_processing_time", "ask_where_to_file",
                "ask_online", "ask_steps", "ask_status", "out_of_scope"],
    "entities": ["procedure", "procedure_code", "dossier_code"],
    "slots": {"procedure_code": _PROCEDURE_SLOT},
    "actions": ["action_answer_procedure", "action_lookup_dossier", "action_default_fallback"],
}  # fmt: skip


@pytest.fixture(scope="session")
def catalog_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the national snapshot and the province's layer on it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('actions') / 'catalog.db'}"
    upgrade_to_head(url)
    run_import_national(url)
    run_import(url, REPO_ROOT / "catalog" / "content")
    return url


@pytest.fixture
def catalog_db(catalog_url: str) -> Iterator[str]:
    """Point the actions at the test catalog for one test."""
    configure(ActionServices.from_settings(Settings(database_url=catalog_url)))
    yield catalog_url
    configure(None)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The project's domain.yml when present, else a minimal domain with the contract names."""
    path = Path(REPO_ROOT / "domain.yml")
    if path.exists():
        loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return loaded
    return MINIMAL_DOMAIN


@pytest.fixture
def tracker_for() -> Any:
    return make_tracker
