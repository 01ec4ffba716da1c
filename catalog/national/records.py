"""Check national records and pick the fields the assistant answers from.

Every record is checked against the shape the portal documents; a problem is reported as
`RecordProblem(code, field, message)` (field as a dotted path, e.g.
`executionMethods.1.processingTime`) so that a bad export is fixed at its source. The
fields kept per procedure (`PROCEDURE_FIELDS`) are what the change report compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["PROCEDURE_FIELDS", "CheckedProcedure", "RecordProblem", "check_procedure"]

# National codes are "1.004222"; the list also holds a few the portal published
# otherwise ("1.0133611", "1.014955-Xoa"): kept as they are, they are what citizens see.
_CODE = re.compile(r"^\d{1,2}\.[0-9A-Za-z.\-]{1,29}$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class _Listing(_Record):
    code: str = Field(pattern=_CODE.pattern)
    name: str = Field(min_length=1)
    state: str
    type: str
    categories: list[str] = []
    departments: list[str] = []
    formalityTargetType: list[str] = []


class _Fee(_Record):
    type: str | None = None
    value: float | None = None
    description: str | None = ""


class _Method(_Record):
    submissionMethod: Literal["DIRECT", "ONLINE", "POSTAL"]
    # A number of `processingTimeUnit`s, or (unit OTHER) the portal's own words.
    processingTime: float | str | None = None
    processingTimeUnit: str | None = None
    description: str | None = ""
    fees: list[_Fee] = []


class _Document(_Record):
    name: str
    originalQty: int | None = 0
    copyQty: int | None = 0
    required: bool | None = None
    hasElectronicForm: bool | None = None


class _Case(_Record):
    name: str | None = ""
    profileComponents: list[_Document] = []


class _Step(_Record):
    name: str | None = ""
    description: str | None = ""


class _Named(_Record):
    code: str | None = None
    name: str


class _Detail(_Record):
    code: str = Field(pattern=_CODE.pattern)
    name: str = Field(min_length=1)
    updatedAt: int | None = None
    isWard: bool = False
    isProvince: bool = False
    isMinistry: bool = False
    isFullProcess: bool | None = None
    isOfflineOnly: bool | None = None
    executingAgencies: str | None = ""
    dossierReceivingAddresses: str | None = ""
    requirementsAndConditions: str | None = ""
    executionMethods: list[_Method] = []
    executionCases: list[_Case] = []
    profileComponents: list[_Document] = []
    executionSteps: list[_Step] = []
    resultsDetails: list[_Named] = []
    legalBasisesDetails: list[_Named] = []


# What the change report compares, in the order it names them.
PROCEDURE_FIELDS = (
    "name",
    "state",
    "type",
    "categories",
    "departments",
    "target",
    "level",
    "agencies",
    "receiving_addresses",
    "methods",
    "cases",
    "documents",
    "steps",
    "requirements",
    "results",
    "legal_bases",
    "online",
)


@dataclass(frozen=True)
class RecordProblem:
    """One thing wrong in one record."""

    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.field}: {self.message}"


@dataclass(frozen=True)
class CheckedProcedure:
    """A procedure that passed the checks: its comparable fields and its full record."""

    code: str
    name: str
    detailed: bool
    fields: dict[str, Any]
    record: dict[str, Any]
    updated_at_ms: int | None


def _level(detail: _Detail) -> str:
    if detail.isWard:
        return "commune"
    if detail.isProvince:
        return "province"
    return "ministry" if detail.isMinistry else "other"


def _detail_fields(detail: _Detail) -> dict[str, Any]:
    return {
        "level": _level(detail),
        "agencies": (detail.executingAgencies or "").strip(),
        "receiving_addresses": (detail.dossierReceivingAddresses or "").strip(),
        "methods": [m.model_dump() for m in detail.executionMethods],
        "cases": [c.model_dump() for c in detail.executionCases],
        "documents": [d.model_dump() for d in detail.profileComponents],
        "steps": [s.model_dump() for s in detail.executionSteps],
        "requirements": (detail.requirementsAndConditions or "").strip(),
        "results": [r.name for r in detail.resultsDetails],
        "legal_bases": [r.model_dump() for r in detail.legalBasisesDetails],
        "online": {"full": detail.isFullProcess, "offline_only": detail.isOfflineOnly},
    }


def _problems(code: str, error: ValidationError, prefix: str) -> list[RecordProblem]:
    return [
        RecordProblem(code, prefix + ".".join(str(p) for p in item["loc"]), item["msg"])
        for item in error.errors()
    ]


def check_procedure(
    code: str, listing: dict[str, Any] | None, detail: dict[str, Any] | None
) -> CheckedProcedure | list[RecordProblem]:
    """The checked procedure `code`, or every problem found in its records."""
    if listing is None:
        return [RecordProblem(code, "code", "a full record of a procedure the list lacks")]
    problems: list[RecordProblem] = []
    try:
        listed = _Listing.model_validate(listing)
    except ValidationError as error:
        problems += _problems(code, error, "")
    checked_detail: _Detail | None = None
    if detail is not None:
        try:
            checked_detail = _Detail.model_validate(detail)
        except ValidationError as error:
            problems += _problems(code, error, "details.")
        if checked_detail is not None and checked_detail.code != code:
            problems.append(RecordProblem(code, "details.code", f"is {checked_detail.code}"))
    if problems:
        return problems
    fields: dict[str, Any] = {
        "name": listed.name.strip(),
        "state": listed.state,
        "type": listed.type,
        "categories": listed.categories,
        "departments": listed.departments,
        "target": listed.formalityTargetType,
    }
    if checked_detail is not None:
        fields |= _detail_fields(checked_detail)
    return CheckedProcedure(
        code=code,
        name=listed.name.strip(),
        detailed=checked_detail is not None,
        fields=fields,
        record=detail if detail is not None else listing,
        updated_at_ms=checked_detail.updatedAt if checked_detail else None,
    )
