"""The public API descriptions the simulators are checked against (`../shared/specs/`).

They live next to the repository, not in it. Missing, a conformance test is skipped on a
developer's machine but fails under CI (`CI=true`, or `REQUIRE_SPECS=1`): a CI run that
checked nothing must not look green.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from settings import REPO_ROOT

__all__ = ["SPECS_DIR", "load_spec", "specs_required"]

SPECS_DIR = Path(os.environ.get("SPECS_DIR") or REPO_ROOT.parent / "shared" / "specs")


def specs_required() -> bool:
    """Whether a missing description is a failure rather than a skip."""
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return ci or os.environ.get("REQUIRE_SPECS") == "1"


def load_spec(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The parsed JSON description `name`; skips (fails under CI) when it is missing."""
    path = (folder or SPECS_DIR) / name
    if not path.exists():
        message = f"the API description {name} is not at {path} (set SPECS_DIR)"
        if specs_required():
            pytest.fail(message)
        pytest.skip(message)
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded
