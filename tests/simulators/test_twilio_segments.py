"""How many SMS segments a body costs: GSM-7 160/153, UCS-2 70/67, no split escapes/surrogates."""

from __future__ import annotations

import pytest

from simulators.twilio import count_segments, encoding_of

# A notification written without diacritics, as the notifier sends by default.
PLAIN = "Ho so 000.00.06.H56-231027-0361 da co ket qua. Moi ong/ba den Bo phan Mot cua nhan."
ACCENTED = "Hồ sơ 000.00.06.H56-231027-0361 đã có kết quả. Mời ông/bà đến Bộ phận Một cửa nhận."


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (PLAIN, "GSM-7"),
        (ACCENTED, "UCS-2"),
        ("Phí: 20.000đ", "UCS-2"),  # đ is not in GSM 03.38
        ("Café à Paris €5 {ok}", "GSM-7"),  # é, à are basic; € and braces are extension
        ("Xin chào 👋", "UCS-2"),
    ],
)
def test_encoding(body: str, encoding: str) -> None:
    assert encoding_of(body) == encoding


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # 160 septets: each extension character costs two
        ("€" * 81, 2),  # 162 septets
        ("€" * 153, 3),  # 306 septets, but only 76 escape pairs fit in 153
        ("a" * 152 + "€" + "a" * 10, 2),  # the escape pair moves whole to segment 2
        ("ồ" * 70, 1),
        ("ồ" * 71, 2),
        ("ồ" * 134, 2),
        ("ồ" * 135, 3),
        ("😀" * 35, 1),  # 70 UTF-16 code units
        ("a" * 66 + "😀" + "a" * 66, 3),  # a surrogate pair is never split
    ],
)
def test_segments(body: str, segments: int) -> None:
    assert count_segments(body) == segments


def test_vietnamese_notification_costs_more_with_diacritics() -> None:
    long_plain = PLAIN + " Han tra: 15/11/2024. Le phi: 20.000 dong. Tra loi HUY de ngung."
    long_accented = ACCENTED + " Hạn trả: 15/11/2024. Lệ phí: 20.000 đồng."
    assert len(long_plain) <= 160 and count_segments(long_plain) == 1
    assert 70 < len(long_accented) <= 134 and count_segments(long_accented) == 2
