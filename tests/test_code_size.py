"""Issue 13's figure: no module over 300 lines, no function over 60, outside migrations.

Small modules with one job and functions that fit on a screen are how the code stays
readable; this check keeps a split from growing back. It reads the repository's own
Python files (not the virtual environments, not Alembic's migrations, which are written
once and never edited) and lists every offender with its size.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from settings import REPO_ROOT

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# Top-level folders whose Python is not ours to size (dot-folders such as .venv go too).
SKIPPED_TOP = ("models", "var", "node_modules")


def python_files(root: Path = REPO_ROOT) -> Iterator[Path]:
    """Our .py files: no virtual environment, no migration, nothing generated."""
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or parts[0] in SKIPPED_TOP:
            continue
        if parts[:2] == ("db", "migrations"):
            continue
        yield path


def oversized(path: Path, root: Path = REPO_ROOT) -> list[str]:
    """`path`'s offences: the module's length and every over-long function."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: module of {lines} lines")
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno}: {node.name}() of {length} lines")
    return found


def test_no_module_or_function_is_over_the_limit() -> None:
    offenders = [offence for path in python_files() for offence in oversized(path)]
    assert not offenders, "split by topic:\n" + "\n".join(offenders)


def test_the_check_finds_an_oversized_module_and_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    source = f"def long_one():\n{body}\n" + "\n" * (MAX_MODULE_LINES - MAX_FUNCTION_LINES)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "big.py").write_text(source)
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    (tmp_path / "db" / "migrations" / "0001_x.py").write_text(source)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text(source)

    found = [offence for path in python_files(tmp_path) for offence in oversized(path, tmp_path)]

    assert found == [
        f"pkg/big.py: module of {MAX_MODULE_LINES + 1} lines",
        f"pkg/big.py:1: long_one() of {MAX_FUNCTION_LINES + 1} lines",
    ]
