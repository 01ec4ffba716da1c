"""What the actions share: one session factory and one cached resolver per process.

The resolver is rebuilt when the catalog changes (row count or newest `updated_at`,
checked at most every few seconds), so staff edits show up without a restart.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from catalog.queries import CatalogVersion, catalog_version, popular_procedures, procedure_names
from catalog.resolve import ProcedureResolver
from db import make_engine, make_session_factory
from settings import get_settings

__all__ = [
    "CatalogView",
    "ResolverCache",
    "catalog_session",
    "catalog_view",
    "session_factory",
    "use_database",
    "reset",
    "button",
    "POPULAR_COUNT",
]

POPULAR_COUNT = 5
CHECK_INTERVAL_SECONDS = 5.0
BUTTON_TITLE_CHARS = 60

_lock = threading.Lock()
_factory: sessionmaker[Session] | None = None


def use_database(url: str) -> None:
    """Point the actions at `url` (the default is settings.database_url); for tests."""
    global _factory
    with _lock:
        if _factory is not None:
            _factory.kw["bind"].dispose()
        _factory = make_session_factory(make_engine(url))
    _cache.invalidate()


def reset() -> None:
    """Forget the session factory and the cached resolver."""
    global _factory
    with _lock:
        if _factory is not None:
            _factory.kw["bind"].dispose()
        _factory = None
    _cache.invalidate()


def _session_factory() -> sessionmaker[Session]:
    global _factory
    with _lock:
        if _factory is None:
            _factory = make_session_factory(make_engine(get_settings().database_url))
        return _factory


def session_factory() -> sessionmaker[Session]:
    """The process's session factory on the assistant's database (catalog, notifier)."""
    return _session_factory()


@contextmanager
def catalog_session() -> Iterator[Session]:
    """A read-only session on the catalog database (rolled back on exit)."""
    with _session_factory()() as session:
        yield session


@dataclass(frozen=True)
class CatalogView:
    """A resolver and the popular procedures, both built from one catalog version."""

    version: CatalogVersion
    resolver: ProcedureResolver
    popular: tuple[tuple[str, str], ...]
    # Rendered answers of this version by (procedure code, aspect): a procedure and its
    # parts take six queries to load, and the same few are asked about all day.
    answers: dict[tuple[str, str], str] = field(default_factory=dict)


class ResolverCache:
    """Holds the CatalogView; rebuilds it when the catalog's version changes."""

    def __init__(self, check_interval: float = CHECK_INTERVAL_SECONDS) -> None:
        self._check_interval = check_interval
        self._view: CatalogView | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Rebuild on the next call."""
        with self._lock:
            self._view = None
            self._checked_at = float("-inf")

    def get(self, session: Session) -> CatalogView:
        """The current view; at most one version query per check interval."""
        with self._lock:
            now = time.monotonic()
            if self._view is not None and now - self._checked_at < self._check_interval:
                return self._view
            version = catalog_version(session)
            if self._view is None or self._view.version != version:
                self._view = CatalogView(
                    version=version,
                    resolver=ProcedureResolver(procedure_names(session)),
                    popular=tuple(popular_procedures(session, limit=POPULAR_COUNT)),
                )
            self._checked_at = now
            return self._view


_cache = ResolverCache()


def catalog_view(session: Session) -> CatalogView:
    """The process-wide cached view of the catalog."""
    return _cache.get(session)


def button(title: str, intent: str, procedure_code: str) -> dict[str, str]:
    """A button that asks `intent` about `procedure_code` when pressed."""
    if len(title) > BUTTON_TITLE_CHARS:
        title = title[: BUTTON_TITLE_CHARS - 1].rstrip() + "…"
    entities = json.dumps({"procedure_code": procedure_code}, separators=(",", ":"))
    return {"title": title, "payload": f"/{intent}{entities}"}
