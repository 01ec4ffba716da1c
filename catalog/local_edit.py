"""Read and edit the province's layer of one procedure, checked exactly as the YAML import.

Staff change fields of a procedure's local entry (office address and hours, local fees,
aliases, notes, or any other field of `catalog.schema.ProcedureEntry`); the whole entry
is then validated by the schema and by the entry-to-entry checks of
`catalog.loader.validate_entries`, and stored by `catalog.store.import_entries`, so an
edit and a YAML import can never disagree on what is valid. A procedure with only a
national record gets a local entry on its first edit (named as the national record,
sourced to its portal page). Every function works in the caller's transaction and
returns the entry before and after as JSON (None: there was none), which is what the
console's audit log keeps and what a revert restores (`restore_local`).

The running assistant sees an edit within its catalog check (`actions.common`): storing
moves `procedure.updated_at`, which is part of the catalog version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from catalog.errors import CatalogError
from catalog.loader import LoadedEntry, validate_entries
from catalog.local_problems import FieldProblem, LocalEditRejected, field_label, problems_of
from catalog.models import Procedure
from catalog.national.models import NationalProcedure
from catalog.national.record import portal_link
from catalog.queries import find_procedure
from catalog.schema import ProcedureEntry
from catalog.store import all_entries, import_entries, procedure_to_entry

__all__ = [
    "EntryJson",
    "FieldProblem",
    "LocalEditRejected",
    "UnknownProcedure",
    "add_alias",
    "delete_local",
    "edit_local",
    "local_entry",
    "remove_alias",
    "restore_local",
]

EntryJson = dict[str, Any]


class UnknownProcedure(CatalogError):
    """No procedure has this code, neither national nor local."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"Không có thủ tục mã {code}.")


def _as_json(entry: ProcedureEntry) -> EntryJson:
    return entry.model_dump(mode="json")


def local_entry(session: Session, code: str) -> EntryJson | None:
    """The local entry of `code` as JSON, or None when the province adds nothing."""
    procedure = find_procedure(session, code=code)
    return None if procedure is None else _as_json_procedure(procedure)


def _as_json_procedure(procedure: Procedure) -> EntryJson:
    return _as_json(procedure_to_entry(procedure))


def _fresh_entry(session: Session, code: str) -> EntryJson:
    """The start of a local entry for a procedure only the national record has."""
    row = session.get(NationalProcedure, code)
    if row is None:
        raise UnknownProcedure(code)
    return {
        "code": code,
        "name": row.name,
        "source": portal_link(None, code),
        "checked_on": datetime.now(UTC).date().isoformat(),
    }


def _validated(session: Session, data: EntryJson) -> ProcedureEntry:
    """`data` as an entry, checked by the schema and against every other local entry."""
    try:
        entry = ProcedureEntry.model_validate_json(json.dumps(data, ensure_ascii=False))
    except ValidationError as error:
        raise LocalEditRejected(problems_of(error)) from error
    # The edited entry goes last, so that a clash is reported on it, not on the other one.
    loaded = [
        LoadedEntry(Path(f"{other.code}.yml"), other)
        for other in all_entries(session)
        if other.code != entry.code
    ]
    loaded.append(LoadedEntry(Path(f"{entry.code}.yml"), entry))
    clashes = [
        FieldProblem(problem.field or "", f"{field_label(problem.field or '')}: {text}")
        for problem in validate_entries(loaded)
        if problem.entry == entry.code
        for text in [problem.vietnamese or problem.message]
    ]
    if clashes:
        raise LocalEditRejected(clashes)
    return entry


def _store(session: Session, data: EntryJson) -> EntryJson:
    entry = _validated(session, data)
    import_entries(session, [entry])
    return _as_json(entry)


def edit_local(
    session: Session, code: str, changes: Mapping[str, Any]
) -> tuple[EntryJson | None, EntryJson]:
    """Set the fields in `changes` on the local entry of `code`; the entry before and after."""
    if not isinstance(changes, Mapping) or not changes:
        raise LocalEditRejected([FieldProblem("", "Không có thay đổi nào để lưu.")])
    if "code" in changes and changes["code"] != code:
        raise LocalEditRejected([FieldProblem("code", "Mã thủ tục: không sửa được.")])
    before = local_entry(session, code)
    start = before if before is not None else _fresh_entry(session, code)
    return before, _store(session, {**start, **changes, "code": code})


def _clean_alias(alias: str) -> str:
    return " ".join(str(alias).split())


def add_alias(session: Session, code: str, alias: str) -> tuple[EntryJson | None, EntryJson]:
    """Add `alias` (spaces tidied) to the aliases of `code`; refused when it is taken."""
    text = _clean_alias(alias)
    before = local_entry(session, code)
    aliases = list((before or {}).get("aliases", []))
    if text.casefold() in {known.casefold() for known in aliases}:
        message = f"Tên gọi khác: «{text}» đã là tên gọi khác của thủ tục này"
        raise LocalEditRejected([FieldProblem("aliases", message)])
    return edit_local(session, code, {"aliases": [*aliases, text]})


def remove_alias(session: Session, code: str, alias: str) -> tuple[EntryJson | None, EntryJson]:
    """Remove `alias` from the aliases of `code`; refused when it is not one of them."""
    before = local_entry(session, code)
    aliases = list((before or {}).get("aliases", []))
    if alias not in aliases:
        message = f"Tên gọi khác: «{_clean_alias(alias)}» không phải tên gọi của thủ tục này"
        raise LocalEditRejected([FieldProblem("aliases", message)])
    return edit_local(session, code, {"aliases": [known for known in aliases if known != alias]})


def delete_local(session: Session, code: str) -> EntryJson:
    """Remove the local entry of `code` (the national record answers alone); the entry."""
    procedure = find_procedure(session, code=code)
    if procedure is None:
        raise UnknownProcedure(code)
    users = [
        entry.code
        for entry in all_entries(session)
        if any(member.code == code for member in entry.bundle_members)
    ]
    if users:
        message = f"Thủ tục liên thông {', '.join(users)} có thủ tục này; sửa các thủ tục đó trước."
        raise LocalEditRejected([FieldProblem("code", message)])
    before = _as_json_procedure(procedure)
    session.delete(procedure)
    session.flush()
    return before


def restore_local(session: Session, code: str, entry: EntryJson | None) -> EntryJson | None:
    """Put back the local entry of `code` as `entry` (None: no local entry); the one replaced."""
    current = local_entry(session, code)
    if entry is None:
        if current is not None:
            delete_local(session, code)
        return current
    _store(session, {**entry, "code": code})
    return current
