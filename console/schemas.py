"""The console API's request and answer bodies (its OpenAPI description shows them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from console.roles import Role
from faq.models import FaqState

__all__ = [
    "AccountIn",
    "AccountList",
    "AccountOut",
    "AccountPatch",
    "AuditOut",
    "AuditPage",
    "Done",
    "FaqIn",
    "FaqList",
    "FaqOut",
    "FaqPatch",
    "LoggedIn",
    "LoginRequest",
]


class Done(BaseModel):
    """A change that answers no entry: what was done, in Vietnamese."""

    detail: str


class LoginRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class LoggedIn(BaseModel):
    """Send `csrf_token` as `X-CSRF-Token` with every change, with the session cookie."""

    csrf_token: str


class FaqIn(BaseModel):
    """A new entry; `state` "published" publishes it at once (both steps are logged)."""

    questions: list[str] = Field(max_length=200)
    answer: str = Field(max_length=20_000)
    procedure_code: str | None = Field(default=None, max_length=200)
    state: FaqState = FaqState.DRAFT


class FaqPatch(BaseModel):
    """Fields to change; those left out stay as they are."""

    questions: list[str] | None = Field(default=None, max_length=200)
    answer: str | None = Field(default=None, max_length=20_000)
    procedure_code: str | None = Field(default=None, max_length=200)
    state: FaqState | None = None


class FaqOut(BaseModel):
    """An FAQ entry; only `published` ones answer citizens."""

    id: int
    questions: list[str]
    answer: str
    procedure_code: str | None
    state: FaqState
    updated_at: datetime
    updated_by: str


class FaqList(BaseModel):
    entries: list[FaqOut]


class AuditOut(BaseModel):
    """One change: who (`actor`), when, what, the state before and after."""

    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reverted_by: int | None = Field(description="The audit entry of the revert, once undone")


class AuditPage(BaseModel):
    """Newest first; ask for `?before=next_before` for the next page (null: no more)."""

    entries: list[AuditOut]
    next_before: int | None


class AccountOut(BaseModel):
    """A staff account (never its password)."""

    id: int
    username: str
    role: Role
    active: bool


class AccountList(BaseModel):
    accounts: list[AccountOut]


class AccountIn(BaseModel):
    """A new account: 2-64 of a-z 0-9 . _ - for the name; 10 or more characters of password."""

    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)
    role: Role


class AccountPatch(BaseModel):
    """What to change; `active: false` disables the account and ends its sessions."""

    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, max_length=1000)
