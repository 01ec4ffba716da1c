"""Dossier lookup end to end: /api/chat → Rasa → action server → the one-stop simulator.

The session's stack (tests/e2e/conftest.py) runs the simulator as its own process; each
test picks seeded dossiers through the simulator's API, never by hard-coded codes.
Faults are switched on through `POST /_sim/faults` and always switched off afterwards.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

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


# --- helpers ---------------------------------------------------------------------------


async def ask(gateway: httpx.AsyncClient, sender: str, message: str) -> dict[str, Any]:
    """POST /api/chat and return the body (200 with at least one reply)."""
    response = await gateway.post("/api/chat", json={"sender": sender, "message": message})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["replies"], body
    return body


def all_text(body: dict[str, Any]) -> str:
    return "\n".join(reply["text"] for reply in body["replies"])


def vn_date(stamp: str | None) -> str | None:
    """`yyyyMMddHHmmss` (the portal's format) → `dd/mm/yyyy` as the assistant writes it."""
    if not stamp:
        return None
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").strftime("%d/%m/%Y")


def is_overdue(record: dict[str, Any], now: datetime) -> bool:
    """Not returned and past the due date (the simulator's clock is Vietnam time)."""
    due = record["NgayHenTra"]
    closed = record["TrangThaiHoSo"] in {"done", "denied", "cancelled", "unresolved"}
    return bool(due) and not closed and datetime.strptime(due, "%Y%m%d%H%M%S") < now


def vietnam_now() -> datetime:
    """Now in Vietnam, naive (the portal's stamps carry no zone)."""
    return datetime.now(timezone(timedelta(hours=7))).replace(tzinfo=None)


# Codes handed out by `Simulator.fresh` this session (the action server caches lookups).
_TAKEN: set[str] = set()
# `fresh` draws from here on; the other tests use the first dossiers of each status.
_FRESH_OFFSET = 200


class Simulator:
    """The stack's one-stop simulator: seeded records by status, and its fault switch."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def dossiers(self, status: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"status": status, "limit": limit, "offset": offset}
        response = await self.http.get("/api/dossiers", params=params)
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        assert items, f"the simulator has no dossier in status {status} from {offset}"
        return items

    async def fresh(self, status: str = "processing") -> dict[str, Any]:
        """A dossier no earlier test asked about, so the answer cannot come from a cache."""
        for record in await self.dossiers(status, limit=300, offset=_FRESH_OFFSET):
            if record["MaHoSo"] not in _TAKEN:
                _TAKEN.add(record["MaHoSo"])
                return record
        raise AssertionError(f"ran out of fresh {status} dossiers")

    async def exists(self, code: str) -> bool:
        response = await self.http.get(f"/api/dossiers/{code}")
        return response.status_code == 200

    async def set_faults(self, **faults: float) -> None:
        (await self.http.post("/_sim/faults", json=faults)).raise_for_status()


@pytest.fixture
async def onestop(running_stack: Any) -> AsyncIterator[Simulator]:
    """The stack's simulator, fault-free before and after the test."""
    base_url = running_stack.settings.onestop_base_url
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as http:
        simulator = Simulator(http)
        await simulator.set_faults()
        yield simulator
        await simulator.set_faults()


@pytest.fixture
async def faulty_onestop(
    onestop: Simulator, gateway: httpx.AsyncClient
) -> AsyncIterator[Simulator]:
    """The simulator for a fault test; afterwards waits until lookups work again.

    Failed calls count toward the action server's circuit breaker; a later test must not
    meet an open breaker left behind by this one.
    """
    yield onestop
    await onestop.set_faults()
    probe = await onestop.fresh()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = await ask(gateway, f"e2e-probe-{time.monotonic_ns()}", probe["MaHoSo"])
        if body.get("dossier_status"):
            return
        await asyncio.sleep(1.0)
    raise AssertionError("lookups did not recover within 30 s after the faults were removed")


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
    records = await onestop.dossiers("processing", limit=_FRESH_OFFSET)
    late = next(r for r in records if is_overdue(r, now))
    timely = next(
        r for r in records if r["NgayHenTra"] and r["NgayHenTra"] > now.strftime("%Y%m%d235959")
    )

    late_text = all_text(await ask(gateway, sender, f"hồ sơ {late['MaHoSo']}"))
    timely_text = all_text(await ask(gateway, sender, f"hồ sơ {timely['MaHoSo']}"))

    assert "quá hạn" in late_text, late_text
    assert "quá hạn" not in timely_text, timely_text


async def test_paying_with_second_factor_shows_the_amount_due(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    record = next(
        r
        for r in await onestop.dossiers("paying")
        if any(not fee["DaThanhToan"] for fee in r["DanhSachLePhi"])
    )
    await ask(gateway, sender, f"hồ sơ {record['MaHoSo']}")

    body = await ask(gateway, sender, f"4 số cuối CCCD {record['SoGiayToChuHoSo'][-4:]}")

    text = all_text(body)
    unpaid = [fee for fee in record["DanhSachLePhi"] if not fee["DaThanhToan"]]
    for fee in unpaid:
        assert fee["TenPhiLePhi"] in text, text
    total = sum(fee["Gia"] for fee in unpaid)
    assert f"{total:,}".replace(",", ".") + " đ" in text, text


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


# --- privacy ---------------------------------------------------------------------------


def personal_data(record: dict[str, Any]) -> list[str]:
    """Strings that must not appear without the second factor."""
    phone = record["SoDienThoai"]
    national = "0" + phone.removeprefix("+84")
    return [record["ChuHoSo"], record["SoGiayToChuHoSo"], phone, national, national[1:]]


async def test_code_alone_reveals_no_personal_data_and_no_history(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    record = (await onestop.dossiers("processing", limit=3))[2]

    body = await ask(gateway, sender, f"tra cứu hồ sơ {record['MaHoSo']}")

    text = all_text(body)
    assert body["dossier_status"] == "processing"
    for secret in personal_data(record):
        assert secret not in text, f"leaked {secret!r}"
    family = record["ChuHoSo"].split()[0]
    assert family not in text and "Người nộp" not in text, "not even a masked name"
    assert "Quá trình xử lý" not in text
    for step in record["QuaTrinhXuLy"][1:]:
        assert step["NoiDungXuLy"] not in text, "history needs the second factor"


@pytest.mark.parametrize("factor", ["id", "phone"])
async def test_history_appears_after_the_id_numbers_last_four_digits_only(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator, factor: str
) -> None:
    record = (await onestop.dossiers("processing", limit=3))[2]
    digits = (record["SoGiayToChuHoSo"] if factor == "id" else record["SoDienThoai"])[-4:]
    hint = "4 số cuối CCCD" if factor == "id" else "4 số cuối số điện thoại"
    await ask(gateway, sender, f"tra cứu hồ sơ {record['MaHoSo']}")

    body = await ask(gateway, sender, f"{hint} {digits}")

    text = all_text(body)
    assert body["intent"] == "ask_status", (body["intent"], body["confidence"])
    assert body["dossier_code"] == record["MaHoSo"]
    if factor == "phone":  # the phone is no second factor (issue 9.2)
        assert "Quá trình xử lý" not in text and "không khớp" in text, text
        return
    assert "Quá trình xử lý" in text, text
    assert record["QuaTrinhXuLy"][-1]["NoiDungXuLy"] in text, text
    assert record["ChuHoSo"] not in text


async def test_history_in_one_message_with_code_and_digits(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    record = (await onestop.dossiers("waiting", limit=3))[2]
    digits = record["SoGiayToChuHoSo"][-4:]

    body = await ask(gateway, sender, f"hồ sơ {record['MaHoSo']}, 4 số cuối CCCD {digits}")

    text = all_text(body)
    assert "Quá trình xử lý" in text, text
    for item in record["DanhSachHoSoBoSung"]:
        assert item["NoiDungBoSung"] in text, "the documents to bring"


async def test_wrong_four_digits_reveal_nothing_more(
    gateway: httpx.AsyncClient, sender: str, onestop: Simulator
) -> None:
    record = (await onestop.dossiers("processing", limit=4))[3]
    on_file = {record["SoGiayToChuHoSo"][-4:], record["SoDienThoai"][-4:]}
    wrong = next(d for d in ("0000", "1111", "2222") if d not in on_file)
    await ask(gateway, sender, f"tra cứu hồ sơ {record['MaHoSo']}")

    body = await ask(gateway, sender, f"4 số cuối CCCD {wrong}")

    text = all_text(body)
    assert "không khớp" in text, text
    assert "Quá trình xử lý" not in text
    for secret in personal_data(record):
        assert secret not in text


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
