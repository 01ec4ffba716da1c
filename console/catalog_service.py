"""Catalog changes made from the console, each logged in the audit log and revertible.

Local-layer edits (entity `catalog_local`, id the procedure code) keep the whole local
entry before and after; their revert puts `before` back, unless the entry was changed
again since (then the newer change must be reverted first, so that no one's work is
lost silently). Import review steps (entity `catalog_import`, id `<import>` or
`<import>/<change>`) keep the state before and after; holding and releasing a change of
a review not yet published revert by the opposite step. What has gone live (a publish,
a release after it) is undone by the next import, not from the log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from catalog import local_edit
from catalog.local_edit import EntryJson, LocalEditRejected
from catalog.national import review
from catalog.national.models import ChangeState, NationalChange
from console.audit import AuditEntry, RevertError, record, register_reverter
from console.roles import Staff

__all__ = [
    "IMPORT_ENTITY",
    "LOCAL_ENTITY",
    "add_alias",
    "delete_local",
    "edit_local",
    "hold_change",
    "publish_import",
    "release_change",
    "remove_alias",
]

LOCAL_ENTITY = "catalog_local"
IMPORT_ENTITY = "catalog_import"


def _log(
    session: Session,
    actor: Staff,
    where: tuple[str, str],
    action: str,
    change: tuple[dict[str, Any] | None, dict[str, Any] | None],
) -> None:
    """One audit entry: `where` is (entity, entity id), `change` (before, after)."""
    names = {"entity": where[0], "entity_id": where[1], "action": action}
    record(session, actor=actor, before=change[0], after=change[1], **names)


def _log_local(
    session: Session,
    actor: Staff,
    code: str,
    action: str,
    change: tuple[EntryJson | None, EntryJson | None],
) -> None:
    _log(session, actor, (LOCAL_ENTITY, code), action, change)


def edit_local(session: Session, *, actor: Staff, code: str, changes: dict[str, Any]) -> EntryJson:
    """Set fields of the local entry of `code` (checked as the YAML import); the entry."""
    before, after = local_edit.edit_local(session, code, changes)
    _log_local(session, actor, code, "edit", (before, after))
    return after


def add_alias(session: Session, *, actor: Staff, code: str, alias: str) -> list[str]:
    """Add `alias` to procedure `code` (a local entry is made if need be); its aliases."""
    before, after = local_edit.add_alias(session, code, alias)
    _log_local(session, actor, code, "add_alias", (before, after))
    return list(after["aliases"])


def remove_alias(session: Session, *, actor: Staff, code: str, alias: str) -> list[str]:
    """Remove `alias` from procedure `code`; its aliases."""
    before, after = local_edit.remove_alias(session, code, alias)
    _log_local(session, actor, code, "remove_alias", (before, after))
    return list(after["aliases"])


def delete_local(session: Session, *, actor: Staff, code: str) -> None:
    """Drop the local entry of `code`: the national record answers alone."""
    before = local_edit.delete_local(session, code)
    _log_local(session, actor, code, "delete", (before, None))


def _revert_local(session: Session, entry: AuditEntry, actor: Staff) -> None:
    code = entry.entity_id
    current = local_edit.local_entry(session, code)
    if current != entry.after:
        raise RevertError(
            f"Thủ tục {code} đã được sửa sau thay đổi này; hãy hoàn tác các thay đổi mới hơn trước."
        )
    try:
        local_edit.restore_local(session, code, entry.before)
    except LocalEditRejected as error:
        raise RevertError(f"Không hoàn tác được: {error}") from error
    _log_local(session, actor, code, "revert", (current, entry.before))


def _log_import(
    session: Session, actor: Staff, entity_id: str, action: str, states: tuple[str, str]
) -> None:
    change = ({"state": states[0]}, {"state": states[1]})
    _log(session, actor, (IMPORT_ENTITY, entity_id), action, change)


def publish_import(session: Session, *, actor: Staff, import_id: int) -> dict[str, int]:
    """Publish a review (held changes wait); how many were published and held."""
    counts = review.publish(session, import_id)
    _log_import(session, actor, str(import_id), "publish", ("review", "published"))
    return counts


def discard_import(session: Session, *, actor: Staff, import_id: int) -> None:
    """Drop a review that will not be published."""
    review.discard(session, import_id)
    _log_import(session, actor, str(import_id), "discard", ("review", "discarded"))


def hold_change(session: Session, *, actor: Staff, change_id: int) -> NationalChange:
    """Hold one change of a review: it keeps the current national value when published."""
    change = review.hold(session, change_id)
    entity_id = f"{change.import_id}/{change.id}"
    _log_import(session, actor, entity_id, "hold", ("pending", "held"))
    return change


def release_change(session: Session, *, actor: Staff, change_id: int) -> NationalChange:
    """Release a held change: pending again before publishing, live after it."""
    change = review.release(session, change_id)
    entity_id = f"{change.import_id}/{change.id}"
    _log_import(session, actor, entity_id, "release", ("held", change.state.value))
    return change


def _revert_import(session: Session, entry: AuditEntry, actor: Staff) -> None:
    change_id = entry.entity_id.partition("/")[2]
    after = (entry.after or {}).get("state")
    if not change_id or after not in ("held", "pending"):
        raise RevertError(
            "Đã công bố lên trợ lý nên không hoàn tác từ nhật ký được; "
            "lần nhập dữ liệu quốc gia sau sẽ báo lại thay đổi này."
        )
    change = session.get(NationalChange, int(change_id))
    if change is None or change.state is not ChangeState(after):
        raise RevertError("Thay đổi này đã đổi trạng thái sau đó; không hoàn tác được.")
    try:
        if after == "held":
            release_change(session, actor=actor, change_id=change.id)
        else:
            hold_change(session, actor=actor, change_id=change.id)
    except review.ReviewError as error:
        raise RevertError(str(error)) from error


register_reverter(LOCAL_ENTITY, _revert_local)
register_reverter(IMPORT_ENTITY, _revert_import)
