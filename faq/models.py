"""The FAQ table: question variants, an answer, an optional linked procedure, a state.

`updated_at` and `version` change with every edit, publish or unpublish, so a matcher can
tell cheaply whether anything changed (`faq.matcher.fingerprint`: one aggregate query).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import StrEnumType, UtcDateTime

__all__ = ["FaqEntry", "FaqState"]


class FaqState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class FaqEntry(Base):
    """One FAQ entry; only `published` ones answer citizens."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questions: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)
    procedure_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    state: Mapped[FaqState] = mapped_column(StrEnumType(FaqState, 16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_by: Mapped[str] = mapped_column(String(64))
