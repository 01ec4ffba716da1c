"""Database failures leave each boundary as its own "unavailable" error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.errors import CatalogUnavailable
from catalog.models import Procedure
from catalog.queries import reading
from db import make_engine, make_session_factory
from notifier.exceptions import NotifierUnavailable
from notifier.models import Subscription
from notifier.sessions import notifier_session


def test_a_missing_schema_is_each_boundarys_own_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    sessions = make_session_factory(engine)
    try:
        with pytest.raises(CatalogUnavailable, match="OperationalError"), reading(sessions) as s:
            s.scalars(select(Procedure)).all()
        with pytest.raises(NotifierUnavailable), notifier_session(sessions) as s:
            s.scalars(select(Subscription)).all()
    finally:
        engine.dispose()
