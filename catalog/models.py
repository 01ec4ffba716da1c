"""Procedure catalog tables: procedures, their aliases, documents, fees, steps and bundles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from db.base import Base
from db.types import UtcDateTime

__all__ = [
    "ONLINE_LEVELS",
    "DOCUMENT_KINDS",
    "Procedure",
    "ProcedureAlias",
    "RequiredDocument",
    "Fee",
    "Step",
    "BundleMember",
    "utcnow",
]

# toàn trình: entirely online; một phần: filed online, something done in person;
# trực tiếp: in person only.
ONLINE_LEVELS = ("toan_trinh", "mot_phan", "truc_tiep")
# bản chính, bản sao, either one, or only shown (xuất trình) and handed back.
DOCUMENT_KINDS = ("original", "copy", "either", "shown")


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class Procedure(Base):
    """An administrative procedure (thủ tục hành chính) by its national code."""

    __tablename__ = "procedure"
    __table_args__ = (
        CheckConstraint(
            "online_level IS NULL OR online_level IN ('toan_trinh', 'mot_phan', 'truc_tiep')",
            name="online_level",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    field: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(100))
    agency: Mapped[str | None] = mapped_column(Text)
    # The province's additions the national record lacks (local layer).
    office_address: Mapped[str | None] = mapped_column(Text)
    office_hours: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    processing_days: Mapped[float | None] = mapped_column(Float)
    processing_note: Mapped[str | None] = mapped_column(Text)
    online_level: Mapped[str | None] = mapped_column(String(20))
    legal_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_url: Mapped[str] = mapped_column(String(1000))
    checked_on: Mapped[date] = mapped_column(Date)
    unconfirmed: Mapped[list[str]] = mapped_column(JSON, default=list)
    unconfirmed_note: Mapped[str | None] = mapped_column(Text)
    popularity: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    aliases: Mapped[list[ProcedureAlias]] = relationship(
        back_populates="procedure", cascade="all, delete-orphan", order_by="ProcedureAlias.id"
    )
    documents: Mapped[list[RequiredDocument]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="RequiredDocument.position",
    )
    fees: Mapped[list[Fee]] = relationship(
        back_populates="procedure", cascade="all, delete-orphan", order_by="Fee.position"
    )
    steps: Mapped[list[Step]] = relationship(
        back_populates="procedure", cascade="all, delete-orphan", order_by="Step.position"
    )
    bundle_members: Mapped[list[BundleMember]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan", order_by="BundleMember.position"
    )

    def __repr__(self) -> str:
        return f"Procedure({self.code!r}, {self.name!r})"


def _position_unique(table: str) -> UniqueConstraint:
    """One row per place in each procedure's list."""
    return UniqueConstraint("procedure_id", "position", name=f"uq_{table}_position")


class _ProcedureChild:
    """What a row owned by a procedure has: its own id and its procedure's (deleted with it)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), index=True
    )


class _Listed(_ProcedureChild):
    """A row of one of a procedure's ordered lists (documents, fees, steps), at `position`."""

    __tablename__: str
    position: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (_position_unique(cls.__tablename__),)


class ProcedureAlias(_ProcedureChild, Base):
    """A colloquial name people use for a procedure ("làm sổ đỏ")."""

    __tablename__ = "procedure_alias"
    __table_args__ = (UniqueConstraint("procedure_id", "text", name="uq_procedure_alias_text"),)

    text: Mapped[str] = mapped_column(String(300))

    procedure: Mapped[Procedure] = relationship(back_populates="aliases")


class RequiredDocument(_Listed, Base):
    """One item of the dossier (thành phần hồ sơ)."""

    __tablename__ = "procedure_document"
    __table_args__ = (
        _position_unique("procedure_document"),
        CheckConstraint("kind IN ('original', 'copy', 'either', 'shown')", name="kind"),
        CheckConstraint("count >= 0", name="count"),
    )

    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer, default=1)
    form: Mapped[str | None] = mapped_column(String(300))
    condition: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(back_populates="documents")


class Fee(_Listed, Base):
    """A fee or charge (phí, lệ phí), possibly only under a condition."""

    __tablename__ = "procedure_fee"

    description: Mapped[str] = mapped_column(Text)
    amount_vnd: Mapped[int | None] = mapped_column(Integer)
    condition: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(back_populates="fees")


class Step(_Listed, Base):
    """One step of how the procedure is carried out (trình tự thực hiện)."""

    __tablename__ = "procedure_step"

    text: Mapped[str] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(back_populates="steps")


class BundleMember(Base):
    """A procedure that a bundle (liên thông) procedure carries out together with others.

    `member_code` names a catalog procedure when the member is in the catalog; members
    outside it (e.g. the health-insurance card) carry only a name.
    """

    __tablename__ = "procedure_bundle_member"
    __table_args__ = (
        UniqueConstraint("bundle_id", "position", name="uq_procedure_bundle_member_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    member_code: Mapped[str | None] = mapped_column(String(32))
    member_name: Mapped[str] = mapped_column(String(500))
    agency: Mapped[str | None] = mapped_column(String(300))

    bundle: Mapped[Procedure] = relationship(back_populates="bundle_members")


_CHILDREN = (ProcedureAlias, RequiredDocument, Fee, Step)


@event.listens_for(Session, "before_flush")
def _touch_changed_procedures(session: Session, _context: Any, _instances: Any) -> None:
    """Bump `updated_at` of every procedure whose row or children change in this flush.

    Readers (the action server's resolver cache) detect content changes by
    `max(updated_at)` and the row count, so every edit must move it.
    """
    now = utcnow()
    touched: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        owner: Procedure | None = None
        if isinstance(obj, Procedure):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            owner = obj
        elif isinstance(obj, _CHILDREN):
            owner = obj.procedure
        elif isinstance(obj, BundleMember):
            owner = obj.bundle
        if owner is not None and owner not in session.deleted and id(owner) not in touched:
            touched.add(id(owner))
            owner.updated_at = now
