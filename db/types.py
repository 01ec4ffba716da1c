"""Column types every table uses: UTC datetimes and string enums.

The database's one time convention: times are stored as naive UTC (`UtcDateTime`), so
that SQLite and PostgreSQL compare them the same way; the ORM hands out aware UTC
datetimes and accepts aware ones of any zone (naive values are taken to be UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["StrEnumType", "UtcDateTime", "utc"]

E = TypeVar("E", bound=StrEnum)


def utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (naive values are taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A datetime stored as naive UTC, read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class StrEnumType(TypeDecorator[E], Generic[E]):
    """A `StrEnum` stored as its value in a VARCHAR (no database enum type, no CHECK).

    Binding refuses a string that is not one of the values; reading hands out the member.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
