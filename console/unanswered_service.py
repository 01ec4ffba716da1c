"""What clerks do with a group of unanswered questions; every step logged and revertible.

A group is named by its question ids (`faq.grouping.QuestionGroup.question_ids`). Each
step takes the group's open questions off the list (state dismissed, faq, variant or
alias) and logs that in the audit log (entity `unanswered`, id the group's first
question); reverting the entry puts those questions back on the list. The change the
step makes elsewhere (an FAQ draft, a question variant, a procedure alias) is logged
as that entity's own change, so it is reverted on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.local_edit import LocalEditRejected, UnknownProcedure
from console import catalog_service
from console.audit import AuditEntry, record, register_reverter
from console.faq_changes import FaqNotFound, add_question, create_faq
from console.roles import Staff
from faq.masking import PLACEHOLDERS, without_placeholders
from faq.store import FaqDraft, FaqInvalid
from faq.unanswered import QuestionState, UnansweredQuestion

__all__ = [
    "ENTITY",
    "MAX_IDS",
    "GroupGone",
    "Step",
    "add_alias",
    "add_variant",
    "dismiss",
    "office_today",
    "run_step",
    "to_faq_draft",
]

ENTITY = "unanswered"
MAX_IDS = 5_000  # questions named in one step
Step = Callable[[Session], Any]  # one step on a group, run in the caller's transaction
T = TypeVar("T")
MAX_DRAFT_QUESTIONS = 5


class GroupGone(LookupError):
    """None of the group's questions is still open (someone handled it already)."""

    def __init__(self) -> None:
        super().__init__("Nhóm câu hỏi này đã được xử lý (hoặc không còn). Hãy tải lại trang.")


def _take(session: Session, question_ids: list[int], state: QuestionState) -> list[int]:
    """Mark the still-open questions of `question_ids` as `state`; their ids."""
    rows = list(
        session.scalars(
            select(UnansweredQuestion)
            .where(
                UnansweredQuestion.id.in_(sorted(set(question_ids))),
                UnansweredQuestion.state == QuestionState.OPEN,
            )
            .order_by(UnansweredQuestion.id)
            .with_for_update()
        )
    )
    if not rows:
        raise GroupGone()
    for row in rows:
        row.state = state
    session.flush()
    return [row.id for row in rows]


def _log(session: Session, actor: Staff, ids: list[int], state: QuestionState, **done: Any) -> None:
    record(
        session,
        actor=actor,
        entity=ENTITY,
        entity_id=str(ids[0]),
        action=state.value,
        before={"question_ids": ids, "state": QuestionState.OPEN.value},
        after={"question_ids": ids, "state": state.value, **done},
    )


def dismiss(session: Session, *, actor: Staff, question_ids: list[int]) -> int:
    """Take the group off the list; how many questions it held."""
    ids = _take(session, question_ids, QuestionState.DISMISSED)
    _log(session, actor, ids, QuestionState.DISMISSED)
    return len(ids)


def _variants(texts: list[str]) -> list[str]:
    """The group's questions as FAQ question variants: most asked first; masked parts out."""
    ranked = [text for text, _ in Counter(texts).most_common()]
    clean = [text for text in ranked if not any(mark in text for mark in PLACEHOLDERS)]
    if not clean:  # every one names a phone, a code...: keep the words around them
        clean = [without_placeholders(text) for text in ranked]
    return [text for text in dict.fromkeys(clean) if text][:MAX_DRAFT_QUESTIONS]


def to_faq_draft(
    session: Session, *, actor: Staff, question_ids: list[int], questions: list[str] | None = None
) -> int:
    """A new FAQ draft whose questions are the group's (or `questions`), its answer left
    for the clerk to write (it cannot be published without one); the draft's id."""
    texts = list(
        session.scalars(
            select(UnansweredQuestion.text).where(UnansweredQuestion.id.in_(question_ids))
        )
    )
    ids = _take(session, question_ids, QuestionState.FAQ)
    draft = FaqDraft.checked(session, questions or _variants(texts), "", None, require_answer=False)
    entry = create_faq(session, draft, actor)
    _log(session, actor, ids, QuestionState.FAQ, faq_id=entry.id)
    return entry.id


def add_variant(
    session: Session, *, actor: Staff, question_ids: list[int], faq_id: int, question: str
) -> None:
    """Add `question` to the questions of FAQ entry `faq_id`."""
    ids = _take(session, question_ids, QuestionState.VARIANT)
    add_question(session, faq_id, question, actor)
    _log(session, actor, ids, QuestionState.VARIANT, faq_id=faq_id, question=question)


def add_alias(
    session: Session, *, actor: Staff, question_ids: list[int], code: str, alias: str
) -> None:
    """Add `alias` to the local aliases of procedure `code`."""
    ids = _take(session, question_ids, QuestionState.ALIAS)
    catalog_service.add_alias(session, actor=actor, code=code, alias=alias)
    _log(session, actor, ids, QuestionState.ALIAS, procedure_code=code, alias=alias)


def _revert(session: Session, entry: AuditEntry, actor: Staff) -> None:
    """Put the group's questions back on the list (those still in the state it set)."""
    after = entry.after or {}
    ids = [int(number) for number in after.get("question_ids", [])]
    rows = session.scalars(
        select(UnansweredQuestion).where(
            UnansweredQuestion.id.in_(ids), UnansweredQuestion.state == after.get("state")
        )
    )
    back = []
    for row in rows:
        row.state = QuestionState.OPEN
        back.append(row.id)
    record(
        session,
        actor=actor,
        entity=ENTITY,
        entity_id=entry.entity_id,
        action="revert",
        before=after,
        after={"question_ids": back, "state": QuestionState.OPEN.value},
    )


register_reverter(ENTITY, _revert)


def office_today(request: Request) -> date:
    """Today in the office's time zone."""
    return datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()


def run_step(request: Request, step: Callable[[Session], T]) -> T:
    """Run `step` in one transaction; a refused step becomes an HTTP error in Vietnamese."""
    try:
        with request.app.state.sessions.begin() as session:
            return step(session)
    except GroupGone as error:
        raise HTTPException(409, str(error)) from error
    except FaqNotFound as error:
        raise HTTPException(404, "Không tìm thấy mục câu hỏi thường gặp này.") from error
    except UnknownProcedure as error:
        raise HTTPException(404, str(error)) from error
    except FaqInvalid as error:
        raise HTTPException(400, "Không lưu được: " + " ".join(error.problems)) from error
    except LocalEditRejected as error:
        problems = " ".join(problem.message for problem in error.problems)
        raise HTTPException(400, "Không lưu được: " + problems) from error
