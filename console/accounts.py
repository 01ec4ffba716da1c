"""Staff accounts: Argon2 password hashes, creation, the first admin, checking a password."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models import StaffAccount
from console.roles import Role, Staff

__all__ = [
    "AccountError",
    "MIN_PASSWORD_LENGTH",
    "authenticate",
    "create_account",
    "hash_password",
    "normalize_username",
    "staff_of",
]

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

# Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 30 ms of
# CPU a login here, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took 210 ms,
# on a machine that also serves the citizens' chat. Older hashes are upgraded at login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified against when the username is unknown, so that both answers take as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """An account cannot be made or changed as asked (the message says why, in Vietnamese)."""


def normalize_username(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    """The Argon2id hash of `password`, refused when too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu dài quá {MAX_PASSWORD_LENGTH} ký tự.")
    return _hasher.hash(password)


def staff_of(account: StaffAccount) -> Staff:
    return Staff(id=account.id, username=account.username, role=Role(account.role))


def create_account(session: Session, *, username: str, password: str, role: Role) -> StaffAccount:
    """A new active account (flushed, not committed)."""
    name = normalize_username(username)
    if not USERNAME.match(name):
        raise AccountError(
            "Tên đăng nhập gồm 2 đến 64 chữ cái không dấu, chữ số và . _ - "
            "(bắt đầu bằng chữ hoặc số)."
        )
    if session.scalar(select(StaffAccount.id).where(StaffAccount.username == name)) is not None:
        raise AccountError(f"Tên đăng nhập {name} đã có người dùng.")
    now = datetime.now(UTC)
    account = StaffAccount(
        username=name,
        password_hash=hash_password(password),
        role=Role(role).value,
        active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(account)
    session.flush()
    return account


def authenticate(session: Session, username: str, password: str) -> Staff | None:
    """The active staff member with this username and password, else None."""
    name = normalize_username(username)
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == name))
    if account is None or not account.active:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(account.password_hash, password):
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return staff_of(account)


def _verify(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
