"""The shape of one procedure in the YAML content, validated before anything is imported."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from catalog.office_hours import check_office_hours

__all__ = [
    "CODE_PATTERN",
    "UNCONFIRMABLE",
    "DocumentEntry",
    "FeeEntry",
    "BundleMemberEntry",
    "ProcedureEntry",
    "MAX_FEE_VND",
    "MAX_TEXT",
]

CODE_PATTERN = re.compile(r"^\d\.\d{6}$")
# The parts of an entry that can be marked "not confirmed in a source".
UNCONFIRMABLE = (
    "name",
    "agency",
    "documents",
    "fees",
    "processing_time",
    "online_level",
    "steps",
    "legal_basis",
    "bundle_members",
)

# Lengths the database columns hold; free text is capped so that one entry stays readable.
MAX_TEXT = 4000
MAX_FEE_VND = 1_000_000_000  # a local fee above this is a typo (and overflows the column)
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Alias = Annotated[str, Field(max_length=300)]


def _code_error() -> PydanticCustomError:
    return PydanticCustomError("code_shape", 'must look like "1.001193" (quoted in YAML)')


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DocumentEntry(_Strict):
    """One required document: bản chính / bản sao / either / xuất trình, and how many."""

    name: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: Literal["original", "copy", "either", "shown"]
    count: int = Field(default=1, ge=0, le=20)
    form: str | None = Field(default=None, max_length=300)
    condition: Text | None = None


class FeeEntry(_Strict):
    """A fee; `amount_vnd` None means it varies (set by the province) or is not known."""

    description: str = Field(min_length=1, max_length=MAX_TEXT)
    amount_vnd: int | None = Field(default=None, ge=0, le=MAX_FEE_VND)
    condition: Text | None = None


class BundleMemberEntry(_Strict):
    """A procedure carried out inside a bundle (liên thông)."""

    name: str = Field(min_length=1, max_length=500)
    code: str | None = None
    agency: str | None = Field(default=None, max_length=300)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        if value is not None and not CODE_PATTERN.match(value):
            raise _code_error()
        return value


class ProcedureEntry(_Strict):
    """One procedure of the province's layer (`catalog/content/*.yml`).

    The national record is the base; every field set here is the province's own and
    overrides the national one (answers say so). `name` is the name staff and citizens
    know it by (answers show the national official name when there is a record);
    `source` cites what the local fields come from (a page or a decision).
    """

    code: str
    name: str = Field(min_length=1, max_length=500)
    field: str | None = Field(default=None, max_length=200)
    level: str | None = Field(default=None, max_length=100)
    agency: Text | None = None
    office_address: Text | None = None
    office_hours: str | None = Field(default=None, max_length=500)
    note: Text | None = None
    processing_days: float | None = Field(default=None, ge=0, le=365)
    processing_note: Text | None = None
    online_level: Literal["toan_trinh", "mot_phan", "truc_tiep"] | None = None
    legal_basis: list[Text] = []
    source: str = Field(min_length=1, max_length=1000)
    checked_on: date
    popularity: int = Field(default=0, ge=0, le=1_000_000)
    aliases: list[Alias] = []
    documents: list[DocumentEntry] = []
    fees: list[FeeEntry] = []
    steps: list[Text] = []
    bundle_members: list[BundleMemberEntry] = []
    unconfirmed: list[str] = []
    unconfirmed_note: Text | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise _code_error()
        return value

    @field_validator("office_hours")
    @classmethod
    def _office_hours(cls, value: str | None) -> str | None:
        if value is not None:
            check_office_hours(value)
        return value

    @field_validator("unconfirmed")
    @classmethod
    def _known_parts(cls, value: list[str]) -> list[str]:
        unknown = [part for part in value if part not in UNCONFIRMABLE]
        if unknown:
            raise PydanticCustomError(
                "unknown_parts",
                "unknown part(s) {unknown}; use some of {known}",
                {"unknown": ", ".join(unknown), "known": ", ".join(UNCONFIRMABLE)},
            )
        return value

    @field_validator("aliases")
    @classmethod
    def _distinct_aliases(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in value:
            if not alias.strip():
                raise PydanticCustomError("alias_empty", "an alias is empty")
            if alias in seen:
                raise PydanticCustomError(
                    "alias_twice", "alias '{alias}' appears twice", {"alias": alias}
                )
            seen.add(alias)
        return value

    @model_validator(mode="after")
    def _note_with_unconfirmed(self) -> ProcedureEntry:
        if self.unconfirmed and not self.unconfirmed_note:
            raise PydanticCustomError(
                "unconfirmed_note", "unconfirmed parts need an unconfirmed_note saying why"
            )
        return self
