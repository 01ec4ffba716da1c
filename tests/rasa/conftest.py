"""Fixtures for the Rasa-side tests: the Rasa environment and the trained model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from launcher.model import model_path

REPO = Path(__file__).resolve().parents[2]
RASA_BIN = REPO / ".venv-rasa" / "bin" / "rasa"


def _missing(message: str) -> None:
    """Skip, unless REQUIRE_RASA=1 turns a missing Rasa piece into a failure."""
    if os.environ.get("REQUIRE_RASA") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def rasa_bin() -> Path:
    """The `rasa` executable of .venv-rasa."""
    if not RASA_BIN.exists():
        _missing(f"Rasa environment missing at {RASA_BIN}")
    return RASA_BIN


@pytest.fixture(scope="session")
def rasa_model(rasa_bin: Path) -> Path:
    """The model trained from the current inputs (`make model` trains it)."""
    path = model_path()
    if not path.exists():
        _missing(f"no trained model for the current inputs ({path.name}); run `make model`")
    return path
