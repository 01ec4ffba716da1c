"""Staff accounts, for admins: `/admin/api/accounts` and the "Tài khoản" page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.openapi import error_responses as errors
from console.account_changes import (
    AccountNotFound,
    add_account,
    change_account,
    list_accounts,
    reset_password,
    snapshot,
)
from console.accounts import AccountError
from console.auth import require
from console.pages import render
from console.roles import Role, Staff
from console.schemas import AccountIn, AccountList, AccountOut, AccountPatch

__all__ = ["router"]

router = APIRouter(tags=["console: accounts"])

Admin = Annotated[Staff, Depends(require(Role.ADMIN))]
AccountId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_FOUND = "Không tìm thấy tài khoản này."
CHANGES = errors(400, 401, 403, 404, 422)
DONE = {
    "added": "Đã thêm tài khoản.",
    "changed": "Đã lưu thay đổi tài khoản.",
    "password": "Đã đặt mật khẩu mới; các phiên đăng nhập cũ của tài khoản đó đã kết thúc.",
}


def _session(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


@router.get("/admin/api/accounts", response_model=AccountList, responses=errors(401, 403))
def accounts_api(request: Request, staff: Admin) -> dict[str, Any]:
    """Every account, by username."""
    with _session(request) as session:
        return {"accounts": [snapshot(account) for account in list_accounts(session)]}


@router.post("/admin/api/accounts", response_model=AccountOut, status_code=201, responses=CHANGES)
def add_api(request: Request, staff: Admin, body: AccountIn) -> dict[str, Any]:
    """A new account."""
    try:
        with _session(request) as session, session.begin():
            account = add_account(
                session, username=body.username, password=body.password, role=body.role, actor=staff
            )
            return snapshot(account)
    except AccountError as error:
        raise HTTPException(400, str(error)) from None


def _change(request: Request, staff: Staff, account_id: int, body: AccountPatch) -> Any:
    with _session(request) as session, session.begin():
        account = change_account(
            session, account_id, actor=staff, role=body.role, active=body.active
        )
        if body.password is not None:
            reset_password(session, account_id, body.password, staff)
        return snapshot(account)


@router.patch("/admin/api/accounts/{account_id}", response_model=AccountOut, responses=CHANGES)
def change_api(
    request: Request, staff: Admin, account_id: AccountId, body: AccountPatch
) -> dict[str, Any]:
    """Change a role, disable or enable, or set a new password."""
    try:
        result: dict[str, Any] = _change(request, staff, account_id, body)
    except AccountNotFound:
        raise HTTPException(404, NOT_FOUND) from None
    except AccountError as error:
        raise HTTPException(400, str(error)) from None
    return result


def _page(request: Request, status: int = 200, **context: Any) -> Response:
    with _session(request) as session:
        accounts = list_accounts(session)
    full = {"accounts": accounts, "roles": list(Role), **context}
    return render(request, "accounts.html", full, status_code=status)


@router.get("/admin/accounts", include_in_schema=False)
def accounts_page(request: Request, staff: Admin, done: str = "") -> Response:
    """The accounts, a form to add one, and per account role, state and password."""
    return _page(request, message=DONE.get(done))


Field = Annotated[str, Form(max_length=1000)]


@router.post("/admin/accounts", include_in_schema=False)
def add_form(
    request: Request, staff: Admin, username: Field = "", password: Field = "", role: Field = ""
) -> Response:
    """The add form."""
    chosen = Role(role) if role in tuple(Role) else Role.VIEWER
    try:
        with _session(request) as session, session.begin():
            add_account(session, username=username, password=password, role=chosen, actor=staff)
    except AccountError as error:
        return _page(request, 400, error=str(error), username=username)
    return RedirectResponse("/admin/accounts?done=added", status_code=303)


@router.post("/admin/accounts/{account_id}", include_in_schema=False)
def change_form(
    request: Request,
    staff: Admin,
    account_id: AccountId,
    role: Field = "",
    active: Field = "",
    password: Field = "",
) -> Response:
    """One account's row: role, enabled, and a new password when one is typed."""
    body = AccountPatch(
        role=Role(role) if role in tuple(Role) else None,
        active=active == "on",
        password=password or None,
    )
    try:
        _change(request, staff, account_id, body)
    except AccountNotFound:
        return _page(request, 404, error=NOT_FOUND)
    except AccountError as error:
        return _page(request, 400, error=str(error))
    return RedirectResponse(f"/admin/accounts?done={'password' if password else 'changed'}", 303)
