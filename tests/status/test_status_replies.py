"""Replies for every status, with and without the second factor; privacy of personal data."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from status_test_support import ANCHOR, one_per_status

from dossier_lookup.privacy import find_second_factor, mask_name, second_factor_matches
from dossier_lookup.replies import render_dossier
from status_client.client import OneStopClient
from status_client.models import Dossier, DossierStatus
from wording.status import STATUS_WORDING

DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
NEXT_STEP = {
    DossierStatus.RECEIVING: "chưa cần làm gì",
    DossierStatus.NEW: "chờ đến ngày hẹn trả",
    DossierStatus.PROCESSING: "chờ đến ngày hẹn trả",
    DossierStatus.WAITING: "mang giấy tờ bổ sung đến Bộ phận Tiếp nhận và Trả kết quả",
    DossierStatus.PAYING: "số tiền cần nộp",
    DossierStatus.DENIED: "nộp lại",
    DossierStatus.CANCELLED: "nộp hồ sơ mới",
    DossierStatus.UNRESOLVED: "để biết lý do",
    DossierStatus.RELEASING: "đến nhận kết quả tại Bộ phận Tiếp nhận và Trả kết quả",
    DossierStatus.DONE: "đã hoàn tất",
}


def leaks(dossier: Dossier, text: str) -> list[str]:
    """Personal data found in `text`."""
    found = []
    assert dossier.phone and dossier.id_number
    local_phone = "0" + dossier.phone[3:]
    for secret in (dossier.applicant_name, dossier.id_number, dossier.phone, local_phone):
        if secret in text:
            found.append(secret)
    names = dossier.applicant_name.split()  # the family name too (issue 9.2)
    found += [name for name in names if re.search(rf"\b{name}\b", text)]
    return found


async def test_every_status_gets_plain_words_a_next_step_and_no_personal_data(
    client: OneStopClient,
) -> None:
    for status, dossier in (await one_per_status(client)).items():
        text = render_dossier(dossier, now=ANCHOR)
        assert dossier.procedure_name in text
        assert f"Trạng thái: {STATUS_WORDING[status].label}." in text
        assert NEXT_STEP[status] in text, (status, text)
        assert mask_name(dossier.applicant_name) not in text and "Người nộp" not in text
        assert DATE.search(text)
        assert not leaks(dossier, text), (status, text)
        assert "Quá trình xử lý" not in text


async def test_the_second_factor_adds_history_and_fees(client: OneStopClient) -> None:
    dossiers = await one_per_status(client)
    paying = dossiers[DossierStatus.PAYING]
    text = render_dossier(paying, now=ANCHOR, verified=True)
    assert "Quá trình xử lý" in text and "Các khoản cần nộp" in text and " đ" in text
    assert not leaks(paying, text)  # even verified, the reply does not echo personal data
    waiting = dossiers[DossierStatus.WAITING]
    verified = render_dossier(waiting, now=ANCHOR, verified=True)
    assert waiting.supplements_requested[0] in verified
    assert waiting.supplements_requested[0] not in render_dossier(waiting, now=ANCHOR)


async def test_dates_and_overdue(client: OneStopClient) -> None:
    dossier = (await one_per_status(client))[DossierStatus.PROCESSING]
    assert dossier.due_at is not None and dossier.received_at is not None
    on_time = render_dossier(dossier, now=dossier.due_at - timedelta(hours=1))
    assert dossier.due_at.strftime("%d/%m/%Y") in on_time
    assert dossier.received_at.strftime("%d/%m/%Y") in on_time
    assert "quá hạn" not in on_time
    late = render_dossier(dossier, now=dossier.due_at + timedelta(days=7))
    assert "đã quá hạn" in late and "ngày làm việc" in late
    done = replace(dossier, status=DossierStatus.DONE, returned_at=dossier.due_at)
    assert "quá hạn" not in render_dossier(done, now=dossier.due_at + timedelta(days=7))


@pytest.mark.parametrize(
    ("full", "masked"),
    [("Nguyễn Văn An", "N. V. A."), ("Lê Thị Minh Khai", "L. T. M. K."), ("Bảo", "B.")],
)
def test_names_are_masked(full: str, masked: str) -> None:
    assert mask_name(full) == masked


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("1234", "1234"),
        ("4 số cuối CCCD là 1234", "1234"),
        ("so cuoi dien thoai 5678", "5678"),
        ("hồ sơ 000.00.06.H56-231027-0361, số cuối cccd 4321", "4321"),
        ("hồ sơ 000.00.06.H56-231027-0361", None),
        ("nộp năm 2024 mà chưa xong", None),
        ("CCCD 1234 hay 5678", None),
    ],
)
def test_second_factor_is_found_only_when_offered(text: str, digits: str | None) -> None:
    assert find_second_factor(text) == digits


async def test_second_factor_matches_the_id_number_only(client: OneStopClient) -> None:
    dossier = (await one_per_status(client))[DossierStatus.PAYING]
    assert dossier.id_number and dossier.phone
    assert dossier.id_number[-4:] != dossier.phone[-4:]
    assert second_factor_matches(dossier, dossier.id_number[-4:])
    assert not second_factor_matches(dossier, dossier.phone[-4:])  # the phone is no factor
    wrong = f"{(int(dossier.id_number[-4:]) + 1) % 10000:04d}"
    assert not second_factor_matches(dossier, wrong)
