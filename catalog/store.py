"""Write validated entries to the database (idempotent upsert) and read them back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.loader import LoadedEntry, write_entry
from catalog.models import (
    BundleMember,
    Fee,
    Procedure,
    ProcedureAlias,
    RequiredDocument,
    Step,
)
from catalog.national.models import NationalProcedure
from catalog.national.overrides import local_overrides
from catalog.schema import BundleMemberEntry, DocumentEntry, FeeEntry, ProcedureEntry

__all__ = [
    "ImportReport",
    "import_entries",
    "all_entries",
    "procedure_to_entry",
    "procedure_from_entry",
    "export_catalog",
    "layer_comment",
]

_WITH_CHILDREN = (
    selectinload(Procedure.aliases),
    selectinload(Procedure.documents),
    selectinload(Procedure.fees),
    selectinload(Procedure.steps),
    selectinload(Procedure.bundle_members),
)


@dataclass
class ImportReport:
    """What an import did, by national code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # In the database but not in the YAML, and kept because pruning was not asked for.
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: counts, and which codes were kept or deleted."""
        text = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.deleted)} deleted"
        )
        if self.deleted:
            text += f" ({', '.join(self.deleted)})"
        if self.kept:
            text += (
                f"; {len(self.kept)} in the database but not in the YAML were kept "
                f"({', '.join(self.kept)}); use --prune to delete them"
            )
        return text


# Fields that an entry and its stored row spell alike; the others are converted below.
_PROCEDURE_FIELDS = (
    "name",
    "field",
    "level",
    "agency",
    "office_address",
    "office_hours",
    "note",
    "processing_days",
    "processing_note",
    "online_level",
    "checked_on",
    "popularity",
    "unconfirmed_note",
)
_DOCUMENT_FIELDS = ("name", "kind", "count", "form", "condition")
_FEE_FIELDS = ("description", "amount_vnd", "condition")


def _values(source: object, names: Sequence[str]) -> dict[str, Any]:
    """The attributes `names` of `source`, by name."""
    return {name: getattr(source, name) for name in names}


def procedure_to_entry(procedure: Procedure) -> ProcedureEntry:
    """The YAML-shaped entry of a stored procedure (the inverse of the import)."""
    return ProcedureEntry(
        code=procedure.code,
        **_values(procedure, _PROCEDURE_FIELDS),
        legal_basis=list(procedure.legal_basis or []),
        source=procedure.source_url,
        aliases=[alias.text for alias in procedure.aliases],
        documents=[DocumentEntry(**_values(row, _DOCUMENT_FIELDS)) for row in procedure.documents],
        fees=[FeeEntry(**_values(fee, _FEE_FIELDS)) for fee in procedure.fees],
        steps=[step.text for step in procedure.steps],
        bundle_members=[
            BundleMemberEntry(
                name=member.member_name, code=member.member_code, agency=member.agency
            )
            for member in procedure.bundle_members
        ],
        unconfirmed=list(procedure.unconfirmed or []),
    )


def _apply_scalars(procedure: Procedure, entry: ProcedureEntry) -> None:
    for name in _PROCEDURE_FIELDS:
        setattr(procedure, name, getattr(entry, name))
    procedure.legal_basis = list(entry.legal_basis)
    procedure.source_url = entry.source
    procedure.unconfirmed = list(entry.unconfirmed)


def _add_children(procedure: Procedure, entry: ProcedureEntry) -> None:
    procedure.aliases = [ProcedureAlias(text=text) for text in entry.aliases]
    procedure.documents = [
        RequiredDocument(position=position, **_values(document, _DOCUMENT_FIELDS))
        for position, document in enumerate(entry.documents)
    ]
    procedure.fees = [
        Fee(position=position, **_values(fee, _FEE_FIELDS))
        for position, fee in enumerate(entry.fees)
    ]
    procedure.steps = [
        Step(position=position, text=text) for position, text in enumerate(entry.steps)
    ]
    procedure.bundle_members = [
        BundleMember(
            position=position,
            member_code=member.code,
            member_name=member.name,
            agency=member.agency,
        )
        for position, member in enumerate(entry.bundle_members)
    ]


def procedure_from_entry(entry: ProcedureEntry) -> Procedure:
    """A new (unsaved) procedure with its parts, as the import would store `entry`."""
    procedure = Procedure(code=entry.code)
    _apply_scalars(procedure, entry)
    _add_children(procedure, entry)
    return procedure


def _clear_children(session: Session, procedure: Procedure) -> None:
    # Old rows must be gone before new ones with the same positions are inserted:
    # the unit of work inserts before it deletes orphans.
    procedure.aliases.clear()
    procedure.documents.clear()
    procedure.fees.clear()
    procedure.steps.clear()
    procedure.bundle_members.clear()
    session.flush()


def import_entries(
    session: Session, entries: Iterable[LoadedEntry | ProcedureEntry], *, prune: bool = False
) -> ImportReport:
    """Upsert every entry by national code, replacing its children; the caller commits.

    Procedures in the database but not in `entries` are kept (staff may have added them
    from the console) unless `prune` is set.
    """
    wanted = [item.entry if isinstance(item, LoadedEntry) else item for item in entries]
    existing = {
        procedure.code: procedure
        for procedure in session.scalars(select(Procedure).options(*_WITH_CHILDREN))
    }
    report = ImportReport()
    for entry in wanted:
        procedure = existing.get(entry.code)
        if procedure is None:
            session.add(procedure_from_entry(entry))
            report.created.append(entry.code)
        elif procedure_to_entry(procedure) == entry:
            report.unchanged.append(entry.code)
        else:
            _apply_scalars(procedure, entry)
            _clear_children(session, procedure)
            _add_children(procedure, entry)
            report.updated.append(entry.code)
    wanted_codes = {entry.code for entry in wanted}
    for code in sorted(set(existing) - wanted_codes):
        if prune:
            session.delete(existing[code])
            report.deleted.append(code)
        else:
            report.kept.append(code)
    session.flush()
    return report


def all_entries(session: Session) -> list[ProcedureEntry]:
    """Every stored procedure as an entry, by national code."""
    query = select(Procedure).options(*_WITH_CHILDREN).order_by(Procedure.code)
    return [procedure_to_entry(procedure) for procedure in session.scalars(query)]


def layer_comment(procedure: Procedure, national: dict[str, bool]) -> str:
    """What this local entry is to the national record, for the top of its YAML file."""
    if procedure.code not in national:
        return "Not in the national record: every field here is the province's own."
    overrides = local_overrides(procedure)
    adds = overrides or procedure.note or procedure.office_address or procedure.office_hours
    if not national[procedure.code]:
        if not adds:
            return "National record: listed only; only what people call it is added here."
        return "National record: listed only; the fields here add the details."
    if not overrides:
        return "Adds to the national record (aliases, notes); overrides no national field."
    return f"Overrides the national record: {', '.join(overrides)}."


def export_catalog(session: Session, directory: Path) -> Sequence[Path]:
    """Write every stored procedure to `<directory>/<code>.yml`; returns the files written.

    Each file starts with a comment saying which fields override the national record.
    """
    rows = session.execute(select(NationalProcedure.code, NationalProcedure.detailed))
    national = {code: detailed for code, detailed in rows}
    query = select(Procedure).options(*_WITH_CHILDREN).order_by(Procedure.code)
    return [
        write_entry(
            procedure_to_entry(procedure), directory, comment=layer_comment(procedure, national)
        )
        for procedure in session.scalars(query)
    ]
