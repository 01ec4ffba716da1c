"""What differs between the two databases we run on, written once.

PostgreSQL and SQLite both know `INSERT … ON CONFLICT (…) DO NOTHING`, but SQLAlchemy
builds it with each dialect's own `insert`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert

__all__ = ["insert_ignoring_conflicts"]


def insert_ignoring_conflicts(
    table: Any, dialect: Dialect | str, *, conflict: Sequence[str]
) -> Insert:
    """`INSERT INTO table … ON CONFLICT (conflict) DO NOTHING` for `dialect`.

    `table` is a Table or a mapped class; chain `.values(…)` / `.returning(…)` as usual.
    """
    name = dialect if isinstance(dialect, str) else dialect.name
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict)
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict)
    raise ValueError(f"unsupported database {name!r} (PostgreSQL or SQLite)")
