"""What the actions use, in one object: `ActionServices`, built once per process.

rasa_sdk instantiates Action classes without arguments, so the actions reach their
services through `services()`, which builds them from `Settings` on first use. Tests
(and any other host) hand over their own with `configure(ActionServices(...))`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from actions.common import CatalogView, ResolverCache
from catalog.answers_cache import AnswerCache
from catalog.queries import reading
from db import make_engine, make_session_factory
from dossier_lookup.build import lookup_from_settings
from dossier_lookup.lookup import DossierLookup
from faq.matcher import FaqMatcher, published_matcher
from faq.unanswered import UnansweredLog
from notifier.sessions import notifier_session
from settings import Settings, get_settings
from status_client.client import OneStopClient

__all__ = ["ActionServices", "build_lookup", "configure", "services"]


def build_lookup(settings: Settings) -> DossierLookup:
    """The dossier lookup service the settings describe (a new one-stop client)."""
    return lookup_from_settings(settings, OneStopClient.from_settings(settings))


@dataclass
class ActionServices:
    """The database sessions, the cached catalog view and answers, the published FAQ
    entries, the unanswered-questions log and the dossier lookup service."""

    settings: Settings
    sessions: sessionmaker[Session]
    catalog: ResolverCache = field(default_factory=ResolverCache)
    answers: AnswerCache = field(default_factory=AnswerCache)
    faq: FaqMatcher = field(default_factory=published_matcher)
    make_lookup: Callable[[Settings], DossierLookup] = build_lookup
    _lookup: tuple[asyncio.AbstractEventLoop, DossierLookup] | None = field(
        default=None, init=False, repr=False
    )
    unanswered: UnansweredLog = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.unanswered = UnansweredLog(self.sessions, self.settings.timezone)

    @classmethod
    def from_settings(cls, settings: Settings) -> ActionServices:
        """Services on the configured database and one-stop system."""
        return cls(settings, make_session_factory(make_engine(settings.database_url)))

    def lookup(self) -> DossierLookup:
        """The lookup service, bound to the running event loop (built on first use)."""
        loop = asyncio.get_running_loop()
        if self._lookup is None or self._lookup[0] is not loop:
            # httpx connections belong to one loop; a new loop (tests) gets a new client.
            self._lookup = (loop, self.make_lookup(self.settings))
        return self._lookup[1]

    @contextmanager
    def catalog_session(self) -> Iterator[Session]:
        """A read-only session on the catalog (rolled back on exit; CatalogUnavailable)."""
        with reading(self.sessions) as session:
            yield session

    @contextmanager
    def notifier_session(self) -> Iterator[Session]:
        """A session on the notifier's tables (subscriptions; NotifierUnavailable)."""
        with notifier_session(self.sessions) as session:
            yield session

    def catalog_view(self, session: Session) -> CatalogView:
        """The cached view of the catalog (rebuilt when the catalog changes)."""
        return self.catalog.get(session)

    def close(self) -> None:
        """Write the unanswered questions noted so far, release the database connections."""
        self.unanswered.flush(2.0)
        self.sessions.kw["bind"].dispose()


_lock = threading.Lock()
_services: ActionServices | None = None


def services() -> ActionServices:
    """The process's services: the configured ones, else built from the settings."""
    global _services
    with _lock:
        if _services is None:
            _services = ActionServices.from_settings(get_settings())
        return _services


def configure(replacement: ActionServices | None) -> None:
    """Use `replacement` from now on (None: build from the settings on next use)."""
    global _services
    with _lock:
        previous, _services = _services, replacement
    if previous is not None and previous is not replacement:
        previous.close()
