"""Review of a staged national import: publish it whole, or hold some changes for later.

A staged import (`import_national(..., stage=True)`) keeps each change as a
`NationalChange`: a procedure added, one removed, or one field of a changed procedure
(the whole record when it gained or lost its full record). Staff hold the changes they
doubt and publish the rest; a held change keeps the current national value of that
procedure or field until it is released. A review compared against records that have
changed since (another import was stored, a held change released) is refused: import
the export again. Storing a newer import supersedes earlier held changes (it reports
them afresh if they still stand).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from catalog.errors import CatalogError
from catalog.national.models import (
    ChangeState,
    ImportStatus,
    NationalChange,
    NationalImport,
    NationalProcedure,
    NationalStaged,
)
from catalog.national.records import CheckedProcedure

__all__ = [
    "RECORD_KEYS",
    "ReviewError",
    "UnknownReviewItem",
    "discard",
    "fill_checked",
    "hold",
    "publish",
    "release",
    "stage_review",
    "supersede_held",
]

# The portal record's keys behind each compared field (`records.PROCEDURE_FIELDS`).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "state": ("state",),
    "type": ("type",),
    "categories": ("categories",),
    "departments": ("departments",),
    "target": ("formalityTargetType",),
    "level": ("isWard", "isProvince", "isMinistry"),
    "agencies": ("executingAgencies",),
    "receiving_addresses": ("dossierReceivingAddresses",),
    "methods": ("executionMethods",),
    "cases": ("executionCases",),
    "documents": ("profileComponents",),
    "steps": ("executionSteps",),
    "requirements": ("requirementsAndConditions",),
    "results": ("resultsDetails",),
    "legal_bases": ("legalBasisesDetails",),
    "online": ("isFullProcess", "isOfflineOnly"),
}


class ReviewError(CatalogError):
    """A review operation that cannot be done now; the message is for staff (Vietnamese)."""


class UnknownReviewItem(ReviewError):
    """No import run or change has this number."""


def _now() -> datetime:
    return datetime.now(UTC)


def stage_review(
    session: Session, run: NationalImport, staged: list[CheckedProcedure], changes: Any
) -> None:
    """Keep the records and the changes of the review `run` (the caller flushed it)."""
    by_code = {procedure.code: procedure for procedure in staged}
    stored = {
        row.code: row.detailed
        for row in session.scalars(
            select(NationalProcedure).where(NationalProcedure.code.in_(changes.changed))
        )
    }
    for procedure in staged:
        row = NationalStaged(import_id=run.id, code=procedure.code)
        fill_checked(row, procedure)
        session.add(row)
    rows = [(code, "added", None) for code in changes.added]
    rows += [(code, "removed", None) for code in changes.removed]
    for code, fields in sorted(changes.changed.items()):
        if stored.get(code) != by_code[code].detailed:
            rows.append((code, "changed", None))  # gained or lost its full record: whole
        else:
            rows += [(code, "changed", name) for name in fields]
    session.add_all(
        NationalChange(
            import_id=run.id, code=code, kind=kind, field=name, state=ChangeState.PENDING
        )
        for code, kind, name in rows
    )
    session.flush()


def fill_checked(row: NationalProcedure | NationalStaged, procedure: CheckedProcedure) -> None:
    """Set the record columns of a stored or staged row from a checked procedure."""
    row.name, row.detailed = procedure.name, procedure.detailed
    row.fields, row.record = procedure.fields, procedure.record
    milliseconds = procedure.updated_at_ms
    row.updated_at_source = (
        None if milliseconds is None else datetime.fromtimestamp(milliseconds / 1000, UTC)
    )


def supersede_held(session: Session, newer_import_id: int) -> None:
    """Held changes of imports before `newer_import_id` no longer apply: mark them so."""
    session.execute(
        update(NationalChange)
        .where(
            NationalChange.import_id != newer_import_id,
            NationalChange.state == ChangeState.HELD,
        )
        .values(state=ChangeState.SUPERSEDED)
    )


def _run(session: Session, import_id: int) -> NationalImport:
    run = session.get(NationalImport, import_id)
    if run is None:
        raise UnknownReviewItem(f"Không có lần nhập dữ liệu quốc gia số {import_id}.")
    return run


def _refuse_stale(session: Session, run: NationalImport) -> None:
    newest = session.scalar(select(func.max(NationalImport.revised_at)))
    if newest is not None and newest > run.imported_at:
        raise ReviewError(
            f"Lần nhập số {run.id} được so với dữ liệu quốc gia đã thay đổi sau đó; "
            "hãy nhập lại bản xuất để có báo cáo thay đổi mới."
        )


def _apply(
    session: Session, run: NationalImport, change: NationalChange, *, whole: bool = False
) -> None:
    """Store what `change` says from the review's staged record (`whole`: all of it)."""
    row = session.get(NationalProcedure, change.code)
    if change.kind == "removed":
        if row is not None:
            session.delete(row)
        return
    staged = session.get(NationalStaged, (run.id, change.code))
    if staged is None:  # cannot happen for a staged review; say so rather than guess
        raise ReviewError(f"Thiếu bản ghi đã nhập của thủ tục {change.code}.")
    if row is None:
        row = NationalProcedure(code=change.code)
        session.add(row)
    if whole or change.kind == "added" or change.field is None:
        row.name, row.detailed = staged.name, staged.detailed
        row.fields, row.record = dict(staged.fields), dict(staged.record)
    else:
        _apply_field(row, staged, change.field)
    row.source, row.fetched_on = run.source, run.fetched_on
    row.updated_at_source = staged.updated_at_source


