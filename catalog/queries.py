"""Read-side catalog functions for actions and the console (session first, keywords after)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from catalog.errors import CatalogUnavailable
from catalog.models import Procedure
from db.guard import guarded_session

__all__ = [
    "ProcedureNames",
    "CatalogVersion",
    "find_procedure",
    "popular_procedures",
    "procedure_names",
    "catalog_version",
    "reading",
]


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reading the catalog; a database failure raises CatalogUnavailable."""
    with guarded_session(sessions, CatalogUnavailable) as session:
        yield session


@dataclass(frozen=True)
class ProcedureNames:
    """What the resolver needs of one procedure: its code, name and aliases."""

    code: str
    name: str
    aliases: tuple[str, ...]
    popularity: int = 0


@dataclass(frozen=True)
class CatalogVersion:
    """A cheap fingerprint of the catalog's content; changes with every edit."""

    count: int
    last_updated: datetime | None


def find_procedure(session: Session, *, code: str) -> Procedure | None:
    """The procedure with national `code` and all its parts, or None."""
    query = (
        select(Procedure)
        .where(Procedure.code == code)
        .options(
            selectinload(Procedure.documents),
            selectinload(Procedure.fees),
            selectinload(Procedure.steps),
            selectinload(Procedure.aliases),
            selectinload(Procedure.bundle_members),
        )
    )
    return session.scalars(query).one_or_none()


def popular_procedures(session: Session, *, limit: int = 5) -> list[tuple[str, str]]:
    """(code, name) of the most asked-about procedures, most popular first."""
    query = (
        select(Procedure.code, Procedure.name)
        .order_by(Procedure.popularity.desc(), Procedure.code)
        .limit(limit)
    )
    return [(code, name) for code, name in session.execute(query)]


def procedure_names(session: Session) -> list[ProcedureNames]:
    """Code, name and aliases of every procedure, for building the resolver."""
    query = select(Procedure).options(selectinload(Procedure.aliases)).order_by(Procedure.code)
    return [
        ProcedureNames(
            code=procedure.code,
            name=procedure.name,
            aliases=tuple(alias.text for alias in procedure.aliases),
            popularity=procedure.popularity,
        )
        for procedure in session.scalars(query)
    ]


def catalog_version(session: Session) -> CatalogVersion:
    """Row count and newest `updated_at`: one cheap query to detect content changes."""
    count, last = session.execute(
        select(func.count(Procedure.id), func.max(Procedure.updated_at))
    ).one()
    return CatalogVersion(count=int(count), last_updated=last)
