"""The FAQ API under /admin/api/faq (pages: `console.faq_pages`, included here).

Viewers read; editors and admins create, edit, publish, unpublish and delete. Every
change is in the audit log and can be undone from it (`console.faq_changes`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from bot.openapi import error_responses as errors
from console import faq_pages
from console.auth import require
from console.faq_changes import FaqNotFound, create_faq, delete_faq, edit_faq, set_faq_state
from console.roles import Role, Staff
from console.schemas import Done, FaqIn, FaqList, FaqOut, FaqPatch
from faq.models import FaqEntry, FaqState
from faq.store import FaqDraft, FaqInvalid, list_entries, snapshot

__all__ = ["router"]

router = APIRouter(tags=["console: FAQ"])
router.include_router(faq_pages.router)

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_FOUND = "Không tìm thấy mục câu hỏi này."
CHANGES = errors(400, 401, 403, 404, 422)


def _out(entry: FaqEntry) -> dict[str, Any]:
    return {**snapshot(entry), "updated_at": entry.updated_at, "updated_by": entry.updated_by}


def _invalid(error: FaqInvalid) -> HTTPException:
    return HTTPException(400, "Không lưu được: " + " ".join(error.problems))


def _session(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


@router.get("/admin/api/faq", response_model=FaqList, responses=errors(401, 422))
def list_faq(
    request: Request, staff: Viewer, state: FaqState | None = None, q: str = ""
) -> dict[str, Any]:
    """Every entry, most recently changed first; `state` and `q` (words, any accents) filter."""
    with _session(request) as session:
        return {"entries": [_out(e) for e in list_entries(session, state=state, search=q[:200])]}


@router.post("/admin/api/faq", response_model=FaqOut, status_code=201, responses=CHANGES)
def create(request: Request, staff: Editor, body: FaqIn) -> dict[str, Any]:
    """A new entry (a draft unless `state` is "published")."""
    with _session(request) as session, session.begin():
        try:
            draft = FaqDraft.checked(
                session,
                body.questions,
                body.answer,
                body.procedure_code,
                require_answer=body.state == FaqState.PUBLISHED,
            )
        except FaqInvalid as error:
            raise _invalid(error) from None
        entry = create_faq(session, draft, staff)
        if body.state == FaqState.PUBLISHED:
            entry = set_faq_state(session, entry.id, FaqState.PUBLISHED, staff)
        return _out(entry)


@router.get("/admin/api/faq/{entry_id}", response_model=FaqOut, responses=errors(401, 404, 422))
def read(request: Request, staff: Viewer, entry_id: EntryId) -> dict[str, Any]:
    """One entry."""
    with _session(request) as session:
        entry = session.get(FaqEntry, entry_id)
        if entry is None:
            raise HTTPException(404, NOT_FOUND)
        return _out(entry)


@router.patch("/admin/api/faq/{entry_id}", response_model=FaqOut, responses=CHANGES)
def patch(request: Request, staff: Editor, entry_id: EntryId, body: FaqPatch) -> dict[str, Any]:
    """Change the fields given (a published entry answers with the new text within seconds)."""
    with _session(request) as session, session.begin():
        entry = session.get(FaqEntry, entry_id)
        if entry is None:
            raise HTTPException(404, NOT_FOUND)
        given = body.model_dump(exclude_unset=True)
        questions = given.get("questions") or ([] if "questions" in given else entry.questions)
        answer = given.get("answer", entry.answer) or ""
        code = given.get("procedure_code", entry.procedure_code)
        try:
            publishing = (body.state or entry.state) == FaqState.PUBLISHED
            draft = FaqDraft.checked(session, questions, answer, code, require_answer=publishing)
        except FaqInvalid as error:
            raise _invalid(error) from None
        entry = edit_faq(session, entry_id, draft, staff)
        if body.state is not None:
            entry = set_faq_state(session, entry_id, body.state, staff)
        return _out(entry)


def _change_state(request: Request, staff: Staff, entry_id: int, state: FaqState) -> Any:
    with _session(request) as session, session.begin():
        try:
            return _out(set_faq_state(session, entry_id, state, staff))
        except FaqNotFound:
            raise HTTPException(404, NOT_FOUND) from None
        except FaqInvalid as error:
            raise _invalid(error) from None


@router.post("/admin/api/faq/{entry_id}/publish", response_model=FaqOut, responses=CHANGES)
def publish(request: Request, staff: Editor, entry_id: EntryId) -> dict[str, Any]:
    """Publish: citizens' matching questions get this answer within seconds."""
    result: dict[str, Any] = _change_state(request, staff, entry_id, FaqState.PUBLISHED)
    return result


@router.post("/admin/api/faq/{entry_id}/unpublish", response_model=FaqOut, responses=CHANGES)
def unpublish(request: Request, staff: Editor, entry_id: EntryId) -> dict[str, Any]:
    """Back to draft: the bot stops answering with it within seconds."""
    result: dict[str, Any] = _change_state(request, staff, entry_id, FaqState.DRAFT)
    return result


@router.delete("/admin/api/faq/{entry_id}", response_model=Done, responses=CHANGES)
def delete(request: Request, staff: Editor, entry_id: EntryId) -> JSONResponse:
    """Delete an entry (undo it from the audit log)."""
    with _session(request) as session, session.begin():
        try:
            delete_faq(session, entry_id, staff)
        except FaqNotFound:
            raise HTTPException(404, NOT_FOUND) from None
    return JSONResponse({"detail": f"Đã xoá mục câu hỏi số {entry_id}."})
