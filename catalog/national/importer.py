"""Import a national export all-or-nothing, and report what changed since the last one.

`import_national(session, export)` checks every record first; with any problem it
changes nothing and raises `NationalImportRejected` listing them all (code and field).
Otherwise it upserts the procedures, removes those no longer listed, and records the run
with its changes (`national_import`): procedures added, removed, for each changed
procedure the names of the fields that changed, and the province's local overrides whose
national field changed (to review). `dry_run=True` only records the report;
`stage=True` records a review that staff publish later, whole or with changes held
(`catalog.national.review`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.errors import CatalogError
from catalog.national.export import NationalExport
from catalog.national.models import ImportStatus, NationalImport, NationalProcedure
from catalog.national.overrides import overrides_by_code, overrides_to_review
from catalog.national.records import (
    PROCEDURE_FIELDS,
    CheckedProcedure,
    RecordProblem,
    check_procedure,
)
from catalog.national.review import fill_checked, stage_review, supersede_held

__all__ = ["NationalChanges", "NationalImportRejected", "check_export", "import_national"]

# How many problems and changed codes a summary names before "and N more".
SUMMARY_NAMES = 20


class NationalImportRejected(CatalogError):
    """The export has bad records; nothing was imported."""

    def __init__(self, problems: list[RecordProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:SUMMARY_NAMES])
        more = len(problems) - SUMMARY_NAMES
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(
            f"national import rejected, nothing changed: {len(problems)} problem(s)\n{shown}{tail}"
        )


@dataclass
class NationalChanges:
    """What an import changed (or, in a dry run, would change)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0
    # Local (province) fields over a national field that changed: staff must look again.
    review: dict[str, list[str]] = field(default_factory=dict)
    import_id: int | None = None  # the `national_import` row that keeps this report

    def as_json(self) -> dict[str, object]:
        """The form kept in `national_import.changes`."""
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "local_overrides_to_review": self.review,
        }

    def summary(self) -> str:
        """A few lines for the command line and the log."""
        lines = [
            f"{len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed, {self.unchanged} unchanged"
        ]
        for label, codes in (("added", self.added), ("removed", self.removed)):
            if codes:
                lines.append(f"{label}: {_names(codes)}")
        for code in sorted(self.changed)[:SUMMARY_NAMES]:
            lines.append(f"changed {code}: {', '.join(self.changed[code])}")
        if len(self.changed) > SUMMARY_NAMES:
            lines.append(f"… and {len(self.changed) - SUMMARY_NAMES} more changed")
        for code in sorted(self.review):
            lines.append(
                f"review local override {code}: {', '.join(self.review[code])} "
                "(the national field under it changed)"
            )
        return "\n".join(lines)


def _names(codes: list[str]) -> str:
    more = len(codes) - SUMMARY_NAMES
    return ", ".join(codes[:SUMMARY_NAMES]) + (f" … and {more} more" if more > 0 else "")


def check_export(export: NationalExport) -> list[CheckedProcedure]:
    """Every procedure of `export`, checked; raises `NationalImportRejected` on any problem."""
    checked: list[CheckedProcedure] = []
    problems: list[RecordProblem] = []
    for code in sorted(set(export.listing) | set(export.details)):
        result = check_procedure(code, export.listing.get(code), export.details.get(code))
        if isinstance(result, list):
            problems += result
        else:
            checked.append(result)
    if problems:
        raise NationalImportRejected(problems)
    return checked


def _changed_fields(row: NationalProcedure, procedure: CheckedProcedure) -> list[str]:
    return [
        name
        for name in PROCEDURE_FIELDS
        if row.fields.get(name) != procedure.fields.get(name)
        or (name == "name" and row.detailed != procedure.detailed)
    ]


def _upsert(
    session: Session,
    row: NationalProcedure | None,
    procedure: CheckedProcedure,
    export: NationalExport,
) -> None:
    if row is None:
        row = NationalProcedure(code=procedure.code)
        session.add(row)
    fill_checked(row, procedure)
    row.source, row.fetched_on = export.source, export.fetched_on


def import_national(
    session: Session, export: NationalExport, *, dry_run: bool = False, stage: bool = False
) -> NationalChanges:
    """Apply `export` in the caller's transaction (or only report or stage it); the changes."""
    checked = check_export(export)
    stored = {row.code: row for row in session.scalars(select(NationalProcedure))}
    apply = not (dry_run or stage)
    changes = NationalChanges()
    staged: list[CheckedProcedure] = []
    for procedure in checked:
        row = stored.pop(procedure.code, None)
        if row is None:
            changes.added.append(procedure.code)
        elif fields := _changed_fields(row, procedure):
            changes.changed[procedure.code] = fields
        else:
            changes.unchanged += 1
            continue
        if apply:
            _upsert(session, row, procedure, export)
        elif stage:
            staged.append(procedure)
    changes.removed = sorted(stored)
    overrides = overrides_by_code(session, set(changes.changed))
    changes.review = overrides_to_review(overrides, changes.changed)
    if stored and apply:
        session.execute(delete(NationalProcedure).where(NationalProcedure.code.in_(stored)))
    now = datetime.now(UTC)
    status = ImportStatus.APPLIED if apply else ImportStatus.REVIEW
    run = NationalImport(
        source=export.source,
        fetched_on=export.fetched_on,
        imported_at=now,
        applied=apply,
        changes=changes.as_json(),
        status=ImportStatus.DRY_RUN if dry_run else status,
        revised_at=now if apply else None,
    )
    session.add(run)
    session.flush()
    if stage and not dry_run:
        stage_review(session, run, staged, changes)
    if apply:
        supersede_held(session, run.id)
    changes.import_id = run.id
    return changes
