"""FAQ changes made from the console: each in the audit log, each undoable.

The audit log keeps an entry's snapshot (`faq.store.snapshot`) before and after each
change; undoing one puts `before` back, provided the entry is still as the change left
it (otherwise a newer edit would be lost silently: undo that one first).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from console.audit import AuditEntry, RevertError, record, register_reverter
from console.roles import Staff
from faq.models import FaqEntry, FaqState
from faq.store import NO_ANSWER, FaqDraft, FaqInvalid, put_snapshot, snapshot

__all__ = [
    "ENTITY",
    "FaqNotFound",
    "add_question",
    "create_faq",
    "delete_faq",
    "edit_faq",
    "set_faq_state",
]

ENTITY = "faq"
State = dict[str, Any] | None


class FaqNotFound(LookupError):
    """No FAQ entry has this id."""


def _entry(session: Session, entry_id: int) -> FaqEntry:
    entry = session.get(FaqEntry, entry_id, with_for_update=True)
    if entry is None:
        raise FaqNotFound(entry_id)
    return entry


def _log(session: Session, actor: Staff, action: str, before: State, after: State) -> None:
    """Record a change of the entry `before` or `after` snapshots (its id is in them)."""
    entry_id = str((after or before or {})["id"])
    changed = {"before": before, "after": after}
    record(session, actor=actor, entity=ENTITY, entity_id=entry_id, action=action, **changed)


def _touch(entry: FaqEntry, actor: Staff) -> None:
    entry.version += 1
    entry.updated_at = datetime.now(UTC)
    entry.updated_by = actor.username


def create_faq(session: Session, draft: FaqDraft, actor: Staff) -> FaqEntry:
    """A new draft entry (not answering citizens until published)."""
    now = datetime.now(UTC)
    entry = FaqEntry(
        questions=list(draft.questions),
        answer=draft.answer,
        procedure_code=draft.procedure_code,
        state=FaqState.DRAFT,
        version=1,
        created_at=now,
        created_by=actor.username,
        updated_at=now,
        updated_by=actor.username,
    )
    session.add(entry)
    session.flush()
    after = snapshot(entry)
    _log(session, actor, "create", None, after)
    return entry


def edit_faq(session: Session, entry_id: int, draft: FaqDraft, actor: Staff) -> FaqEntry:
    """New questions, answer and linked procedure; a published entry stays published."""
    entry = _entry(session, entry_id)
    before = snapshot(entry)
    entry.questions = list(draft.questions)
    entry.answer = draft.answer
    entry.procedure_code = draft.procedure_code
    if snapshot(entry) != before:
        _touch(entry, actor)
        _log(session, actor, "update", before, snapshot(entry))
    return entry


def add_question(session: Session, entry_id: int, question: str, actor: Staff) -> FaqEntry:
    """One more way of asking an entry's question (e.g. from an unanswered group)."""
    entry = _entry(session, entry_id)
    draft = FaqDraft.checked(
        session,
        [*entry.questions, question],
        entry.answer,
        entry.procedure_code,
        require_answer=False,
    )
    return edit_faq(session, entry_id, draft, actor)


def set_faq_state(session: Session, entry_id: int, state: FaqState, actor: Staff) -> FaqEntry:
    """Publish (answers citizens within seconds) or unpublish (back to draft)."""
    entry = _entry(session, entry_id)
    if entry.state == state:
        return entry
    if state == FaqState.PUBLISHED and not entry.answer.strip():
        raise FaqInvalid([NO_ANSWER + " Hãy viết câu trả lời trước khi đăng."])
    before = snapshot(entry)
    entry.state = state
    _touch(entry, actor)
    action = "publish" if state == FaqState.PUBLISHED else "unpublish"
    _log(session, actor, action, before, snapshot(entry))
    return entry


def delete_faq(session: Session, entry_id: int, actor: Staff) -> None:
    """Delete an entry (its last state stays in the audit log, so the delete can be undone)."""
    entry = _entry(session, entry_id)
    before = snapshot(entry)
    session.delete(entry)
    session.flush()
    _log(session, actor, "delete", before, None)


def _revert(session: Session, change: AuditEntry, actor: Staff) -> None:
    """Put the entry back as it was before `change`, if nothing changed it since."""
    entry_id = int(change.entity_id)
    current = session.get(FaqEntry, entry_id, with_for_update=True)
    now = snapshot(current) if current is not None else None
    if now != change.after:
        raise RevertError(
            "Mục câu hỏi này đã được sửa sau thay đổi đó; hãy hoàn tác các thay đổi mới hơn trước."
        )
    put_snapshot(session, entry_id, change.before, actor.username)
    _log(session, actor, "revert", now, change.before)


register_reverter(ENTITY, _revert)
