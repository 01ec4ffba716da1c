"""Dossier lookup end to end: /api/chat → Rasa → action server → the one-stop simulator.

The session's stack (tests/e2e/conftest.py) runs the simulator as its own process; each
test picks seeded dossiers through the simulator's API, never by hard-coded codes.
Faults are switched on through `POST /_sim/faults` and always switched off afterwards.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from e2e_support import FRESH_OFFSET, Simulator, all_text, ask, is_overdue, vietnam_now, vn_date

from status_client.codes import EXAMPLE_CODE

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

APOLOGY_WITHIN_SECONDS = 3.0
# The apology names the one-stop system (the fallback's "Xin lỗi, tôi chưa hiểu" must not pass).
APOLOGY = re.compile(r"xin lỗi.*hệ thống một cửa.*thử lại", re.IGNORECASE | re.DOTALL)
ONE_STOP_DESK = "Bộ phận Tiếp nhận và Trả kết quả"
STACK_TRACE = re.compile(r"Traceback|Exception|Error\b|File \"", re.IGNORECASE)

# What a citizen must read for each national status: its plain meaning and the next step.
NEXT_STEP: dict[str, list[str]] = {
    "receiving": [r"chờ cán bộ tiếp nhận", r"chưa cần làm gì"],
    "new": [r"đã được tiếp nhận", r"chờ đến ngày hẹn trả"],
    "denied": [r"không được tiếp nhận", r"nộp lại"],
    "processing": [r"đang được xử lý", r"chờ đến ngày hẹn trả"],
    "waiting": [r"bổ sung giấy tờ", rf"mang giấy tờ bổ sung đến {ONE_STOP_DESK}"],
    "paying": [r"nghĩa vụ tài chính", r"số tiền cần nộp", r"\bNộp tại\b"],
    "cancelled": [r"rút", r"nộp hồ sơ mới"],
    "unresolved": [r"dừng xử lý", rf"liên hệ {ONE_STOP_DESK}"],
    "releasing": [r"đến nhận kết quả", ONE_STOP_DESK],
    "done": [r"đã trả kết quả", r"hoàn tất"],
}


# --- codes in the shapes people type ---------------------------------------------------


def shapes(code: str) -> dict[str, str]:
    """The same code as people type it: `000.20.30.H56-261007-0012` → lower case, ..."""
    unit, received, sequence = code.split("-")
    a, b, c, d = unit.split(".")
    return {
        "canonical": code,
        "lower case": code.lower(),
        "spaces": f"{a} {b} {c} {d.lower()} {received} {sequence}",
        "missing dots": f"{a}{b}{c}{d}-{received}-{sequence}",
        "no separators": f"{a}{b}{c}{d}{received}{sequence}",
        "sentence with diacritics": f"hồ sơ {code.lower()} của tôi đến đâu rồi ạ",
        "sentence without diacritics": f"ho so {a} {b} {c} {d} {received} {sequence} den dau roi",
        "sentence, code first": f"{a}.{b}.{c}.{d.lower()} {received} {sequence} xử lý xong chưa",
        "after a colon": f"mã hồ sơ của mình là: {a}{b}.{c}.{d}-{received}-{sequence}",
    }


SHAPES = list(shapes(EXAMPLE_CODE))


@pytest.mark.parametrize("shape", SHAPES)
async def test_code_in_every_shape_is_looked_up(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator, shape: str
) -> None:
    record = (await onestop.dossiers("processing", limit=1))[0]
    message = shapes(record["MaHoSo"])[shape]

    body = await ask(gateway, sender, message)

    assert body["intent"] == "ask_status", (message, body["intent"], body["confidence"])
    assert body["dossier_code"] == record["MaHoSo"], (message, body)
    assert body["dossier_status"] == "processing", (message, body)
    assert record["TenTTHC"] in all_text(body)


# --- every national status -------------------------------------------------------------


@pytest.mark.parametrize("status", list(NEXT_STEP))
async def test_every_status_gets_its_next_step(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator, status: str
) -> None:
    record = (await onestop.dossiers(status, limit=1))[0]

    body = await ask(gateway, sender, f"tra cứu hồ sơ {record['MaHoSo']}")

    text = all_text(body)
    assert body["dossier_code"] == record["MaHoSo"]
    assert body["dossier_status"] == status
    assert record["TenTTHC"] in text, "names the procedure"
    for expected in NEXT_STEP[status]:
        assert re.search(expected, text, re.IGNORECASE), (status, expected, text)
    received = vn_date(record["NgayTiepNhan"]) or vn_date(record["NgayNopHoSo"])
    assert received and received in text, (received, text)
    due = vn_date(record["NgayHenTra"])  # none before the dossier is accepted
    if due and status != "denied":
        assert f"Ngày hẹn trả: {due}" in text, (due, text)


async def test_overdue_dossier_says_so_and_a_timely_one_does_not(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    now = vietnam_now()
    records = await onestop.dossiers("processing", limit=FRESH_OFFSET)
    late = next(r for r in records if is_overdue(r, now))
    timely = next(
        r for r in records if r["NgayHenTra"] and r["NgayHenTra"] > now.strftime("%Y%m%d235959")
    )

    late_text = all_text(await ask(gateway, sender, f"hồ sơ {late['MaHoSo']}"))
    timely_text = all_text(await ask(gateway, sender, f"hồ sơ {timely['MaHoSo']}"))

    assert "quá hạn" in late_text, late_text
    assert "quá hạn" not in timely_text, timely_text


# --- unknown and malformed codes -------------------------------------------------------


async def test_unknown_code_gets_the_format_and_an_example(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    code = "000.00.06.H56-231027-9998"
    assert not await onestop.exists(code)

    body = await ask(gateway, sender, f"tra cứu hồ sơ {code}")

    text = all_text(body)
    assert body["intent"] == "ask_status"
    assert body.get("dossier_status") is None
    assert code in text
    assert EXAMPLE_CODE in text and "YYMMDD" in text, text


@pytest.mark.parametrize(
    "message",
    ["hồ sơ 000.00.06.H56-231027-036", "ma ho so 000 00 06 h56 231327 0361"],
    ids=["digit missing", "impossible date"],
)
async def test_near_miss_gets_the_format_and_an_example(
    gateway: httpx.AsyncClient, sender: str, message: str
) -> None:
    body = await ask(gateway, sender, message)

    text = all_text(body)
    assert body["intent"] == "ask_status", (message, body["intent"], body["confidence"])
    assert body.get("dossier_status") is None
    assert EXAMPLE_CODE in text and "định dạng" in text, text


# --- the one-stop system failing or hanging --------------------------------------------


async def timed_lookup(
    gateway: httpx.AsyncClient, sender: str, code: str
) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    body = await ask(gateway, sender, f"tra cứu hồ sơ {code}")
    return time.perf_counter() - start, body


@pytest.mark.parametrize(
    "faults",
    [{"error_rate": 1.0}, {"hang_rate": 1.0, "hang_ms": 20_000}, {"malformed_rate": 1.0}],
    ids=["failing", "hanging", "malformed"],
)
async def test_broken_system_gets_an_apology_within_3_seconds(
    gateway: httpx.AsyncClient, sender: str, faulty_onestop: Simulator, faults: dict[str, float]
) -> None:
    record = await faulty_onestop.fresh()
    await faulty_onestop.set_faults(**faults)

    elapsed, body = await timed_lookup(gateway, sender, record["MaHoSo"])

    text = all_text(body)
    assert body["intent"] == "ask_status"
    assert elapsed <= APOLOGY_WITHIN_SECONDS, f"{elapsed:.2f} s"
    assert APOLOGY.search(text), text
    assert body.get("dossier_status") is None
    assert not STACK_TRACE.search(text), text


async def test_a_fifth_of_calls_failing_still_answers_with_a_status(
    gateway: httpx.AsyncClient, sender: str, faulty_onestop: Simulator
) -> None:
    records = [await faulty_onestop.fresh() for _ in range(8)]
    await faulty_onestop.set_faults(error_rate=0.2, seed=3)

    bodies = [(await timed_lookup(gateway, sender, r["MaHoSo"]))[1] for r in records]

    statuses = [body.get("dossier_status") for body in bodies]
    assert statuses == [r["TrangThaiHoSo"] for r in records], statuses
