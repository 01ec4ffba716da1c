"""Staff account changes: add, change role, disable or enable, reset a password.

Each is in the audit log (never a password or its hash) and, except a password reset,
can be undone by an admin. There is always at least one active admin: a change (or an
undo) that would leave none is refused. Disabling an account or resetting its password
ends its sessions at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.accounts import AccountError, create_account, hash_password
from console.audit import AuditEntry, RevertError, record, register_reverter
from console.models import StaffAccount
from console.roles import Role, Staff
from console.sessions import revoke_all

__all__ = [
    "ENTITY",
    "AccountNotFound",
    "add_account",
    "change_account",
    "ensure_first_admin",
    "list_accounts",
    "reset_password",
    "snapshot",
]

ENTITY = "staff_account"
LAST_ADMIN = "Phải còn ít nhất một tài khoản quản trị đang hoạt động."


class AccountNotFound(LookupError):
    """No staff account has this id."""


def snapshot(account: StaffAccount) -> dict[str, Any]:
    """The account as the API shows it and the audit log keeps it (no password)."""
    return {
        "id": account.id,
        "username": account.username,
        "role": account.role,
        "active": account.active,
    }


def list_accounts(session: Session) -> list[StaffAccount]:
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))


def _account(session: Session, account_id: int) -> StaffAccount:
    account = session.get(StaffAccount, account_id, with_for_update=True)
    if account is None:
        raise AccountNotFound(account_id)
    return account


def _log(session: Session, actor: Staff | None, action: str, before: Any, after: Any) -> None:
    account_id = str((after or before)["id"])
    changed = {"before": before, "after": after}
    record(session, actor=actor, entity=ENTITY, entity_id=account_id, action=action, **changed)


def _keep_an_admin(session: Session) -> None:
    session.flush()
    admins = select(func.count()).where(
        StaffAccount.role == Role.ADMIN.value, StaffAccount.active.is_(True)
    )
    if not session.scalar(admins):
        raise AccountError(LAST_ADMIN)


def add_account(
    session: Session, *, username: str, password: str, role: Role, actor: Staff | None
) -> StaffAccount:
    """A new active account (`actor` None: the command line)."""
    account = create_account(session, username=username, password=password, role=role)
    _log(session, actor, "create", None, snapshot(account))
    return account


def ensure_first_admin(session: Session, *, username: str, password: str) -> bool:
    """Create the first admin when there is no account at all; True when one was made."""
    if session.scalar(select(func.count()).select_from(StaffAccount)):
        return False
    add_account(session, username=username, password=password, role=Role.ADMIN, actor=None)
    return True


def change_account(
    session: Session,
    account_id: int,
    *,
    actor: Staff,
    role: Role | None = None,
    active: bool | None = None,
) -> StaffAccount:
    """A new role and/or enabled state; disabling ends the account's sessions."""
    account = _account(session, account_id)
    before = snapshot(account)
    if role is not None:
        account.role = Role(role).value
    if active is not None:
        account.active = active
    if snapshot(account) == before:
        return account
    account.updated_at = datetime.now(UTC)
    _keep_an_admin(session)
    if not account.active:
        revoke_all(session, account.id)
    _log(session, actor, "update", before, snapshot(account))
    return account


def reset_password(session: Session, account_id: int, password: str, actor: Staff) -> None:
    """A new password (its owner's sessions end); logged without the password."""
    account = _account(session, account_id)
    account.password_hash = hash_password(password)
    account.updated_at = datetime.now(UTC)
    revoke_all(session, account.id)
    _log(session, actor, "password", snapshot(account), {**snapshot(account), "password": "mới"})


def _revert(session: Session, change: AuditEntry, actor: Staff) -> None:
    if change.action == "password":
        raise RevertError("Không hoàn tác được việc đặt mật khẩu; hãy đặt một mật khẩu mới.", 400)
    account = _account(session, int(change.entity_id))
    now = snapshot(account)
    if now != change.after:
        raise RevertError("Tài khoản này đã được sửa sau thay đổi đó; hãy hoàn tác từ mới nhất.")
    # Undoing the creation disables the account (its history stays).
    wanted = change.before or {**now, "active": False}
    account.role, account.active = wanted["role"], wanted["active"]
    account.updated_at = datetime.now(UTC)
    try:
        _keep_an_admin(session)
    except AccountError as error:
        raise RevertError(str(error)) from None
    if not account.active:
        revoke_all(session, account.id)
    _log(session, actor, "revert", now, snapshot(account))


register_reverter(ENTITY, _revert, role=Role.ADMIN)
