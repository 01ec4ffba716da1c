"""What the actions share: a cached view of the catalog, and procedure buttons.

The view (resolver, popular procedures) is rebuilt when the catalog changes (row count
or newest `updated_at`, checked at most every few seconds), so staff edits show up
without a restart. `actions.services.ActionServices` holds the process's one cache.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from catalog.queries import CatalogVersion, catalog_version, popular_procedures, procedure_names
from catalog.resolve import ProcedureResolver

__all__ = [
    "CatalogView",
    "ResolverCache",
    "button",
    "POPULAR_COUNT",
]

POPULAR_COUNT = 5
CHECK_INTERVAL_SECONDS = 5.0
BUTTON_TITLE_CHARS = 60


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


def button(title: str, intent: str, procedure_code: str) -> dict[str, str]:
    """A button that asks `intent` about `procedure_code` when pressed."""
    if len(title) > BUTTON_TITLE_CHARS:
        title = title[: BUTTON_TITLE_CHARS - 1].rstrip() + "…"
    entities = json.dumps({"procedure_code": procedure_code}, separators=(",", ":"))
    return {"title": title, "payload": f"/{intent}{entities}"}
