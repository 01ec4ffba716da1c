"""The national catalog through POST /api/chat: the known corrections, situations, sources.

Each correction of the 2026-12 fact check (`../shared/domain/FACTS.md`) is asked the way a
citizen would and must come back right from the national record or the province's layer.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from test_e2e_chat import all_text
from test_e2e_chat import ask as ask_once

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

NATIONAL = "Theo Cổng Dịch vụ công quốc gia, cập nhật 18/07/2026."


async def ask(gateway: httpx.AsyncClient, sender: str, message: str) -> dict[str, Any]:
    """`test_e2e_chat.ask`, plus the replies joined in "text" and no district anywhere."""
    body = await ask_once(gateway, sender, message)
    body["text"] = all_text(body)
    assert "cấp huyện" not in body["text"].casefold()  # no district level since 1 July 2025
    return body


# (question, expected procedure, what the answer must say, what it must not say)
CORRECTIONS = [
    ("đăng ký khai sinh mất bao lâu", "1.001193", ["1 ngày làm việc", NATIONAL], []),
    ("lệ phí đăng ký khai sinh bao nhiêu", "1.001193", ["miễn phí", "8.000 đồng"], []),
    ("thủ tục 2.000986 cần giấy tờ gì", "3.000722",
     ["đã được thay bằng mã 3.000722", "Giấy chứng sinh điện tử"], []),
    ("thủ tục 2.000986 mất bao lâu", "3.000722", ["3 ngày làm việc", "5 ngày làm việc"], []),
    ("thủ tục 2.002622 nộp ở đâu", "2.002913", ["đã được thay bằng mã 2.002913"], []),
    ("đăng ký kết hôn cần giấy tờ gì", "1.000894", ["Tờ khai đăng ký kết hôn", NATIONAL],
     ["tình trạng hôn nhân"]),
    ("đăng ký kết hôn mất bao lâu", "1.000894", ["1 ngày làm việc"], []),
    ("sao y bản chính lệ phí bao nhiêu", "2.000815", ["2.000 đồng", "200.000 đồng"], []),
    ("lệ phí đăng ký thường trú", "1.004222",
     ["20.000 đồng", "10.000 đồng", "28/02/2027", "VNeID mức 2"], []),
    ("đăng ký thường trú nộp ở đâu", "1.004222", ["Công an cấp Xã", NATIONAL], []),
    ("làm sổ đỏ lần đầu nộp ở đâu", "1.013978", ["cấp xã"], ["Văn phòng đăng ký đất đai"]),
    ("làm sổ đỏ lần đầu cần giấy tờ gì", "1.013978", ["Mẫu số 15"], []),
    ("làm sổ đỏ lần đầu mất bao lâu", "1.013978", ["17 ngày làm việc", "10 ngày"], []),
    ("thủ tục 1.012814 nộp ở đâu", "1.013978", ["đã được thay bằng mã 1.013978", "cấp xã"], []),
    ("sang tên sổ đỏ nộp ở đâu", "1.013831", ["cấp xã"], []),
    ("xin giấy phép xây dựng nhà ở mất bao lâu", "1.013225",
     ["7 ngày làm việc đối với nhà ở riêng lẻ"], []),
    ("đăng ký thành lập hộ kinh doanh mất bao lâu", "1.001612", ["3 ngày làm việc"], []),
    ("căn cứ pháp lý đăng ký thành lập hộ kinh doanh", "1.001612", ["168/2025"], ["01/2021"]),
    ("thủ tục 1.011607 cần giấy tờ gì", "1.011607",
     ["hộ cận nghèo thường xuyên hằng năm", "Chi tiết chưa có trong dữ liệu của trợ lý"], []),
]  # fmt: skip


@pytest.mark.parametrize(("question", "code", "says", "never"), CORRECTIONS)
async def test_each_known_correction_is_answered_right(
    gateway: httpx.AsyncClient,
    sender: str,
    question: str,
    code: str,
    says: list[str],
    never: list[str],
) -> None:
    body = await ask(gateway, sender, question)
    assert body["procedure_code"] == code, body
    for part in says:
        assert part in body["text"], (part, body["text"])
    for part in never:
        assert part not in body["text"], (part, body["text"])


async def test_residence_asks_the_case_then_answers_it_and_keeps_the_procedure(
    gateway: httpx.AsyncClient, sender: str
) -> None:
    asked = await ask(gateway, sender, "đăng ký thường trú cần giấy tờ gì")
    assert asked["procedure_code"] == "1.004222" and "Trường hợp của bạn là" in asked["text"]
    buttons = [button for reply in asked["replies"] for button in reply["buttons"]]
    renting = next(b for b in buttons if "thuê, mượn, ở nhờ" in b["title"])
    match = re.fullmatch(r"/ask_documents(\{.*\})", renting["payload"])
    assert match and json.loads(match.group(1))["procedure_code"] == "1.004222"

    documents = await ask(gateway, sender, renting["payload"])
    assert documents["procedure_code"] == "1.004222"
    assert "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ" in documents["text"]
    assert NATIONAL in documents["text"]

    fee = await ask(gateway, sender, "lệ phí bao nhiêu")
    assert fee["intent"] == "ask_fee" and fee["procedure_code"] == "1.004222"
    assert "20.000 đồng" in fee["text"]

    again = await ask(gateway, sender, "vậy cần những giấy tờ gì")
    assert again["procedure_code"] == "1.004222"
    assert "Hợp đồng, văn bản về việc cho thuê" in again["text"]  # the case is remembered


async def test_online_and_in_person_fees_differ(gateway: httpx.AsyncClient, sender: str) -> None:
    body = await ask(gateway, sender, "lệ phí đăng ký tạm trú bao nhiêu")
    assert body["procedure_code"] == "1.004194"
    assert re.search(r"Nộp trực tuyến: 7\.000 đồng", body["text"]), body["text"]
    assert re.search(r"Nộp trực tiếp: [^\n]*15\.000 đồng", body["text"]), body["text"]
    assert NATIONAL in body["text"]


async def test_a_listed_only_procedure_is_found_without_borrowed_documents(
    gateway: httpx.AsyncClient, sender: str
) -> None:
    body = await ask(gateway, sender, "thủ tục 1.000005 cần giấy tờ gì")
    assert body["procedure_code"] == "1.000005"
    assert "Thủ tục hải quan đối với khí, nguyên liệu xuất khẩu" in body["text"]
    assert "Chi tiết chưa có trong dữ liệu của trợ lý" in body["text"]
    assert (
        "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html" in body["text"]
    )
    assert not re.search(r"^1\. ", body["text"], re.MULTILINE)  # no list of documents


async def test_a_local_override_is_shown_as_such(gateway: httpx.AsyncClient, sender: str) -> None:
    body = await ask(gateway, sender, "lệ phí đăng ký thường trú")
    assert "Theo thông tin của tỉnh (Thông tư 117/2026" in body["text"]
    assert "thay cho thông tin trên Cổng Dịch vụ công quốc gia" in body["text"]
