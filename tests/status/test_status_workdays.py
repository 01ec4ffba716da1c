"""Due dates in working days over weekends and holidays, and overdue computed from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from status_client.models import VIETNAM_TZ, Dossier, DossierStatus
from testing.dossiers import a_dossier
from workdays import add_working_days, due_date, is_working_day, working_days_between


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Tết Bính Ngọ 2026: off 16/2–20/2 (plus the weekends around it).
        ("2026-02-13T09:00", 1, date(2026, 2, 23)),
        ("2026-02-12T09:00", 3, date(2026, 2, 24)),
        # 30/4–1/5/2026 (Thu, Fri) then the weekend.
        ("2026-04-29T10:00", 1, date(2026, 5, 4)),
        # Giỗ Tổ 26/4/2026 is a Sunday: compensated on Monday 27/4.
        ("2026-04-24T10:00", 1, date(2026, 4, 28)),
        # Quốc khánh 2025: 1/9 and 2/9 off.
        ("2025-08-29T10:00", 1, date(2025, 9, 3)),
        # Saturday 26/4/2025 is a make-up working day; Friday 2/5/2025 is off.
        ("2025-04-25T10:00", 1, date(2025, 4, 26)),
        ("2025-04-29T10:00", 1, date(2025, 5, 5)),
        # After 15:00 counts from the next working day.
        ("2026-03-13T15:30", 1, date(2026, 3, 17)),
        ("2026-03-13T14:59", 1, date(2026, 3, 16)),
        # Same-day procedures filed on a Saturday are due Monday.
        ("2026-03-14T09:00", 0, date(2026, 3, 16)),
        # Đăng ký thường trú: 7 working days across the 2026 Tết holiday.
        ("2026-02-10T09:00", 7, date(2026, 2, 26)),
    ],
)
def test_due_dates_skip_weekends_and_holidays(received: str, days: int, due: date) -> None:
    assert due_date(at(received), days) == due


def test_holidays_and_makeup_days() -> None:
    assert not is_working_day(date(2026, 2, 17))  # mùng 1 Tết Bính Ngọ
    assert not is_working_day(date(2024, 4, 18))  # Giỗ Tổ 2024
    assert not is_working_day(date(2023, 1, 2))  # 1/1/2023 was a Sunday
    assert is_working_day(date(2024, 5, 4))  # a make-up Saturday
    assert is_working_day(date(2026, 3, 16))
    assert add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)


def test_overdue_counts_working_days_only() -> None:
    assert working_days_between(date(2026, 4, 29), date(2026, 5, 4)) == 1
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert working_days_between(date(2026, 5, 4), date(2026, 4, 29)) == 0


def _dossier(status: DossierStatus, due: datetime, returned: datetime | None = None) -> Dossier:
    return a_dossier(status, received_at=None, due_at=due, returned_at=returned)


def test_overdue_is_computed_from_the_due_date_never_a_status() -> None:
    due = datetime(2026, 5, 4, 17, 0, tzinfo=VIETNAM_TZ)
    processing = _dossier(DossierStatus.PROCESSING, due)
    assert not processing.is_overdue(datetime(2026, 5, 4, 16, 59, tzinfo=VIETNAM_TZ))
    assert processing.is_overdue(datetime(2026, 5, 4, 17, 1, tzinfo=VIETNAM_TZ))
    assert processing.is_overdue(datetime(2026, 5, 5, 8, 0))  # naive = Vietnam time
    for status in (DossierStatus.WAITING, DossierStatus.PAYING, DossierStatus.NEW):
        assert replace(processing, status=status).is_overdue(
            datetime(2026, 5, 6, tzinfo=VIETNAM_TZ)
        )
    for status in (DossierStatus.RELEASING, DossierStatus.DONE, DossierStatus.CANCELLED):
        assert not replace(processing, status=status).is_overdue(
            datetime(2026, 5, 6, tzinfo=VIETNAM_TZ)
        )
