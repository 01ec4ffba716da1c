"""Logging in: the throttle first, then the password; a session only for the right one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from console.accounts import authenticate, normalize_username
from console.sessions import open_session
from console.throttle import clear_username, lock_of, note_failure, utcnow

__all__ = ["BAD_LOGIN", "LoginRefused", "log_in"]

BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu."


@dataclass
class LoginRefused(Exception):
    """No session: `status` 401 (wrong name or password) or 429 (locked for a while)."""

    status: int
    message: str
    retry_after: int | None = None


def _locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút."


def log_in(sessions: sessionmaker[Session], username: str, password: str, address: str) -> str:
    """A new session's cookie value, or `LoginRefused` (blocking: run it in a thread)."""
    now = utcnow()
    name = normalize_username(username)[:64]
    with sessions.begin() as session:
        lock = lock_of(session, name, address, now)
        if lock is not None:
            seconds = lock.seconds_left(now)
            raise LoginRefused(429, _locked_message(seconds), seconds)
        staff = authenticate(session, name, password)
        if staff is None:
            note_failure(session, name, address, now)
        else:
            clear_username(session, name)
            return open_session(session, staff, client_address=address)
    raise LoginRefused(401, BAD_LOGIN)
