"""The catalog in the console's JSON API (`/admin/api/catalog/...`); pages in `catalog_pages`.

Viewers read; editors change the province's layer and review national imports. Every
change goes through `console.catalog_service` (audited, revertible). A refused local edit
answers 422 with one problem per field, in Vietnamese; a review step that cannot be done
now (already published, stale, not held) answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot.openapi import error_responses as errors
from catalog.local_edit import LocalEditRejected, UnknownProcedure
from catalog.local_view import find_procedures, procedure_view
from catalog.national.review import ReviewError, UnknownReviewItem
from catalog.national.review_view import import_detail, import_summaries
from console import catalog_pages, catalog_service
from console.auth import require
from console.catalog_pages import RowId
from console.roles import Role, Staff

__all__ = ["router", "run_catalog"]

router = APIRouter(tags=["console: catalog"])
router.include_router(catalog_pages.router)

API = "/admin/api/catalog"
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
REFUSED = "Chưa lưu: có trường chưa hợp lệ."


class AliasBody(BaseModel):
    """A colloquial name citizens use for the procedure."""

    alias: str = Field(min_length=1, max_length=300)


def run_catalog(
    request: Request, work: Callable[[Session], Any], status: int = 200
) -> JSONResponse:
    """Run `work` in one transaction; its result as JSON, or the refusal as 404/409/422."""
    try:
        with request.app.state.sessions.begin() as session:
            result = work(session)
    except LocalEditRejected as error:
        body = {"detail": REFUSED, "errors": [problem.as_json() for problem in error.problems]}
        return JSONResponse(body, status_code=422)
    except (UnknownProcedure, UnknownReviewItem) as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    except ReviewError as error:
        return JSONResponse({"detail": str(error)}, status_code=409)
    return JSONResponse(result, status_code=status)


@router.get(f"{API}/procedures", responses=errors(401))
def list_procedures(
    request: Request,
    staff: Viewer,
    search: catalog_pages.Search,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JSONResponse:
    """Procedures whose name, alias or code matches `q` (diacritics optional)."""
    q, local = search

    def work(session: Session) -> dict[str, Any]:
        total, rows = find_procedures(
            session, query=q, local_only=local, offset=offset, limit=limit
        )
        return {"total": total, "items": [row.as_json() for row in rows]}

    return run_catalog(request, work)


@router.get(f"{API}/procedures/{{code}}", responses=errors(401, 404))
def get_procedure(request: Request, staff: Viewer, code: str) -> JSONResponse:
    """One procedure: national record's gist, the province's entry, what it overrides."""
    return run_catalog(request, lambda session: procedure_view(session, code))


@router.patch(f"{API}/procedures/{{code}}", responses=errors(400, 401, 403, 404, 422))
def patch_procedure(
    request: Request, staff: Editor, code: str, changes: Annotated[dict[str, Any], Body()]
) -> JSONResponse:
    """Set fields of the province's entry (as in the YAML); the whole entry after."""
    return run_catalog(
        request,
        lambda session: {
            "local": catalog_service.edit_local(session, actor=staff, code=code, changes=changes)
        },
    )


@router.delete(f"{API}/procedures/{{code}}", responses=errors(401, 403, 404, 422))
def delete_procedure(request: Request, staff: Editor, code: str) -> JSONResponse:
    """Drop the province's entry: the national record answers alone."""

    def work(session: Session) -> dict[str, str]:
        catalog_service.delete_local(session, actor=staff, code=code)
        return {"detail": f"Đã xóa phần của tỉnh cho thủ tục {code}."}

    return run_catalog(request, work)


@router.post(f"{API}/procedures/{{code}}/aliases", responses=errors(400, 401, 403, 404, 422))
def post_alias(request: Request, staff: Editor, code: str, body: AliasBody) -> JSONResponse:
    """Add a colloquial name; the procedure's aliases after."""
    return run_catalog(
        request,
        lambda session: {
            "aliases": catalog_service.add_alias(session, actor=staff, code=code, alias=body.alias)
        },
        status=201,
    )


@router.delete(f"{API}/procedures/{{code}}/aliases/{{alias}}", responses=errors(401, 403, 404, 422))
def delete_alias(request: Request, staff: Editor, code: str, alias: str) -> JSONResponse:
    """Remove a colloquial name; the procedure's aliases after."""
    return run_catalog(
        request,
        lambda session: {
            "aliases": catalog_service.remove_alias(session, actor=staff, code=code, alias=alias)
        },
    )


@router.get(f"{API}/imports", responses=errors(401))
def list_imports(request: Request, staff: Viewer) -> JSONResponse:
    """National import runs, newest first (a review waits with status `review`)."""
    return run_catalog(request, lambda session: {"items": import_summaries(session)})


@router.get(f"{API}/imports/{{import_id}}", responses=errors(401, 404))
def get_import(request: Request, staff: Viewer, import_id: RowId) -> JSONResponse:
    """One import run and its changes, each with the stored and the new value."""
    return run_catalog(request, lambda session: import_detail(session, import_id))


@router.post(f"{API}/imports/{{import_id}}/{{step}}", responses=errors(401, 403, 404, 409))
def review_step(
    request: Request, staff: Editor, import_id: RowId, step: Literal["publish", "discard"]
) -> JSONResponse:
    """`publish`: every change not held goes live; `discard`: nothing of it does."""
    if step == "publish":
        return run_catalog(
            request,
            lambda session: catalog_service.publish_import(
                session, actor=staff, import_id=import_id
            ),
        )

    def work(session: Session) -> dict[str, str]:
        catalog_service.discard_import(session, actor=staff, import_id=import_id)
        return {"detail": f"Đã bỏ lần nhập số {import_id}."}

    return run_catalog(request, work)


@router.post(f"{API}/changes/{{change_id}}/{{step}}", responses=errors(401, 403, 404, 409))
def change_step(
    request: Request, staff: Editor, change_id: RowId, step: Literal["hold", "release"]
) -> JSONResponse:
    """`hold` a change of a review (it keeps the current national value); `release` it
    (pending again, or live at once when the review is already published)."""
    steps = {"hold": catalog_service.hold_change, "release": catalog_service.release_change}

    def work(session: Session) -> dict[str, Any]:
        change = steps[step](session, actor=staff, change_id=change_id)
        return {"id": change.id, "state": change.state.value}

    return run_catalog(request, work)
