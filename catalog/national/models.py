"""Tables of the national procedure database as last imported, the import runs, and reviews.

A staged import (`ImportStatus.REVIEW`) keeps the records it would store in
`national_staged` and each change (a procedure added or removed, one field of one
procedure changed) in `national_change`, so that staff publish them, or hold some.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import StrEnumType, UtcDateTime

__all__ = [
    "ChangeState",
    "ImportStatus",
    "NationalChange",
    "NationalImport",
    "NationalProcedure",
    "NationalStaged",
]


class ImportStatus(StrEnum):
    """What an import run is: applied at once, a dry run, a review waiting, published."""

    APPLIED = "applied"
    DRY_RUN = "dry_run"
    REVIEW = "review"
    PUBLISHED = "published"
    DISCARDED = "discarded"


class ChangeState(StrEnum):
    """Where one change of a review stands."""

    PENDING = "pending"
    PUBLISHED = "published"
    HELD = "held"
    RELEASED = "released"
    # Held, then a newer import was stored: that import reports the change afresh.
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


class NationalProcedure(Base):
    """One procedure as the national portal publishes it (listed, and maybe detailed)."""

    __tablename__ = "national_procedure"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    detailed: Mapped[bool] = mapped_column(Boolean)
    # The fields the change report compares (`records.PROCEDURE_FIELDS`).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The portal's own record: the full one when there is one, else the list entry.
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200))
    fetched_on: Mapped[date] = mapped_column(Date)
    # When the portal last changed the record (its `updatedAt`).
    updated_at_source: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class NationalImport(Base):
    """One import run and what it changed (kept for staff to review)."""

    __tablename__ = "national_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    fetched_on: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    applied: Mapped[bool] = mapped_column(Boolean)  # the stored records follow it
    # {"added": [codes], "removed": [codes], "changed": {code: [field, ...]}}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ImportStatus] = mapped_column(
        StrEnumType(ImportStatus, 12), default=ImportStatus.APPLIED
    )
    # When stored national records last changed through this run (readers' version).
    revised_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class NationalStaged(Base):
    """A record a review would store: an added or changed procedure, as the export has it."""

    __tablename__ = "national_staged"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("national_import.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    detailed: Mapped[bool] = mapped_column(Boolean)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at_source: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class NationalChange(Base):
    """One change of a review: a procedure added or removed, or one field of one changed."""

    __tablename__ = "national_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("national_import.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))  # "added", "removed", "changed"
    field: Mapped[str | None] = mapped_column(String(40), nullable=True)
    state: Mapped[ChangeState] = mapped_column(
        StrEnumType(ChangeState, 12), default=ChangeState.PENDING
    )
