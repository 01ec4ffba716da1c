"""The FAQ pages: list and search, create and edit (question variants one per line),
publish and unpublish, delete after a confirmation, and a preview of the bot's answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import Response

from console.auth import require
from console.faq_changes import FaqNotFound, create_faq, delete_faq, edit_faq, set_faq_state
from console.pages import render
from console.roles import Role, Staff
from faq.matcher import FaqIndex, FaqMatch, FaqRecord, published_records
from faq.models import FaqEntry, FaqState
from faq.store import FaqDraft, FaqInvalid, list_entries

__all__ = ["router", "preview"]

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]

DONE = {
    "created": "Đã tạo mục câu hỏi (bản nháp: trợ lý chưa dùng nó cho đến khi bạn bấm Đăng).",
    "saved": "Đã lưu.",
    "published": "Đã đăng: trợ lý trả lời bằng mục này trong vòng vài giây.",
    "unpublished": "Đã gỡ xuống: trợ lý thôi trả lời bằng mục này.",
    "deleted": "Đã xoá. Có thể hoàn tác trong trang Nhật ký.",
}
NOT_FOUND = "Không tìm thấy mục câu hỏi này (có thể đã bị xoá)."


def preview(session: Session, text: str, draft: FaqRecord | None = None) -> FaqMatch | None:
    """What the FAQ side of the bot answers to `text`, with `draft` as if published.

    The index is built from the database for this preview, not taken from the cached
    `faq.matcher.match_faq`: a clerk who has just published must see the new answer, which
    the bot's matchers pick up within their refresh interval anyway.
    """
    if not text.strip():
        return None
    records = [r for r in published_records(session) if draft is None or r.id != draft.id]
    if draft is not None and draft.answer:
        records.append(draft)
    return FaqIndex(records).match(text[:1000])


def _done(done: str) -> str | None:
    return DONE.get(done)


@router.get("/admin/faq")
def faq_list(
    request: Request, staff: Viewer, state: str = "", q: str = "", ask: str = "", done: str = ""
) -> Response:
    """Every entry (filtered), and what the bot answers now to a typed question."""
    chosen = FaqState(state) if state in tuple(FaqState) else None
    with request.app.state.sessions() as session:
        entries = list_entries(session, state=chosen, search=q[:200])
        answer = preview(session, ask)
    context = {"entries": entries, "state": state, "q": q, "ask": ask, "answer": answer}
    can_edit = staff.role.allows(Role.EDITOR)
    return render(
        request, "faq_list.html", {**context, "can_edit": can_edit, "message": _done(done)}
    )


def _form(request: Request, entry: FaqEntry | None, **context: object) -> Response:
    status = int(str(context.pop("status", 200)))
    staff: Staff = request.state.staff
    form = {
        "questions": "\n".join(entry.questions) if entry else "",
        "answer": entry.answer if entry else "",
        "procedure_code": (entry.procedure_code or "") if entry else "",
    }
    full = {"entry": entry, "form": form, "can_edit": staff.role.allows(Role.EDITOR), **context}
    return render(request, "faq_edit.html", full, status_code=status)


@router.get("/admin/faq/new")
def new_form(request: Request, staff: Editor) -> Response:
    """An empty entry form."""
    return _form(request, None)


class FaqForm(BaseModel):
    """The entry form: question variants one per line, answer, linked procedure code."""

    questions: str = Field(default="", max_length=20_000)
    answer: str = Field(default="", max_length=20_000)
    procedure_code: str = Field(default="", max_length=200)

    def checked(self, session: Session) -> FaqDraft:
        questions = [line for line in self.questions.splitlines() if line.strip()]
        return FaqDraft.checked(session, questions, self.answer, self.procedure_code)


Typed = Annotated[FaqForm, Form()]


@router.post("/admin/faq/new")
def create(request: Request, staff: Editor, typed: Typed) -> Response:
    """Save a new draft entry."""
    with request.app.state.sessions() as session, session.begin():
        try:
            draft = typed.checked(session)
        except FaqInvalid as error:
            return _form(request, None, form=typed, problems=error.problems, status=400)
        entry_id = create_faq(session, draft, staff).id
    return RedirectResponse(f"/admin/faq/{entry_id}?done=created", status_code=303)


@router.get("/admin/faq/{entry_id}")
def edit_form(
    request: Request, staff: Viewer, entry_id: EntryId, ask: str = "", done: str = ""
) -> Response:
    """One entry's form, its state buttons, and a preview with this entry as published."""
    with request.app.state.sessions() as session:
        entry = session.get(FaqEntry, entry_id)
        if entry is None:
            return render(request, "error.html", {"error": NOT_FOUND}, status_code=404)
        record = FaqRecord(entry.id, tuple(entry.questions), entry.answer, entry.procedure_code)
        answer = preview(session, ask, record)
        return _form(request, entry, ask=ask, answer=answer, message=_done(done))


@router.post("/admin/faq/{entry_id}")
def save(request: Request, staff: Editor, entry_id: EntryId, typed: Typed) -> Response:
    """Save an entry's questions, answer and linked procedure."""
    with request.app.state.sessions() as session, session.begin():
        entry = session.get(FaqEntry, entry_id)
        if entry is None:
            return render(request, "error.html", {"error": NOT_FOUND}, status_code=404)
        try:
            draft = typed.checked(session)
        except FaqInvalid as error:
            return _form(request, entry, form=typed, problems=error.problems, status=400)
        edit_faq(session, entry_id, draft, staff)
    return RedirectResponse(f"/admin/faq/{entry_id}?done=saved", status_code=303)


def _set_state(request: Request, staff: Staff, entry_id: int, state: FaqState) -> Response:
    done = "published" if state == FaqState.PUBLISHED else "unpublished"
    try:
        with request.app.state.sessions() as session, session.begin():
            set_faq_state(session, entry_id, state, staff)
    except FaqNotFound:
        return render(request, "error.html", {"error": NOT_FOUND}, status_code=404)
    except FaqInvalid as error:
        return render(request, "error.html", {"error": " ".join(error.problems)}, status_code=400)
    return RedirectResponse(f"/admin/faq/{entry_id}?done={done}", status_code=303)


@router.post("/admin/faq/{entry_id}/publish")
def publish(request: Request, staff: Editor, entry_id: EntryId) -> Response:
    """Publish an entry."""
    return _set_state(request, staff, entry_id, FaqState.PUBLISHED)


@router.post("/admin/faq/{entry_id}/unpublish")
def unpublish(request: Request, staff: Editor, entry_id: EntryId) -> Response:
    """Take an entry back to draft."""
    return _set_state(request, staff, entry_id, FaqState.DRAFT)


@router.get("/admin/faq/{entry_id}/delete")
def confirm_delete(request: Request, staff: Editor, entry_id: EntryId) -> Response:
    """Ask before deleting."""
    with request.app.state.sessions() as session:
        entry = session.get(FaqEntry, entry_id)
        if entry is None:
            return render(request, "error.html", {"error": NOT_FOUND}, status_code=404)
        return render(request, "faq_delete.html", {"entry": entry})


@router.post("/admin/faq/{entry_id}/delete")
def delete(request: Request, staff: Editor, entry_id: EntryId) -> Response:
    """Delete, after the confirmation page."""
    try:
        with request.app.state.sessions() as session, session.begin():
            delete_faq(session, entry_id, staff)
    except FaqNotFound:
        return render(request, "error.html", {"error": NOT_FOUND}, status_code=404)
    return RedirectResponse("/admin/faq?done=deleted", status_code=303)
