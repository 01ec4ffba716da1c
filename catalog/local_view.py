"""What staff see of the catalog: procedures found by name, code or alias, and one in full.

`find_procedures` searches the national list (5,670 procedures) and the province's layer
together, with diacritics folded ("so do" finds "sổ đỏ"); `procedure_view` shows one
procedure's national record beside its local entry and which local fields override.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.local_edit import EntryJson, UnknownProcedure, local_entry
from catalog.models import Procedure
from catalog.national.models import NationalProcedure
from catalog.national.overrides import local_overrides
from catalog.national.record import portal_link, read_record
from catalog.queries import find_procedure
from vntext import fold

__all__ = ["ProcedureRow", "find_procedures", "procedure_view"]

MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class ProcedureRow:
    """One procedure in a list: code, name, and what the province's layer adds."""

    code: str
    name: str
    national: str  # "detailed", "listed" or "none"
    local: bool
    aliases: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The form the console's API answers with."""
        return {**asdict(self), "aliases": list(self.aliases)}


def _rows(session: Session) -> dict[str, ProcedureRow]:
    rows: dict[str, ProcedureRow] = {}
    national = select(NationalProcedure.code, NationalProcedure.name, NationalProcedure.detailed)
    for code, name, detailed in session.execute(national):
        rows[code] = ProcedureRow(code, name, "detailed" if detailed else "listed", False, ())
    local = select(Procedure).options(selectinload(Procedure.aliases))
    for procedure in session.scalars(local):
        known = rows.get(procedure.code)
        rows[procedure.code] = ProcedureRow(
            procedure.code,
            known.name if known else procedure.name,
            known.national if known else "none",
            True,
            tuple(alias.text for alias in procedure.aliases),
        )
    return rows


def _matches(row: ProcedureRow, folded: str) -> bool:
    if row.code.startswith(folded):
        return True
    return any(folded in fold(text) for text in (row.name, *row.aliases))


def find_procedures(
    session: Session, *, query: str = "", local_only: bool = False, offset: int = 0, limit: int = 50
) -> tuple[int, list[ProcedureRow]]:
    """(how many match, one page of them): the province's own first, then by code."""
    folded = " ".join(fold(query[:MAX_QUERY_CHARS]).split())
    found = [
        row
        for row in _rows(session).values()
        if (row.local or not local_only) and (not folded or _matches(row, folded))
    ]
    found.sort(key=lambda row: (not row.local, row.code))
    return len(found), found[offset : offset + limit]


def procedure_view(session: Session, code: str) -> dict[str, Any]:
    """One procedure: its national record's gist, its local entry, the fields it overrides."""
    row = session.get(NationalProcedure, code)
    procedure = find_procedure(session, code=code)
    if row is None and procedure is None:
        raise UnknownProcedure(code)
    national = None
    if row is not None:
        record = read_record(row)
        national = {
            "name": row.name,
            "detailed": row.detailed,
            "agency": record.agency,
            "link": record.link,
            "fetched_on": row.fetched_on.isoformat(),
        }
    local: EntryJson | None = local_entry(session, code) if procedure is not None else None
    overrides = local_overrides(procedure) if procedure is not None and row is not None else []
    return {
        "code": code,
        "name": row.name if row is not None else (procedure.name if procedure else code),
        "link": national["link"] if national else portal_link(None, code),
        "national": national,
        "local": local,
        "overrides": overrides if row is not None and row.detailed else [],
    }
