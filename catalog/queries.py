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
from catalog.national.models import NationalImport, NationalProcedure
from catalog.popularity import default_popularity
from db import make_engine, make_session_factory
from db.guard import guarded_session

__all__ = [
    "ProcedureNames",
    "CatalogVersion",
    "find_procedure",
    "popular_procedures",
    "procedure_names",
    "procedure_names_in",
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
    national_import: int | None = None  # the newest applied national import
    # When stored national records last changed (a review published, a change released).
    national_revised: datetime | None = None


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
    """Every procedure the resolver may answer with: each national one and each local one.

    A procedure in both keeps the local name, aliases and popularity, and its national
    name as one more alias; a national one alone gets `default_popularity`.
    """
    query = select(Procedure).options(selectinload(Procedure.aliases)).order_by(Procedure.code)
    names = {
        procedure.code: ProcedureNames(
            code=procedure.code,
            name=procedure.name,
            aliases=tuple(alias.text for alias in procedure.aliases),
            popularity=procedure.popularity,
        )
        for procedure in session.scalars(query)
    }
    national = select(
        NationalProcedure.code,
        NationalProcedure.name,
        NationalProcedure.detailed,
        NationalProcedure.fields["level"].as_string(),
        NationalProcedure.fields["type"].as_string(),
    ).order_by(NationalProcedure.code)
    for code, name, detailed, level, kind in session.execute(national):
        local = names.get(code)
        if local is None:
            popularity = default_popularity(name=name, level=level, kind=kind, detailed=detailed)
            names[code] = ProcedureNames(code=code, name=name, aliases=(), popularity=popularity)
        elif name != local.name and name not in local.aliases:
            names[code] = ProcedureNames(
                code=code,
                name=local.name,
                aliases=(*local.aliases, name),
                popularity=local.popularity,
            )
    return [names[code] for code in sorted(names)]


def procedure_names_in(database_url: str) -> list[ProcedureNames]:
    """`procedure_names` of the database at `database_url` (a script's or a test's own)."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return procedure_names(session)
    finally:
        engine.dispose()


def catalog_version(session: Session) -> CatalogVersion:
    """Row count, newest `updated_at`, national import and revision: cheap, detect changes."""
    count, last = session.execute(
        select(func.count(Procedure.id), func.max(Procedure.updated_at))
    ).one()
    national, revised = session.execute(
        select(
            func.max(NationalImport.id).filter(NationalImport.applied.is_(True)),
            func.max(NationalImport.revised_at),
        )
    ).one()
    return CatalogVersion(
        count=int(count), last_updated=last, national_import=national, national_revised=revised
    )
