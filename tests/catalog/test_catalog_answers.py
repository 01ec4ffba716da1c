"""Answers say what a citizen needs: original or copy, how many, fees in đồng, caveats."""

from __future__ import annotations

import pytest
from catalog_builders import stored_procedure
from sqlalchemy.orm import Session

from catalog.answers import (
    MAX_ANSWER_CHARS,
    Aspect,
    aspect_for_intent,
    format_vnd,
    render_answer,
)
from catalog.loader import LoadedEntry
from catalog.store import import_entries


@pytest.fixture
def catalog(session: Session, content: list[LoadedEntry]) -> Session:
    import_entries(session, content)
    return session


def test_documents_say_original_copy_or_shown_and_how_many(catalog: Session) -> None:
    text = render_answer(stored_procedure(catalog, code="1.001193"), Aspect.DOCUMENTS)
    assert "1. Tờ khai đăng ký khai sinh: nộp 1 bản chính." in text
    assert "2. Giấy chứng sinh: nộp 1 bản chính." in text
    assert "xuất trình bản chính để đối chiếu (không phải nộp)" in text
    assert "Thông tư 04/2020/TT-BTP" in text  # the form
    assert "giấy cam đoan" in text  # the condition
    marriage = render_answer(stored_procedure(catalog, code="1.000894"), Aspect.DOCUMENTS)
    assert "xuất trình 2 bản chính" in marriage
    residence = render_answer(stored_procedure(catalog, code="1.004222"), Aspect.DOCUMENTS)
    assert "nộp 1 bản chính hoặc bản sao" in residence


def test_fee_answer(catalog: Session) -> None:
    text = render_answer(stored_procedure(catalog, code="1.004222"), Aspect.FEE)
    assert "nộp trực tiếp: 20.000 đồng" in text and "nộp trực tuyến: 10.000 đồng" in text
    free = render_answer(stored_procedure(catalog, code="1.000894"), Aspect.FEE)
    assert "miễn phí" in free
    assert "cần xác nhận lại tại bộ phận một cửa" in free  # FACTS: unchecked
    varies = render_answer(stored_procedure(catalog, code="1.013225"), Aspect.FEE)
    assert "mức thu tùy địa phương" in varies
    assert format_vnd(200000) == "200.000 đồng"


def test_time_where_online_and_steps(catalog: Session) -> None:
    birth = stored_procedure(catalog, code="1.001193")
    assert "1 ngày làm việc" in render_answer(birth, Aspect.TIME)
    assert "sau 15 giờ" in render_answer(birth, Aspect.TIME)
    where = render_answer(birth, Aspect.WHERE)
    assert "Ủy ban nhân dân cấp xã" in where and "ma_thu_tuc=1.001193" in where
    assert "một phần" in render_answer(birth, Aspect.ONLINE)
    copy = stored_procedure(catalog, code="2.000815")
    assert "chỉ làm trực tiếp" in render_answer(copy, Aspect.ONLINE)
    assert "giải quyết trong ngày" in render_answer(copy, Aspect.TIME)
    land = stored_procedure(catalog, code="1.012765")
    assert "toàn trình" in render_answer(land, Aspect.ONLINE)
    steps = render_answer(birth, Aspect.STEPS)
    assert steps.count("\n1. ") == 1 and "\n4. " in steps


def test_confirmed_parts_carry_no_caveat_and_hints_name_other_aspects(catalog: Session) -> None:
    text = render_answer(stored_procedure(catalog, code="1.004222"), Aspect.FEE)
    assert "xác nhận lại" not in text
    assert "Bạn có thể hỏi thêm về:" in text and "lệ phí," not in text.split("hỏi thêm về:")[1]


def test_every_answer_fits(catalog: Session, content: list[LoadedEntry]) -> None:
    for item in content:
        procedure = stored_procedure(catalog, code=item.entry.code)
        for aspect in Aspect:
            text = render_answer(procedure, aspect)
            assert 0 < len(text) <= MAX_ANSWER_CHARS, (item.entry.code, aspect)
            assert procedure.code in text


def test_intents_map_to_aspects() -> None:
    assert aspect_for_intent("ask_fee") is Aspect.FEE
    assert aspect_for_intent("ask_where_to_file") is Aspect.WHERE
    assert aspect_for_intent("nlu_fallback") is Aspect.DOCUMENTS
    assert aspect_for_intent(None) is Aspect.DOCUMENTS
