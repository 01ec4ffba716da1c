"""The audit log: every console change (who, when, before, after) and its one-click undo.

A module that changes something records it with `record` in the same transaction as the
change, and registers once, per entity, how to put `before` back (`register_reverter`).
`revert` calls that function, which restores the state and records the revert itself
(through `record`); the reverted entry then points at the revert's entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models import AuditEntry
from console.roles import Role, Staff

__all__ = [
    "AuditEntry",
    "RevertError",
    "Reverter",
    "as_dict",
    "can_revert",
    "page",
    "record",
    "register_reverter",
    "revert",
]

Reverter = Callable[[Session, AuditEntry, Staff], None]
_reverters: dict[str, Reverter] = {}
_revert_roles: dict[str, Role] = {}
SYSTEM = "hệ thống"
# Where `record` notes, per session, the ids it wrote (so `revert` knows the revert's).
_RECORDED = "audit_recorded"


class RevertError(ValueError):
    """An entry cannot be reverted (the message says why, in Vietnamese); `status` for HTTP."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def record(
    session: Session,
    *,
    actor: Staff | None,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> int:
    """Log one change (flushed with the caller's transaction); returns the entry's id."""
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else SYSTEM,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    session.info.setdefault(_RECORDED, []).append(entry.id)
    return entry.id


def register_reverter(entity: str, fn: Reverter, *, role: Role = Role.EDITOR) -> None:
    """How entries of `entity` are undone: `fn` restores `before` and records the revert.

    `role`: the least role that may undo them (accounts: admin).
    """
    _reverters[entity] = fn
    _revert_roles[entity] = role


def can_revert(entry: AuditEntry, staff: Staff) -> bool:
    """Whether `staff` may undo `entry` now (not yet undone, undoable, role high enough)."""
    role = _revert_roles.get(entry.entity)
    return entry.reverted_by_id is None and role is not None and staff.role.allows(role)


def revert(session: Session, entry_id: int, actor: Staff) -> int:
    """Undo one entry; returns the id of the entry recording the revert."""
    entry = session.get(AuditEntry, entry_id, with_for_update=True)
    if entry is None:
        raise RevertError("Không tìm thấy mục nhật ký này.", 404)
    if entry.reverted_by_id is not None:
        raise RevertError("Thay đổi này đã được hoàn tác rồi.")
    reverter = _reverters.get(entry.entity)
    if reverter is None:
        raise RevertError("Loại thay đổi này không hoàn tác được.", 400)
    if not actor.role.allows(_revert_roles[entry.entity]):
        raise RevertError("Tài khoản của bạn không có quyền hoàn tác thay đổi này.", 403)
    recorded: list[int] = session.info.setdefault(_RECORDED, [])
    already = len(recorded)
    reverter(session, entry, actor)
    if len(recorded) == already:
        raise RuntimeError(f"the reverter of {entry.entity!r} recorded nothing")
    revert_id = recorded[-1]
    entry.reverted_by_id = revert_id
    session.flush()
    return revert_id


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the API shows it."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor_name,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
        "reverted_by": entry.reverted_by_id,
    }


def page(session: Session, *, before_id: int | None = None, limit: int = 50) -> list[AuditEntry]:
    """Newest first, `limit` entries older than `before_id` (the next page's cursor)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query))
