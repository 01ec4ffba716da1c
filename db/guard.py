"""A session whose database failures come out as the caller's own "unavailable" error.

Each boundary (the catalog, the notifier) names its error; callers above it then catch
that error and never SQLAlchemy's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["guarded_session"]


@contextmanager
def guarded_session(
    sessions: sessionmaker[Session], unavailable: Callable[[str], Exception]
) -> Iterator[Session]:
    """A session from `sessions`; a database failure raises `unavailable(reason)`."""
    try:
        with sessions() as session:
            yield session
    except SQLAlchemyError as error:
        # The reason names the failure's kind only: SQLAlchemy's text carries SQL parameters.
        raise unavailable(f"database unavailable ({type(error).__name__})") from error
