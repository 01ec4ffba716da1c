"""Alembic environment: migrations are the only way the schema changes."""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy import pool

from db.base import Base
from db.session import make_engine
from settings import REPO_ROOT, get_settings

# Every package (or subpackage, such as catalog.national) with a `models` module
# contributes its tables to autogenerate.
for _module in pkgutil.iter_modules([str(REPO_ROOT)]):
    for _models in sorted((REPO_ROOT / _module.name).glob("**/models.py")):
        if ".venv" not in _models.parts:
            _dotted = _models.relative_to(REPO_ROOT).with_suffix("").parts
            importlib.import_module(".".join(_dotted))

target_metadata = Base.metadata


def _url() -> str:
    return context.config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
