"""The answer cache: a cached answer costs no database query; a new national import is
noticed within `check_seconds`, and the cache starts afresh then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalog.answers import Aspect
from catalog.answers_cache import AnswerCache
from catalog.national.models import NationalImport
from db import make_engine, make_session_factory

CODE = "1.001193"  # the birth registration, in the national snapshot and the local layer
VERSION = "local-v1"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def counted(catalog_url: str) -> Iterator[tuple[Session, list[str]]]:
    """A session on the test catalog and the SQL statements it runs."""
    engine = make_engine(catalog_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with make_session_factory(engine)() as session:
        yield session, statements
        session.rollback()
    engine.dispose()


def _asked_once(
    counted: tuple[Session, list[str]],
) -> tuple[Session, list[str], Clock, AnswerCache]:
    """A cache (1 s interval, our clock) that has answered CODE's fee once; no statements yet."""
    session, statements = counted
    clock = Clock()
    cache = AnswerCache(check_seconds=1.0, clock=clock)
    first = cache.answer(session, VERSION, CODE, Aspect.FEE, None)
    assert first is not None and first.code == CODE
    statements.clear()
    return session, statements, clock, cache


def test_a_cached_answer_runs_no_query_until_the_interval_is_over(
    counted: tuple[Session, list[str]],
) -> None:
    session, statements, clock, cache = _asked_once(counted)
    first = cache.answer(session, VERSION, CODE, Aspect.FEE, None)
    clock.now += 0.9
    assert cache.answer(session, VERSION, CODE, Aspect.FEE, None) == first
    assert cache.knows(session, VERSION, frozenset())(CODE)
    assert statements == []  # neither the answer nor the import check touched the database
    clock.now += 0.2
    assert cache.answer(session, VERSION, CODE, Aspect.FEE, None) == first
    assert len(statements) == 1  # the import check only: the answer is still cached
    assert "national_import" in statements[0]


def test_a_new_national_import_empties_the_cache_after_the_interval(
    counted: tuple[Session, list[str]],
) -> None:
    session, statements, clock, cache = _asked_once(counted)
    session.add(
        NationalImport(
            source="test",
            fetched_on=date(2026, 12, 1),
            imported_at=datetime(2026, 12, 1, tzinfo=UTC),
            applied=True,
            changes={},
        )
    )
    session.flush()
    statements.clear()
    cache.answer(session, VERSION, CODE, Aspect.FEE, None)
    assert statements == []  # within the interval: the import is not seen yet
    clock.now += 1.0
    assert cache.answer(session, VERSION, CODE, Aspect.FEE, None) is not None
    # The import check, the national codes, then the answer loaded again.
    assert len(statements) > 2


def test_another_local_version_empties_the_cache_at_once(
    counted: tuple[Session, list[str]],
) -> None:
    session, statements, _, cache = _asked_once(counted)
    cache.answer(session, "local-v2", CODE, Aspect.FEE, None)
    assert len(statements) > 1  # the national codes and the answer, loaded again