def _apply_field(row: NationalProcedure, staged: NationalStaged, name: str) -> None:
    """Take one compared field (and the record keys behind it) from the staged record."""
    row.fields = {**row.fields, name: staged.fields.get(name)}
    record = dict(row.record)
    for key in RECORD_KEYS[name]:
        if key in staged.record:
            record[key] = staged.record[key]
        else:
            record.pop(key, None)
    row.record = record
    if name == "name":
        row.name = staged.name


def publish(session: Session, import_id: int) -> dict[str, int]:
    """Store every pending change of the review; held ones wait. Counts by new state."""
    run = _run(session, import_id)
    if run.status is not ImportStatus.REVIEW:
        raise ReviewError(f"Lần nhập số {import_id} không còn chờ duyệt ({run.status.value}).")
    _refuse_stale(session, run)
    changes = list(
        session.scalars(
            select(NationalChange)
            .where(NationalChange.import_id == import_id)
            .order_by(NationalChange.id)
        )
    )
    held_codes = {change.code for change in changes if change.state is ChangeState.HELD}
    counts = {"published": 0, "held": 0}
    for change in changes:
        if change.state is ChangeState.PENDING:
            _apply(session, run, change, whole=change.code not in held_codes)
            change.state = ChangeState.PUBLISHED
            counts["published"] += 1
        elif change.state is ChangeState.HELD:
            counts["held"] += 1
    supersede_held(session, import_id)
    run.status, run.applied, run.revised_at = ImportStatus.PUBLISHED, True, _now()
    session.flush()
    return counts


def _change(session: Session, change_id: int) -> tuple[NationalImport, NationalChange]:
    change = session.get(NationalChange, change_id)
    if change is None:
        raise UnknownReviewItem(f"Không có thay đổi số {change_id}.")
    return _run(session, change.import_id), change


def hold(session: Session, change_id: int) -> NationalChange:
    """Hold a pending change of a review waiting to be published."""
    run, change = _change(session, change_id)
    if run.status is not ImportStatus.REVIEW or change.state is not ChangeState.PENDING:
        raise ReviewError(
            "Chỉ giữ lại được thay đổi đang chờ của một lần nhập chưa công bố "
            f"(thay đổi này: {change.state.value})."
        )
    change.state = ChangeState.HELD
    session.flush()
    return change


def release(session: Session, change_id: int) -> NationalChange:
    """Release a held change: back to pending before publishing, stored after it."""
    run, change = _change(session, change_id)
    if change.state is not ChangeState.HELD:
        raise ReviewError(f"Thay đổi số {change_id} không bị giữ lại ({change.state.value}).")
    if run.status is ImportStatus.REVIEW:
        change.state = ChangeState.PENDING
    else:
        _apply(session, run, change)
        change.state = ChangeState.RELEASED
        run.revised_at = _now()
    session.flush()
    return change


def discard(session: Session, import_id: int) -> None:
    """Drop a review that will not be published (its staged records go)."""
    run = _run(session, import_id)
    if run.status is not ImportStatus.REVIEW:
        raise ReviewError(f"Lần nhập số {import_id} không còn chờ duyệt ({run.status.value}).")
    run.status = ImportStatus.DISCARDED
    session.execute(
        update(NationalChange)
        .where(NationalChange.import_id == import_id)
        .values(state=ChangeState.DISCARDED)
    )
    session.execute(delete(NationalStaged).where(NationalStaged.import_id == import_id))
    session.flush()
