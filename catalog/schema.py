"""The shape of one procedure in the YAML content, validated before anything is imported."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "CODE_PATTERN",
    "UNCONFIRMABLE",
    "DocumentEntry",
    "FeeEntry",
    "BundleMemberEntry",
    "ProcedureEntry",
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

NonEmpty = Field(min_length=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DocumentEntry(_Strict):
    """One required document: bản chính / bản sao / either / xuất trình, and how many."""

    name: str = NonEmpty
    kind: Literal["original", "copy", "either", "shown"]
    count: int = Field(default=1, ge=0, le=20)
    form: str | None = None
    condition: str | None = None


class FeeEntry(_Strict):
    """A fee; `amount_vnd` None means it varies (set by the province) or is not known."""

    description: str = NonEmpty
    amount_vnd: int | None = Field(default=None, ge=0)
    condition: str | None = None


class BundleMemberEntry(_Strict):
    """A procedure carried out inside a bundle (liên thông)."""

    name: str = NonEmpty
    code: str | None = None
    agency: str | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        if value is not None and not CODE_PATTERN.match(value):
            raise ValueError('must look like "1.001193" (quoted in YAML)')
        return value


class ProcedureEntry(_Strict):
    """One procedure of the province's layer (`catalog/content/*.yml`).

    The national record is the base; every field set here is the province's own and
    overrides the national one (answers say so). `name` is the name staff and citizens
    know it by (answers show the national official name when there is a record);
    `source` cites what the local fields come from (a page or a decision).
    """

    code: str
    name: str = NonEmpty
    field: str | None = None
    level: str | None = None
    agency: str | None = None
    office_address: str | None = None
    office_hours: str | None = None
    note: str | None = None
    processing_days: float | None = Field(default=None, ge=0)
    processing_note: str | None = None
    online_level: Literal["toan_trinh", "mot_phan", "truc_tiep"] | None = None
    legal_basis: list[str] = []
    source: str = NonEmpty
    checked_on: date
    popularity: int = 0
    aliases: list[str] = []
    documents: list[DocumentEntry] = []
    fees: list[FeeEntry] = []
    steps: list[str] = []
    bundle_members: list[BundleMemberEntry] = []
    unconfirmed: list[str] = []
    unconfirmed_note: str | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise ValueError('must look like "1.001193" (quoted in YAML)')
        return value

    @field_validator("unconfirmed")
    @classmethod
    def _known_parts(cls, value: list[str]) -> list[str]:
        unknown = [part for part in value if part not in UNCONFIRMABLE]
        if unknown:
            raise ValueError(f"unknown part(s) {unknown}; use some of {list(UNCONFIRMABLE)}")
        return value

    @field_validator("aliases")
    @classmethod
    def _distinct_aliases(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in value:
            if not alias.strip():
                raise ValueError("an alias is empty")
            if alias in seen:
                raise ValueError(f"alias {alias!r} appears twice")
            seen.add(alias)
        return value

    @model_validator(mode="after")
    def _note_with_unconfirmed(self) -> ProcedureEntry:
        if self.unconfirmed and not self.unconfirmed_note:
            raise ValueError("unconfirmed parts need an unconfirmed_note saying why")
        return self
