"""The unanswered-questions page: groups with counts and examples, and a form per step."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from console import unanswered_service as steps
from console.auth import require
from console.pages import render
from console.roles import Role, Staff
from console.unanswered_service import MAX_IDS, office_today, run_step
from faq.grouping import open_groups

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
Text = Annotated[str, Form(max_length=300)]

DONE = {
    "dismissed": "Đã bỏ qua nhóm câu hỏi. Có thể hoàn tác trong trang Nhật ký.",
    "variant": "Đã thêm cách hỏi vào mục câu hỏi thường gặp (mục đã đăng trả lời ngay).",
    "alias": "Đã thêm tên gọi khác cho thủ tục: trợ lý hiểu tên này trong vài giây.",
}
BAD_GROUP = "Nhóm câu hỏi không hợp lệ. Hãy tải lại trang rồi thử lại."


def _ids(question_ids: str) -> list[int]:
    parts = question_ids.split(",")
    if not 0 < len(parts) <= MAX_IDS or not all(part.strip().isdigit() for part in parts):
        raise HTTPException(400, BAD_GROUP)
    return [int(part) for part in parts]


def _page(request: Request, *, message: str | None = None, error: str | None = None,
          status_code: int = 200) -> Response:  # fmt: skip
    staff: Staff = request.state.staff
    with request.app.state.sessions() as session:
        groups = open_groups(session, today=office_today(request))
    context = {
        "groups": groups,
        "can_edit": staff.role.allows(Role.EDITOR),
        "message": message,
        "error": error,
    }
    return render(request, "unanswered.html", context, status_code=status_code)


@router.get("/admin/unanswered")
def unanswered_page(request: Request, staff: Viewer, done: str = "") -> Response:
    """The groups, largest first."""
    return _page(request, message=DONE.get(done))


def _step(request: Request, step: steps.Step, done: str) -> Response:
    try:
        result = run_step(request, step)
    except HTTPException as error:
        return _page(request, error=str(error.detail), status_code=error.status_code)
    if done == "faq":
        return RedirectResponse(f"/admin/faq/{result}?done=created", status_code=303)
    return RedirectResponse(f"/admin/unanswered?done={done}", status_code=303)


@router.post("/admin/unanswered/dismiss")
def dismiss(request: Request, staff: Editor, question_ids: Annotated[str, Form()]) -> Response:
    """Take a group off the list."""
    ids = _ids(question_ids)
    return _step(request, lambda s: steps.dismiss(s, actor=staff, question_ids=ids), "dismissed")


@router.post("/admin/unanswered/faq")
def to_faq(request: Request, staff: Editor, question_ids: Annotated[str, Form()]) -> Response:
    """A new FAQ draft from the group; its page opens to write the answer."""
    ids = _ids(question_ids)
    return _step(request, lambda s: steps.to_faq_draft(s, actor=staff, question_ids=ids), "faq")


@router.post("/admin/unanswered/variant")
def to_variant(
    request: Request,
    staff: Editor,
    question_ids: Annotated[str, Form()],
    faq_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    question: Text,
) -> Response:
    """The group's question as one more way of asking an FAQ entry."""
    step = partial(
        steps.add_variant, actor=staff, question_ids=_ids(question_ids), faq_id=faq_id,
        question=question,
    )  # fmt: skip
    return _step(request, step, "variant")


@router.post("/admin/unanswered/alias")
def to_alias(
    request: Request,
    staff: Editor,
    question_ids: Annotated[str, Form()],
    procedure_code: Annotated[str, Form(max_length=40)],
    alias: Text,
) -> Response:
    """The group's words as a local alias of a procedure."""
    code = procedure_code.strip()
    step = partial(steps.add_alias, actor=staff, question_ids=_ids(question_ids), code=code,
                   alias=alias)  # fmt: skip
    return _step(request, step, "alias")
