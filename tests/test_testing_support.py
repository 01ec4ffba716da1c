"""Test support stays on the test side: no production package imports `testing` or `tests`."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from settings import REPO_ROOT

TEST_SIDE = {"testing", "tests"}


def production_packages(root: Path = REPO_ROOT) -> list[str]:
    """The packages `pip install .` ships (pyproject's package list)."""
    config = tomllib.loads((root / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(pattern.rstrip("*") for pattern in patterns)


def imports_of_test_side(path: Path) -> list[str]:
    """The modules of the test side that `path` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in TEST_SIDE]
    return found


def test_no_production_module_imports_test_support() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)} imports {name}"
        for package in production_packages()
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        for name in imports_of_test_side(path)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_a_test_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("import json\nfrom testing.clock import FakeClock\nimport tests.pg_admin\n")
    assert imports_of_test_side(module) == ["testing.clock", "tests.pg_admin"]
    assert "notifier" in production_packages() and "testing" not in production_packages()
