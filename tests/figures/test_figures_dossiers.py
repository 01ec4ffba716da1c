"""Figures from dossiers, on a small set built by hand whose answers are known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from office_figures.dossiers import (
    ALL_PROCEDURES,
    on_time_by_procedure,
    online_by_month,
    online_by_procedure,
    overdue_list,
)
from status_client.models import VIETNAM_TZ, Dossier, DossierStatus, FilingChannel
from testing.dossiers import a_dossier

# Wednesday 2026-11-25, 10:00 in Vietnam.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=VIETNAM_TZ)
DUE = datetime(2026, 11, 20, 17, 0, tzinfo=VIETNAM_TZ)  # Friday before: 3 working days ago
BIRTH = {"procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh"}
MARRIAGE = {"procedure_code": "1.000894", "procedure_name": "Đăng ký kết hôn"}


def finished(offset_hours: float, **fields: Any) -> Dossier:
    return a_dossier(
        DossierStatus.DONE,
        due_at=DUE,
        finished_at=DUE + timedelta(hours=offset_hours),
        returned_at=DUE + timedelta(hours=offset_hours + 1),
        **fields,
    )


def test_on_time_rate_counts_open_overdue_dossiers_as_late() -> None:
    dossiers = [
        finished(-5, **BIRTH),  # on time
        finished(0, **BIRTH),  # on the due moment: on time
        finished(+24, **BIRTH),  # late
        a_dossier(DossierStatus.PROCESSING, due_at=DUE, code="X-1", **BIRTH),  # open, late
        a_dossier(DossierStatus.PROCESSING, due_at=NOW + timedelta(days=3), **BIRTH),  # in time
        a_dossier(DossierStatus.DENIED, due_at=DUE, **BIRTH),  # refused: not counted
        finished(-1, **MARRIAGE),
        a_dossier(DossierStatus.RECEIVING, due_at=None, **MARRIAGE),  # no due date yet
    ]
    figure = on_time_by_procedure(dossiers, NOW)
    rows = {row[1]: row for row in figure.rows}
    assert figure.rows[0][1] == ALL_PROCEDURES
    # code, name, on time, late finished, open overdue, rate
    assert rows["Đăng ký khai sinh"] == ("1.001193", "Đăng ký khai sinh", 2, 1, 1, 50.0)
    assert rows["Đăng ký kết hôn"] == ("1.000894", "Đăng ký kết hôn", 1, 0, 0, 100.0)
    assert rows[ALL_PROCEDURES][2:] == (3, 1, 1, 60.0)
    assert figure.extra == {"on_time_rate": 60.0, "overdue_open": 1}


def test_on_time_rate_is_empty_not_zero_when_nothing_is_due() -> None:
    figure = on_time_by_procedure([a_dossier(due_at=NOW + timedelta(days=9))], NOW)
    assert figure.rows[0][2:] == (0, 0, 0, None)
    assert figure.text_rows()[0][-1] == "–"


def test_overdue_list_masks_applicants_and_counts_working_days() -> None:
    dossiers = [
        a_dossier(DossierStatus.WAITING, code="A-2", due_at=DUE, applicant_name="Trần Thị Bích"),
        a_dossier(
            DossierStatus.PROCESSING,
            code="A-1",
            due_at=DUE - timedelta(days=7),
            applicant_name="Nguyễn Văn An",
            phone="+84912345678",
        ),
        a_dossier(DossierStatus.RELEASING, code="A-3", due_at=DUE),  # result ready: not late
        a_dossier(DossierStatus.PROCESSING, code="A-4", due_at=NOW + timedelta(hours=1)),
        finished(+24, code="A-5"),
    ]
    figure = overdue_list(dossiers, NOW)
    assert [row[0] for row in figure.rows] == ["A-1", "A-2"]  # the latest first
    first, second = figure.rows
    assert first[2] == "Đang xử lý" and second[2] == "Chờ bổ sung"
    # Due Fri 13/11: Mon 16 … Wed 25 are 8 working days; due Fri 20/11: Mon 23 … Wed 25 are 3.
    assert first[4] == 8 and second[4] == 3
    assert first[5] == "N. V. A." and second[5] == "T. T. B."
    text = repr(figure.rows) + repr(figure.as_json())
    assert "Nguyễn" not in text and "Bích" not in text and "912345678" not in text
    assert figure.extra == {"count": 2}


def test_online_share_per_procedure_and_month() -> None:
    def filed(channel: FilingChannel | None, day: str, **fields: Any) -> Dossier:
        at = datetime.fromisoformat(day).replace(tzinfo=VIETNAM_TZ)
        return a_dossier(channel=channel, submitted_at=at, **fields)

    dossiers = [
        filed(FilingChannel.ONLINE, "2026-10-03T09:00", **BIRTH),
        filed(FilingChannel.IN_PERSON, "2026-10-31T23:30", **BIRTH),  # still October here
        filed(FilingChannel.POST, "2026-11-02T08:00", **BIRTH),
        filed(FilingChannel.ONLINE, "2026-11-05T08:00", **MARRIAGE),
        filed(None, "2026-11-06T08:00", **MARRIAGE),  # an old record: channel unknown
    ]
    by_procedure = {row[0]: row for row in online_by_procedure(dossiers).rows}
    # label, online, in person, post, unknown, online share of the known
    assert by_procedure[ALL_PROCEDURES] == (ALL_PROCEDURES, 2, 1, 1, 1, 50.0)
    assert by_procedure["Đăng ký khai sinh"][1:] == (1, 1, 1, 0, 33.3)
    assert by_procedure["Đăng ký kết hôn"][1:] == (1, 0, 0, 1, 100.0)
    by_month = online_by_month(dossiers).rows
    assert by_month == [("10/2026", 1, 1, 0, 0, 50.0), ("11/2026", 1, 0, 1, 1, 50.0)]


def test_month_is_the_vietnam_month_of_submission() -> None:
    utc_evening = datetime(2026, 9, 30, 18, 0, tzinfo=UTC)  # 01:00 on 1 October in Vietnam
    rows = online_by_month([a_dossier(channel=FilingChannel.ONLINE, submitted_at=utc_evening)]).rows
    assert rows == [("10/2026", 1, 0, 0, 0, 100.0)]
