"""Tables of the national procedure database as last imported, and the import runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UtcDateTime

__all__ = ["NationalImport", "NationalProcedure"]


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
    applied: Mapped[bool] = mapped_column(Boolean)  # False: a review (dry run)
    # {"added": [codes], "removed": [codes], "changed": {code: [field, ...]}}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
