"""Answers rendered from real national records of the snapshot, with the province's layer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from catalog.answers import MAX_ANSWER_CHARS, Aspect, aspect_for_intent, aspect_for_text
from catalog.answers_service import Subject, render
from catalog.loader import LoadedEntry
from catalog.national.export import SNAPSHOT, NationalExport, read_export
from catalog.national.models import NationalProcedure
from catalog.national.record import read_record
from catalog.national.text import clip, drop_district, short_steps
from catalog.store import procedure_from_entry
from catalog.successors import current_code, successor_of

NATIONAL = "Theo Cổng Dịch vụ công quốc gia, cập nhật 18/07/2026."


@pytest.fixture(scope="module")
def snapshot() -> NationalExport:
    return read_export(SNAPSHOT)


@pytest.fixture
def subject(snapshot: NationalExport, content: list[LoadedEntry]) -> Callable[..., Subject]:
    local = {item.entry.code: item.entry for item in content}

    def build(code: str, *, with_local: bool = True) -> Subject:
        current = current_code(code)
        detail = snapshot.details.get(current)
        listing = snapshot.listing.get(current)
        record = detail or listing
        row = None
        if record is not None:
            row = NationalProcedure(code=current, name=record["name"], detailed=bool(detail),
                                    record=record, fetched_on=date(2026, 7, 18))  # fmt: skip
        entry = local.get(current) if with_local else None
        return Subject(
            current,
            read_record(row) if row is not None else None,
            procedure_from_entry(entry) if entry else None,
            successor_of(code),
        )

    return build


def test_residence_asks_which_case_then_answers_that_case(subject: Callable[..., Subject]) -> None:
    residence = subject("1.004222")
    asked = render(residence, Aspect.DOCUMENTS)
    assert "Trường hợp của bạn là" in asked.text and NATIONAL in asked.text
    names = [case.name for case in asked.cases]
    assert len(names) == 6
    assert names[-1] == "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ"
    renting = render(residence, Aspect.DOCUMENTS, case=6)
    assert renting.case == 6 and not renting.cases
    assert "Trường hợp: Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in renting.text
    assert "1. Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ" in renting.text
    assert "(1 bản chính)" in renting.text and NATIONAL in renting.text
    # A case number the record does not have asks again.
    assert render(residence, Aspect.DOCUMENTS, case=9).cases


def test_fees_per_way_of_filing_and_the_local_override_shown(
    subject: Callable[..., Subject],
) -> None:
    national = render(subject("1.004222", with_local=False), Aspect.FEE).text
    assert "• Nộp trực tuyến: 10.000 đồng" in national
    assert "• Nộp trực tiếp: 20.000 đồng" in national and NATIONAL in national
    local = render(subject("1.004222"), Aspect.FEE).text
    assert "VNeID mức 2: miễn phí (Miễn lệ phí từ 15/08/2026 đến hết 28/02/2027)" in local
    assert "Theo thông tin của tỉnh (Thông tư 117/2026" in local
    assert "thay cho thông tin trên Cổng Dịch vụ công quốc gia" in local
    # Other parts still come from the national record.
    assert NATIONAL in render(subject("1.004222"), Aspect.TIME).text


def test_the_corrections_come_out_of_the_records(subject: Callable[..., Subject]) -> None:
    house = render(subject("1.013225"), Aspect.TIME).text
    assert "7 ngày làm việc đối với nhà ở riêng lẻ" in house
    where = render(subject("1.013225"), Aspect.WHERE).text
    assert "Cơ quan thực hiện: Ủy ban nhân dân cấp xã." in where
    marriage = subject("1.000894")
    documents = render(marriage, Aspect.DOCUMENTS).text
    assert "Tờ khai đăng ký kết hôn" in documents and "tình trạng hôn nhân" not in documents
    assert (
        "Nộp trực tuyến, qua bưu chính, trực tiếp: 1 ngày làm việc"
        in render(marriage, Aspect.TIME).text
    )
    assert "Miễn lệ phí" in render(marriage, Aspect.FEE).text
    birth = render(subject("1.001193"), Aspect.FEE).text
    assert "miễn phí" in birth and "8.000 đồng" in birth
    assert "Ủy ban nhân dân cấp xã" in render(subject("1.001193"), Aspect.WHERE).text
    temporary = render(subject("1.004194"), Aspect.FEE).text
    assert "15.000 đồng" in temporary and "7.000 đồng" in temporary


def test_listed_only_says_what_is_known_and_no_more(subject: Callable[..., Subject]) -> None:
    copy = render(subject("2.000815", with_local=False), Aspect.DOCUMENTS).text
    assert copy.startswith("Chứng thực bản sao từ bản chính giấy tờ") and "(mã 2.000815)" in copy
    assert "Cơ quan thực hiện: Cơ quan đại diện có thẩm quyền, Tổ chức hành nghề công chứng" in copy
    assert "Chi tiết chưa có trong dữ liệu của trợ lý" in copy
    assert "ma_thu_tuc=" in copy and NATIONAL in copy
    with_fees = render(subject("2.000815"), Aspect.FEE).text
    assert "2.000 đồng" in with_fees and "Thông tư 226/2016/TT-BTC" in with_fees


def test_an_old_code_leads_to_its_successor_with_the_decision(
    subject: Callable[..., Subject],
) -> None:
    land = render(subject("1.012814"), Aspect.WHERE)
    assert land.code == "1.013978"
    assert land.text.startswith("Thủ tục mã 1.012814 đã được thay bằng mã 1.013978")
    assert "Nghị định 151/2025/NĐ-CP" in land.text and "cấp xã" in land.text
    newborn = render(subject("2.000986"), Aspect.ONLINE).text
    assert "mã 3.000722" in newborn and "toàn trình" in newborn
    assert current_code("2.002622") == "2.002913" and current_code("1.012765") == "1.013831"


def test_fees_in_another_currency_and_ways_said_once(subject: Callable[..., Subject]) -> None:
    consular = render(subject("2.000698"), Aspect.FEE).text
    assert "• Nộp trực tiếp: 20 USD" in consular and "20 đồng" not in consular
    land = subject("1.115345")  # two sets of ways with different times
    times = render(land, Aspect.TIME).text
    assert "12,5 ngày làm việc (Trường hợp quy định tại các điểm a" in times
    assert "16,5 ngày làm việc (Trường hợp quy định tại điểm h" in times
    where = render(land, Aspect.WHERE).text
    assert "Cách nộp: trực tiếp, trực tuyến, qua bưu chính." in where


def test_steps_are_short_and_numbered(subject: Callable[..., Subject]) -> None:
    steps = render(subject("1.004222"), Aspect.STEPS).text.split("\n")
    numbered = [line for line in steps if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert numbered[0] == "1. Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật."
    assert numbered[1] == "2. Cá nhân, tổ chức nộp hồ sơ đến Công an cấp xã."
    assert 4 <= len(numbered) <= 7 and all(len(line) <= 180 for line in numbered)


def test_every_detailed_record_answers_every_aspect_within_limits(
    snapshot: NationalExport, subject: Callable[..., Subject]
) -> None:
    for code in sorted(snapshot.details):
        procedure = subject(code)
        for aspect in Aspect:
            answer = render(procedure, aspect)
            assert 0 < len(answer.text) <= MAX_ANSWER_CHARS, (code, aspect)
            assert "cấp huyện" not in answer.text.casefold(), (code, aspect)
            assert f"(mã {procedure.code})" in answer.text, (code, aspect)
            assert "Theo " in answer.text, (code, aspect)
            # One stop per sentence we write, whatever stops the portal's texts end with
            # (steps and documents are its own sentences, doubled stops included).
            assert ". (mã" not in answer.text and ". (cấp" not in answer.text, (code, aspect)
            if aspect in (Aspect.FEE, Aspect.TIME, Aspect.WHERE):
                for line in answer.text.replace("...", "…").split("\n"):
                    assert not line.endswith(("..", "….")), (code, aspect, line)


def test_text_helpers() -> None:
    text = "Bước 1: Nộp hồ sơ. Chi tiết.\n Bước 2: Nhận kết quả.\n+ ý phụ\n- Trả phí"
    assert short_steps([text]) == ["Nộp hồ sơ. Chi tiết.", "Nhận kết quả.", "Trả phí"]
    assert clip("- một hai ba bốn năm", 12) == "một hai ba…"
    assert drop_district("Nộp tại xã. Hoặc UBND cấp huyện. Xong.") == "Nộp tại xã. Xong."


def test_aspects_from_intents_and_words() -> None:
    assert aspect_for_intent("ask_fee") is Aspect.FEE
    assert aspect_for_intent("nlu_fallback") is Aspect.DOCUMENTS
    assert aspect_for_text("ask_documents", "căn cứ pháp lý của khai sinh") is Aspect.LEGAL
