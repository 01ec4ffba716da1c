"""The audit log: `GET /admin/api/audit`, `POST /admin/api/audit/{id}/revert`, and the
"Nhật ký" page with its one-click undo buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.openapi import error_responses as errors
from console.audit import RevertError, as_dict, can_revert, page, revert
from console.auth import require
from console.models import AuditEntry
from console.pages import render
from console.roles import Role, Staff
from console.schemas import AuditOut, AuditPage

__all__ = ["router"]

router = APIRouter(tags=["console: audit"])

Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Editor = Annotated[Staff, Depends(require(Role.EDITOR))]
AuditId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Before = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
PAGE = 50

# What a clerk reads for each audited entity (others' modules add theirs here).
ENTITIES = {
    "faq": "câu hỏi thường gặp",
    "staff_account": "tài khoản",
    "catalog_local": "thủ tục (thông tin địa phương)",
    "catalog_import": "đợt nhập thủ tục quốc gia",
}
ACTIONS = {
    "create": "tạo",
    "update": "sửa",
    "publish": "đăng",
    "unpublish": "gỡ xuống",
    "delete": "xoá",
    "revert": "hoàn tác",
    "password": "đặt mật khẩu",
    "edit": "sửa",
    "add_alias": "thêm tên gọi khác cho",
    "remove_alias": "bỏ tên gọi khác của",
    "discard": "bỏ",
    "hold": "giữ lại một thay đổi của",
    "release": "thôi giữ một thay đổi của",
}


def _read(request: Request, before: int | None, limit: int) -> tuple[list[AuditEntry], int | None]:
    with request.app.state.sessions() as session:
        entries = page(session, before_id=before, limit=limit + 1)
    more = len(entries) > limit
    return entries[:limit], (entries[limit - 1].id if more else None)


@router.get("/admin/api/audit", response_model=AuditPage, responses=errors(401, 422))
def audit_api(
    request: Request,
    staff: Viewer,
    before: Before = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE,
) -> dict[str, Any]:
    """Changes, newest first, `limit` at a time (older ones: `?before=next_before`)."""
    entries, next_before = _read(request, before, limit)
    return {"entries": [as_dict(entry) for entry in entries], "next_before": next_before}


def _revert(request: Request, staff: Staff, entry_id: int) -> dict[str, Any]:
    with request.app.state.sessions() as session, session.begin():
        revert_id = revert(session, entry_id, staff)
        done = session.get(AuditEntry, revert_id)
        assert done is not None
        return as_dict(done)


@router.post(
    "/admin/api/audit/{entry_id}/revert",
    response_model=AuditOut,
    responses=errors(400, 401, 403, 404, 409, 422),
)
def revert_api(request: Request, staff: Editor, entry_id: AuditId) -> dict[str, Any]:
    """Undo one change; answers the audit entry that records the undo."""
    try:
        return _revert(request, staff, entry_id)
    except RevertError as error:
        raise HTTPException(error.status, str(error)) from None


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """Each field the change touched: (field, before, after) as a clerk reads them."""
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for field in dict.fromkeys([*before, *after]):
        old, new = before.get(field), after.get(field)
        if old != new or not (entry.before and entry.after):
            rows.append((field, _shown(old), _shown(new)))
    return rows


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return " | ".join(str(item) for item in value)
    return str(value)


@router.get("/admin/audit", include_in_schema=False)
def audit_page(request: Request, staff: Viewer, before: Before = None, done: str = "") -> Response:
    """The log, newest first, with an undo button on what this account may undo."""
    entries, next_before = _read(request, before, PAGE)
    zone = ZoneInfo(request.app.state.settings.timezone)
    rows = [
        {
            "entry": entry,
            "at": _local(entry.at, zone),
            "action": ACTIONS.get(entry.action, entry.action),
            "entity": ENTITIES.get(entry.entity, entry.entity),
            "changes": changes(entry),
            "can_revert": can_revert(entry, staff),
        }
        for entry in entries
    ]
    message = "Đã hoàn tác." if done == "reverted" else None
    context = {"rows": rows, "next_before": next_before, "message": message}
    return render(request, "audit.html", context)


@router.post("/admin/audit/{entry_id}/revert", include_in_schema=False)
def revert_form(request: Request, staff: Editor, entry_id: AuditId) -> Response:
    """The page's undo button."""
    try:
        _revert(request, staff, entry_id)
    except RevertError as error:
        return render(request, "error.html", {"error": str(error)}, status_code=error.status)
    return RedirectResponse("/admin/audit?done=reverted", status_code=303)
