"""Typed results of the one-stop system: dossiers, their steps and fees, status changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum

__all__ = [
    "VIETNAM_TZ",
    "ChangeContact",
    "ChangesPage",
    "Dossier",
    "DossierPage",
    "DossierStatus",
    "Fee",
    "FilingChannel",
    "ProcessingStep",
    "StatusChange",
]

# Vietnam has no daylight saving time; a fixed offset needs no tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")


class DossierStatus(StrEnum):
    """Status values of the national public-service portal (TrangThaiHoSo)."""

    RECEIVING = "receiving"  # submitted online, not yet accepted
    NEW = "new"  # accepted
    DENIED = "denied"  # refused at reception
    PROCESSING = "processing"
    WAITING = "waiting"  # more documents needed (bổ sung)
    PAYING = "paying"  # fees or taxes due (nghĩa vụ tài chính)
    CANCELLED = "cancelled"  # withdrawn by the citizen
    UNRESOLVED = "unresolved"  # processing stopped
    RELEASING = "releasing"  # result ready, waiting to be collected
    DONE = "done"  # result handed over

    @property
    def is_final(self) -> bool:
        """True when nothing more will happen to the dossier."""
        return self in _FINAL


class FilingChannel(StrEnum):
    """How the dossier was filed (KenhThucHien: 1 in person, 2 online, 3 by post)."""

    IN_PERSON = "in_person"  # trực tiếp, at the one-stop desk
    ONLINE = "online"  # trực tuyến, on the public-service portal
    POST = "post"  # qua dịch vụ bưu chính công ích


_FINAL = frozenset(
    {DossierStatus.DENIED, DossierStatus.CANCELLED, DossierStatus.UNRESOLVED, DossierStatus.DONE}
)


@dataclass(frozen=True, slots=True)
class ProcessingStep:
    """One step of the processing history (QuaTrinhXuLy)."""

    at: datetime
    unit: str
    description: str
    handler_title: str
    handler_name: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee, charge or tax on the dossier (DanhSachLePhi)."""

    name: str
    amount_vnd: int
    paid: bool


@dataclass(frozen=True, slots=True)
class Dossier:
    """A dossier (hồ sơ) as the one-stop system reports it.

    Personal data (name, ID number, phone) is kept out of `repr` so it stays out of logs.
    """

    code: str
    procedure_code: str
    procedure_name: str
    status: DossierStatus
    handling_unit: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    applicant_name: str = field(repr=False)
    # The result was ready (NgayKetThucXuLy): on time when not after `due_at`.
    finished_at: datetime | None = None
    # None when the system does not say (older records have no KenhThucHien).
    channel: FilingChannel | None = None
    id_number: str | None = field(repr=False, default=None)
    phone: str | None = field(repr=False, default=None)
    steps: tuple[ProcessingStep, ...] = ()
    fees: tuple[Fee, ...] = ()
    supplements_requested: tuple[str, ...] = ()
    result_documents: tuple[str, ...] = ()

    def is_overdue(self, now: datetime) -> bool:
        """True when the result is not ready yet and `now` is past the due date (trễ hạn).

        Computed, never a status. A naive `now` is taken as Vietnam time. Dossiers with a
        result (releasing, done) or closed (denied, cancelled, unresolved) are not overdue.
        """
        if self.due_at is None or self.returned_at is not None or self.status.is_final:
            return False
        if self.status is DossierStatus.RELEASING:
            return False
        if now.tzinfo is None:
            now = now.replace(tzinfo=VIETNAM_TZ)
        return now > self.due_at

    @property
    def fees_due(self) -> tuple[Fee, ...]:
        """Fees not yet paid."""
        return tuple(fee for fee in self.fees if not fee.paid)


@dataclass(frozen=True, slots=True)
class DossierPage:
    """One page of a dossier listing."""

    dossiers: tuple[Dossier, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class ChangeContact:
    """The dossier's contact and due date as a change left it (when the feed carries them)."""

    phone: str | None
    due_at: datetime | None
    procedure_name: str | None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One status transition from the changes feed."""

    cursor: int
    code: str
    procedure_code: str
    old_status: DossierStatus | None
    new_status: DossierStatus
    at: datetime
    # None when the feed does not carry the dossier's contact fields (look it up instead).
    contact: ChangeContact | None = None


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """Changes after a cursor, and the cursor to ask from next time."""

    changes: tuple[StatusChange, ...]
    next_cursor: int
