"""A realistic dossier for tests that need one without the one-stop simulator."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from status_client.models import Dossier, DossierStatus

__all__ = ["a_dossier"]

_BASE = Dossier(
    code="000.00.06.H56-231027-0361",
    procedure_code="1.001193",
    procedure_name="Đăng ký khai sinh",
    status=DossierStatus.PROCESSING,
    handling_unit="UBND phường Bến Nghé",
    submitted_at=None,
    received_at=datetime(2023, 10, 27, 2, 0, tzinfo=UTC),
    due_at=datetime(2099, 10, 30, 2, 0, tzinfo=UTC),
    returned_at=None,
    applicant_name="Nguyễn Văn An",
)


def a_dossier(status: DossierStatus = DossierStatus.PROCESSING, **changes: Any) -> Dossier:
    """A birth-registration dossier in `status`, with `changes` to its fields."""
    return replace(_BASE, status=status, **changes)
