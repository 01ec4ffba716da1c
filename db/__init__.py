"""Database plumbing shared by catalog, notifier and console: base class, engine, migrations."""

from db.base import Base
from db.session import (
    make_async_engine,
    make_async_session_factory,
    make_engine,
    make_session_factory,
    upgrade_to_head,
)

__all__ = [
    "Base",
    "make_async_engine",
    "make_async_session_factory",
    "make_engine",
    "make_session_factory",
    "upgrade_to_head",
]
