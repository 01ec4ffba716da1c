"""Which of the province's fields override the national record, and which need review.

A local field "overrides" when the national record has a full record for the procedure
(answers then show the local value and say so). When a national import changes the
national field under a local override, staff must look again: the override may now be
wrong, or no longer needed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Procedure

__all__ = ["NATIONAL_FIELDS", "local_overrides", "overrides_by_code", "overrides_to_review"]

# Local field -> the national fields (`records.PROCEDURE_FIELDS`) it stands in for.
NATIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "agency": ("agencies", "level", "departments"),
    "documents": ("cases", "documents"),
    "fees": ("methods",),
    "processing_days": ("methods",),
    "processing_note": ("methods",),
    "online_level": ("online", "methods"),
    "steps": ("steps",),
    "legal_basis": ("legal_bases",),
}


def local_overrides(procedure: Procedure) -> list[str]:
    """The local fields that are set (and so override a national one), in a fixed order."""
    set_fields = {
        "agency": bool(procedure.agency),
        "documents": bool(procedure.documents),
        "fees": bool(procedure.fees),
        "processing_days": procedure.processing_days is not None,
        "processing_note": bool(procedure.processing_note),
        "online_level": bool(procedure.online_level),
        "steps": bool(procedure.steps),
        "legal_basis": bool(procedure.legal_basis),
    }
    return [name for name in NATIONAL_FIELDS if set_fields[name]]


def overrides_by_code(session: Session, detailed: set[str]) -> dict[str, list[str]]:
    """Local overrides of every procedure in `detailed` (codes with a full national record)."""
    query = (
        select(Procedure)
        .where(Procedure.code.in_(detailed))
        .options(
            selectinload(Procedure.documents),
            selectinload(Procedure.fees),
            selectinload(Procedure.steps),
        )
    )
    found = {procedure.code: local_overrides(procedure) for procedure in session.scalars(query)}
    return {code: fields for code, fields in found.items() if fields}


def overrides_to_review(
    overrides: dict[str, list[str]], changed: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Per code, the local overrides whose national field changed (`changed` by code)."""
    review: dict[str, list[str]] = {}
    for code, fields in overrides.items():
        national_changed = set(changed.get(code, ()))
        stale = [field for field in fields if national_changed & set(NATIONAL_FIELDS[field])]
        if stale:
            review[code] = stale
    return review
