"""Unanswered questions in the console: the groups, and a step per group, under /admin/api.

`GET /admin/api/unanswered` lists the groups of open questions (viewer and up). An editor
takes a group (named by its `question_ids`) off the list with one step: `faq` (a new
FAQ draft with the group's questions), `variant` (one more way of asking an FAQ entry),
`alias` (a local alias of a procedure) or `dismiss`. Each step is in the audit log and
can be undone from it (`console.unanswered_service`). Pages: `console.unanswered_pages`.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from bot.openapi import error_responses as errors
from console import unanswered_pages
from console import unanswered_service as steps
from console.auth import require
from console.roles import Role, Staff
from console.schemas import Done
from console.unanswered_service import MAX_IDS, office_today, run_step
from faq.grouping import open_groups

__all__ = ["router"]

router = APIRouter(tags=["console: unanswered questions"])
router.include_router(unanswered_pages.router)

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
STEPS = errors(400, 401, 403, 404, 409, 422)

QuestionIds = Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1, max_length=MAX_IDS)]


class GroupOut(BaseModel):
    """Questions alike: how many, up to three examples (most asked first), their ids."""

    id: int
    count: int
    examples: list[str]
    question_ids: list[int]
    channels: dict[str, int]
    reasons: dict[str, int]
    first_day: date
    last_day: date


class GroupList(BaseModel):
    groups: list[GroupOut]


class Group(BaseModel):
    """A group, named by its question ids (as `GET /admin/api/unanswered` lists them)."""

    question_ids: QuestionIds


class ToFaq(Group):
    """Questions of the new draft; left out: the group's own (masked parts dropped)."""

    questions: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=30)


class ToVariant(Group):
    faq_id: int = Field(ge=1, le=2**31 - 1)
    question: str = Field(min_length=1, max_length=300)


class ToAlias(Group):
    procedure_code: str = Field(min_length=1, max_length=40)
    alias: str = Field(min_length=2, max_length=200)


class FaqMade(BaseModel):
    """The new draft: write its answer, then publish it (`/admin/api/faq/{faq_id}`)."""

    faq_id: int


@router.get("/admin/api/unanswered", response_model=GroupList, responses=errors(401, 403))
def list_groups(request: Request, staff: Viewer) -> dict[str, object]:
    """Groups of the open unanswered questions of the last 90 days, largest first."""
    with request.app.state.sessions() as session:
        groups = open_groups(session, today=office_today(request))
    return {"groups": [group.as_json() for group in groups]}


@router.post("/admin/api/unanswered/dismiss", response_model=Done, responses=STEPS)
def dismiss(request: Request, staff: Editor, body: Group) -> dict[str, str]:
    """Take a group off the list without acting on it."""
    count = run_step(
        request, lambda s: steps.dismiss(s, actor=staff, question_ids=body.question_ids)
    )
    return {"detail": f"Đã bỏ qua {count} câu hỏi."}


@router.post("/admin/api/unanswered/faq", response_model=FaqMade, status_code=201, responses=STEPS)
def to_faq(request: Request, staff: Editor, body: ToFaq) -> dict[str, int]:
    """Turn a group into a new FAQ draft (its answer is written next, then published)."""
    faq_id = run_step(
        request,
        lambda s: steps.to_faq_draft(
            s, actor=staff, question_ids=body.question_ids, questions=body.questions
        ),
    )
    return {"faq_id": faq_id}


@router.post("/admin/api/unanswered/variant", response_model=Done, responses=STEPS)
def to_variant(request: Request, staff: Editor, body: ToVariant) -> dict[str, str]:
    """Add the group's question to an FAQ entry's ways of asking."""
    ids, entry, question = body.question_ids, body.faq_id, body.question
    step = partial(
        steps.add_variant, actor=staff, question_ids=ids, faq_id=entry, question=question
    )
    run_step(request, step)
    return {"detail": f"Đã thêm cách hỏi vào mục số {body.faq_id}."}


@router.post("/admin/api/unanswered/alias", response_model=Done, responses=STEPS)
def to_alias(request: Request, staff: Editor, body: ToAlias) -> dict[str, str]:
    """Add the group's words as a local alias of a procedure."""
    code, alias = body.procedure_code.strip(), body.alias
    run_step(request, partial(steps.add_alias, actor=staff, question_ids=body.question_ids,
                              code=code, alias=alias))  # fmt: skip
    return {"detail": f"Đã thêm tên gọi khác cho thủ tục {body.procedure_code}."}
