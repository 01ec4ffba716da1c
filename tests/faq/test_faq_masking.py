"""faq.masking: personal data never reaches the unanswered-questions table."""

from __future__ import annotations

import pytest

from faq.masking import (
    CODE,
    DIGITS,
    EMAIL,
    ID_NUMBER,
    MAX_CHARS,
    PHONE,
    mask_personal,
    without_placeholders,
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("gọi cho tôi 0912345678 nhé", f"gọi cho tôi {PHONE} nhé"),
        ("sđt +84 912 345 678", f"sđt {PHONE}"),
        ("số em 091.234.5678 ạ", f"số em {PHONE} ạ"),
        ("84912345678", PHONE),
        ("hồ sơ 000.00.06.H56-231027-0361 sao rồi", f"hồ sơ {CODE} sao rồi"),
        ("000 00 06 h56 231027 0361", CODE),
        ("ma 00000006H562310270361 a", f"ma {CODE} a"),
        ("hồ sơ 000.00.06.H56-231399-0361 sai ngày vẫn che", f"hồ sơ {CODE} sai ngày vẫn che"),
        ("CCCD của tôi 001099012345", f"CCCD của tôi {ID_NUMBER}"),
        ("cmnd 123456789 hết hạn", f"cmnd {ID_NUMBER} hết hạn"),
        ("cmnd 123.456.789", f"cmnd {ID_NUMBER}"),
        ("email nguyen.van.a+hs@gmail.com.vn", f"email {EMAIL}"),
        ("mã xác nhận 123456 không tới", f"mã xác nhận {DIGITS} không tới"),
        ("tài khoản 19036612345678", f"tài khoản {DIGITS}"),
        ("ｃｃｃｄ ００１０９９０１２３４５", f"cccd {ID_NUMBER}"),  # full-width
    ],
)
def test_each_kind_of_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "lệ phí 50.000 đồng hay 1,500,000đ",
        "năm 2024 làm khai sinh",
        "thủ tục 1.001193 cần gì",  # a national procedure code is not personal
        "ngày 12/10 nộp",
        "nộp 2 bản sao, 3 ảnh 4x6",
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert mask_personal(text) == text


def test_long_text_is_cut_and_spaces_tidied() -> None:
    assert mask_personal("  a \n b  ") == "a b"
    assert len(mask_personal("x" * 5000)) == MAX_CHARS


def test_placeholders_can_be_left_out() -> None:
    masked = mask_personal("gọi 0912345678 hoặc mail a@b.vn về hồ sơ 000.00.06.H56-231027-0361")

    assert without_placeholders(masked) == "gọi hoặc mail về hồ sơ"
