"""What a dossier code alone may reveal end to end, and what the second factor unlocks.

Through /api/chat → Rasa → action server → the one-stop simulator (tests/e2e/conftest.py).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from e2e_support import Simulator, all_text, ask

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


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
