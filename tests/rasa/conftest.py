"""Fixtures for the Rasa-side tests: the Rasa environment and the trained model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from launcher.model import model_path, rasa_env

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


InRasa = Callable[[str], dict[str, object]]


@pytest.fixture(scope="session")
def in_rasa(rasa_bin: Path) -> InRasa:
    """Run a script with Rasa's Python (as Rasa runs our code); it prints one JSON line last."""

    def run(script: str) -> dict[str, object]:
        done = subprocess.run(
            [str(rasa_bin.parent / "python"), "-c", textwrap.dedent(script)],
            cwd=REPO,
            env=rasa_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            pytest.fail(f"the script failed in Rasa's Python:\n{done.stderr[-3000:]}")
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    return run


@pytest.fixture(scope="session")
def test_redis() -> tuple[str, int, int]:
    """Host, port and db of the test Redis; skip (or fail with REQUIRE_REDIS=1) when down."""
    url = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    db = int(url.path.strip("/") or 0)
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError as error:
        message = f"Redis is not reachable at {host}:{port}: {error}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return host, port, db


@pytest.fixture
def redis_store_options(test_redis: tuple[str, int, int]) -> str:
    """The test Redis as keyword arguments of a Redis tracker store (Python source), under a
    fresh key prefix, so that no test sees another's trackers."""
    host, port, db = test_redis
    return f"host={host!r}, port={port}, db={db}, key_prefix={'test' + uuid.uuid4().hex!r}"
