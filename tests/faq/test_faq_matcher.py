"""faq.matcher: folded, typo-tolerant matching of published FAQ entries, and its refresh."""

from __future__ import annotations

import time

import pytest

from faq.matcher import MATCH_SCORE, FaqIndex, FaqMatcher, FaqRecord
from testing.faq import matcher_cpu_ms

HOURS = FaqRecord(
    1,
    ("Bộ phận một cửa làm việc giờ nào?", "Giờ làm việc của bộ phận một cửa"),
    "Từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu.",
)
BIRTH_ONLINE = FaqRecord(
    2, ("Làm khai sinh online có được không?",), "Được, trên Cổng dịch vụ công.", "1.001193"
)
PAYMENT = FaqRecord(3, ("Nộp lệ phí bằng cách nào?",), "Tiền mặt hoặc chuyển khoản.")
PARKING = FaqRecord(4, ("Có chỗ gửi xe máy không?",), "Có, miễn phí.")
INDEX = FaqIndex([HOURS, BIRTH_ONLINE, PAYMENT, PARKING])


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("Bộ phận một cửa làm việc mấy giờ?", 1),
        ("bo phan mot cua lam viec may gio", 1),  # no diacritics
        ("gio lam viecc cua bo phan mot cua", 1),  # a typo
        ("cho em hỏi giờ làm việc bộ phận một cửa với ạ", 1),  # polite fillers
        ("làm khai sinh onlin được ko", 2),  # typo and chat abbreviation
        ("lam khaisinh online dc khong", 2),  # words typed together
        ("có chỗ gửi xe ko ạ", 4),
    ],
)
def test_a_question_asked_another_way_finds_its_entry(message: str, entry: int) -> None:
    found = INDEX.match(message)

    assert found is not None and found.entry_id == entry, found
    assert MATCH_SCORE <= found.score <= 1.0


@pytest.mark.parametrize(
    "message",
    [
        "khai sinh cần giấy tờ gì",  # the procedure, not the FAQ about doing it online
        "lệ phí bao nhiêu",  # "how much", not "how to pay"
        "đăng ký kết hôn",
        "cho mình hỏi với",  # fillers only
        "",
        "a" * 5000,
    ],
)
def test_a_different_question_finds_nothing(message: str) -> None:
    assert INDEX.match(message) is None


def test_the_match_says_which_entry_and_procedure() -> None:
    found = INDEX.match("khai sinh online được không")

    assert found is not None
    assert (found.answer, found.procedure_code) == (BIRTH_ONLINE.answer, "1.001193")
    assert found.question == BIRTH_ONLINE.questions[0]


def test_no_entries_match_nothing() -> None:
    assert FaqIndex([]).match("giờ làm việc") is None
    assert len(FaqIndex([FaqRecord(9, ("cho mình hỏi",), "x")])) == 0  # fillers only


def test_a_thousand_entries_cost_well_under_a_millisecond_a_message() -> None:
    records = [
        FaqRecord(n, (f"Thủ tục số {n} ở phường Hòa Khánh {n % 37} nộp chỗ nào",), "…")
        for n in range(1000)
    ]
    index = FaqIndex([*records, HOURS])
    messages = ["giờ làm việc bộ phận một cửa", "khai sinh cần gì", "nộp ở phường hoà khánh"]

    per_message_ms = matcher_cpu_ms(index, messages, rounds=100)

    assert index.match("giờ làm việc bộ phận một cửa") is not None
    assert per_message_ms < 2.0, f"{per_message_ms:.2f} ms per message"


class _Store:
    """A stand-in FAQ store: what the matcher reads, and how often."""

    def __init__(self) -> None:
        self.records: list[FaqRecord] = []
        self.version = 0
        self.version_reads = 0
        self.loads = 0

    def load(self, _session: object) -> list[FaqRecord]:
        self.loads += 1
        return list(self.records)

    def read_version(self, _session: object) -> int:
        self.version_reads += 1
        return self.version


def test_the_matcher_sees_a_change_after_its_check_interval_only() -> None:
    store = _Store()
    matcher = FaqMatcher(store.load, store.read_version, check_interval=0.2)
    session = None

    assert matcher.match(session, "giờ làm việc bộ phận một cửa") is None  # type: ignore[arg-type]
    store.records, store.version = [HOURS], 1
    for _ in range(50):
        matcher.match(session, "giờ làm việc bộ phận một cửa")  # type: ignore[arg-type]
    assert store.version_reads == 1  # no query per message

    time.sleep(0.25)
    found = matcher.match(session, "giờ làm việc bộ phận một cửa")  # type: ignore[arg-type]
    assert found is not None and found.entry_id == 1
    assert (store.version_reads, store.loads) == (2, 2)
    matcher.match(session, "giờ làm việc")  # type: ignore[arg-type]
    assert store.loads == 2  # same version: no reload
