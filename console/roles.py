"""Staff roles (ordered: viewer < editor < admin) and the logged-in staff member."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Role", "Staff"]


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role may do what `needed` may."""
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        """The role's name as a clerk reads it."""
        return {"viewer": "Xem", "editor": "Biên tập", "admin": "Quản trị"}[self.value]


@dataclass(frozen=True)
class Staff:
    """Who is making a console request."""

    id: int
    username: str
    role: Role
