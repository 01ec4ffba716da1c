"""The catalog's console pages: procedures, a procedure's form, import runs and a review.

Plain HTML forms (the console's pages run no script): each post is CSRF-checked by
`require`, goes through `console.catalog_service` (audited) and answers with a redirect,
or with the form again and a message next to each refused field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from catalog.local_edit import LocalEditRejected, UnknownProcedure, local_entry
from catalog.local_view import find_procedures, procedure_view
from catalog.national.review import ReviewError, UnknownReviewItem
from catalog.national.review_view import import_detail, import_summaries, short_value
from console import catalog_service
from console.auth import require
from console.catalog_form import FORM_FIELDS, changes_from_form, form_values
from console.pages import render
from console.roles import Role, Staff

__all__ = ["RowId", "router"]

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
# An import's or a change's id in a path: bounded, a huge int is a 500 on SQLite otherwise.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50
# Fixed notices a redirect may name (`?done=`): nothing from the query is echoed.
DONE = {
    "saved": "Đã lưu. Trợ lý dùng thông tin mới trong vài giây.",
    "unchanged": "Không có gì thay đổi.",
    "published": "Đã công bố lần nhập; các thay đổi bị giữ lại chờ được mở sau.",
    "discarded": "Đã bỏ lần nhập này.",
    "held": "Đã giữ lại thay đổi.",
    "released": "Đã mở thay đổi bị giữ lại.",
}


def _missing(request: Request, text: str, status: int = 404) -> Response:
    return render(request, "catalog_missing.html", {"error": text}, status_code=status)


def procedure_search(
    q: Annotated[str, Query(max_length=200)] = "", local: bool = False
) -> tuple[str, bool]:
    """The search's words and whether only the province's own procedures are wanted."""
    return q, local


Search = Annotated[tuple[str, bool], Depends(procedure_search)]


@router.get("/admin/catalog")
def catalog_page(
    request: Request,
    staff: Viewer,
    search: Search,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Procedures by name, alias or code; the province's own first."""
    q, local = search
    with request.app.state.sessions() as session:
        total, rows = find_procedures(
            session, query=q, local_only=local, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    context = {"q": q, "local": local, "page": page, "total": total, "rows": rows}
    context["pages"] = max(1, -(-total // PAGE_SIZE))
    return render(request, "catalog_list.html", context)


def _procedure_context(session: Session, code: str) -> dict[str, Any]:
    view = procedure_view(session, code)
    entry = view["local"] or {"source": view["link"], "checked_on": ""}
    return {"view": view, "entry": entry, "values": form_values(entry), "fields": FORM_FIELDS}


def _show(
    request: Request, staff: Staff, page: str, load: Callable[[Session], Any], done: str
) -> Response:
    """The page `page` with what `load` reads, or the not-found page."""
    try:
        with request.app.state.sessions() as session:
            context: dict[str, Any] = load(session)
    except (UnknownProcedure, UnknownReviewItem) as error:
        return _missing(request, str(error))
    context |= {"message": DONE.get(done), "problems": {}}
    context["can_edit"] = staff.role.allows(Role.EDITOR)
    return render(request, page, context)


@router.get("/admin/catalog/procedures/{code}")
def procedure_page(request: Request, staff: Viewer, code: str, done: str = "") -> Response:
    """A procedure's national gist and the province's fields, as a form for editors."""
    load = partial(_procedure_context, code=code)
    return _show(request, staff, "catalog_procedure.html", load, done)


def _save_form(request: Request, staff: Staff, code: str, form: dict[str, str]) -> Response:
    sessions = request.app.state.sessions
    try:
        with sessions.begin() as session:
            entry = local_entry(session, code) or _procedure_context(session, code)["entry"]
            changes = changes_from_form(form, entry)
            if changes:
                catalog_service.edit_local(session, actor=staff, code=code, changes=changes)
    except UnknownProcedure as error:
        return _missing(request, str(error))
    except LocalEditRejected as error:
        with sessions() as session:
            context = _procedure_context(session, code)
        problems: dict[str, list[str]] = {}
        for problem in error.problems:
            problems.setdefault(problem.field.split(".")[0], []).append(problem.message)
        context |= {"values": {**context["values"], **form}, "problems": problems}
        context |= {"error": "Chưa lưu: sửa các trường được đánh dấu.", "can_edit": True}
        return render(request, "catalog_procedure.html", context, status_code=422)
    done = "saved" if changes else "unchanged"
    return RedirectResponse(f"/admin/catalog/procedures/{quote(code)}?done={done}", 303)


@router.post("/admin/catalog/procedures/{code}")
async def procedure_form(request: Request, staff: Editor, code: str) -> Response:
    """The form's post: saved and back to the page, or the form again with the problems."""
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    return await run_in_threadpool(_save_form, request, staff, code, form)


@router.get("/admin/catalog/imports")
def imports_page(request: Request, staff: Viewer) -> Response:
    """National import runs, newest first; a review waiting to be published stands out."""
    with request.app.state.sessions() as session:
        runs = import_summaries(session)
    return render(request, "catalog_imports.html", {"runs": runs})


def _import_context(session: Session, import_id: int) -> dict[str, Any]:
    return {"run": import_detail(session, import_id), "short": short_value}


@router.get("/admin/catalog/imports/{import_id}")
def import_page(request: Request, staff: Viewer, import_id: RowId, done: str = "") -> Response:
    """One import's change report: hold or release changes, then publish."""
    load = partial(_import_context, import_id=import_id)
    return _show(request, staff, "catalog_import.html", load, done)


def _review_step(request: Request, import_id: int, done: str, step: Any) -> Response:
    try:
        with request.app.state.sessions.begin() as session:
            step(session)
    except ReviewError as error:
        status = 404 if isinstance(error, UnknownReviewItem) else 409
        with request.app.state.sessions() as session:
            try:
                run = import_detail(session, import_id)
            except UnknownReviewItem:
                return _missing(request, str(error), status)
        context = {"run": run, "short": short_value, "error": str(error), "can_edit": True}
        return render(request, "catalog_import.html", context, status_code=status)
    return RedirectResponse(f"/admin/catalog/imports/{import_id}?done={done}", 303)


# A review page's button: step -> (the service's function, what it takes, the notice after).
_STEPS: dict[str, tuple[Callable[..., Any], str, str]] = {
    "publish": (catalog_service.publish_import, "import_id", "published"),
    "discard": (catalog_service.discard_import, "import_id", "discarded"),
    "hold": (catalog_service.hold_change, "change_id", "held"),
    "release": (catalog_service.release_change, "change_id", "released"),
}


def _button(
    request: Request, staff: Staff, import_id: int, step: str, target: tuple[str, int]
) -> Response:
    found = _STEPS.get(step)
    if found is None or found[1] != target[0]:
        return _missing(request, "Không có thao tác này.")
    service, keyword, done = found
    return _review_step(
        request,
        import_id,
        done,
        lambda session: service(session, actor=staff, **{keyword: target[1]}),
    )


@router.post("/admin/catalog/imports/{import_id}/{step}")
def review_form(request: Request, staff: Editor, import_id: RowId, step: str) -> Response:
    """The review page's publish and discard buttons."""
    return _button(request, staff, import_id, step, ("import_id", import_id))


@router.post("/admin/catalog/imports/{import_id}/changes/{change_id}/{step}")
def change_form(
    request: Request, staff: Editor, import_id: RowId, change_id: RowId, step: str
) -> Response:
    """A change's hold and release buttons."""
    return _button(request, staff, import_id, step, ("change_id", change_id))
