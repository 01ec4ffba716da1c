"""What a citizen reads about each status, literally, on every channel.

One table (`wording.status`) feeds the chat reply to a lookup, the status notification in
Telegram, Zalo and the web chat, the status SMS and the SMS reply to a code texted in.
The expected texts are written out here so that a reviewer reads them side by side.
"""

# One line per text, as the citizen receives it.
# ruff: noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from bot.channels.sms.inbound import sms_dossier_reply
from dossier_lookup.replies import render_dossier
from notifier.gsm7 import is_gsm7, segment_count
from status_client.models import VIETNAM_TZ, Dossier, DossierStatus
from testing.dossiers import a_dossier
from wording.status import chat_status_message, sms_status_message

CODE = "000.00.06.H56-231027-0361"
# Longer than any code the national format allows (25 characters), with room to spare.
LONGEST_CODE = "000.00.06.H56-231027-0361-0000000"
DUE = date(2025, 12, 31)
NOW = datetime(2025, 12, 10, 9, tzinfo=VIETNAM_TZ)
UNSUBSCRIBE = "Gửi “hủy theo dõi” để ngừng nhận thông báo về hồ sơ này."


@dataclass(frozen=True)
class Said:
    """The texts of one status: lookup reply lines, chat notification lines, two SMS."""

    chat_reply: tuple[str, str]  # the "Trạng thái" line and the next step
    chat_notice: tuple[str, ...]  # Telegram, Zalo, web chat (without the unsubscribe line)
    sms_notice: str
    sms_reply: str


SAID: dict[DossierStatus, Said] = {
    DossierStatus.RECEIVING: Said(
        chat_reply=(
            "Trạng thái: đã nộp trực tuyến, đang chờ cán bộ tiếp nhận.",
            "Bạn chưa cần làm gì; hệ thống sẽ báo khi hồ sơ được tiếp nhận hoặc cần sửa.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã nộp trực tuyến, đang chờ cán bộ tiếp nhận.",
            "Bước tiếp theo: Bạn chưa cần làm gì; hệ thống sẽ báo khi hồ sơ được tiếp nhận hoặc cần sửa.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da nop truc tuyen, dang cho can bo tiep nhan. Ban chua can lam gi.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da nop truc tuyen, dang cho can bo tiep nhan. Ban chua can lam gi; he thong se bao khi ho so duoc tiep nhan hoac can sua.",
    ),
    DossierStatus.NEW: Said(
        chat_reply=(
            "Trạng thái: đã được tiếp nhận.",
            "Bạn chưa cần làm gì thêm; vui lòng giữ giấy hẹn và chờ đến ngày hẹn trả.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã được tiếp nhận.",
            "Ngày hẹn trả kết quả: 31/12/2025",
            "Bước tiếp theo: Bạn chưa cần làm gì thêm; vui lòng giữ giấy hẹn và chờ đến ngày hẹn trả.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da duoc tiep nhan. Hen tra: 31/12/2025. Ban chua can lam gi them.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da duoc tiep nhan. Hen tra: 31/12/2025. Ban chua can lam gi them; vui long giu giay hen va cho den ngay hen tra.",
    ),
    DossierStatus.DENIED: Said(
        chat_reply=(
            "Trạng thái: không được tiếp nhận.",
            "Liên hệ Bộ phận Tiếp nhận và Trả kết quả (UBND phường Bến Nghé) để biết lý do; bạn có thể chuẩn bị lại hồ sơ đầy đủ và nộp lại.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 không được tiếp nhận.",
            "Bước tiếp theo: Liên hệ bộ phận một cửa để biết lý do; bạn có thể chuẩn bị lại hồ sơ đầy đủ và nộp lại.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 khong duoc tiep nhan. Lien he bo phan mot cua de biet ly do.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): khong duoc tiep nhan. Lien he bo phan mot cua de biet ly do; ban co the chuan bi lai ho so day du va nop lai.",
    ),
    DossierStatus.PROCESSING: Said(
        chat_reply=(
            "Trạng thái: đang được xử lý.",
            "Bạn chưa cần làm gì thêm; vui lòng chờ đến ngày hẹn trả.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đang được xử lý.",
            "Ngày hẹn trả kết quả: 31/12/2025",
            "Bước tiếp theo: Bạn chưa cần làm gì thêm; vui lòng chờ đến ngày hẹn trả.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 dang duoc xu ly. Hen tra: 31/12/2025. Ban chua can lam gi them.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): dang duoc xu ly. Hen tra: 31/12/2025. Ban chua can lam gi them; vui long cho den ngay hen tra.",
    ),
    DossierStatus.WAITING: Said(
        chat_reply=(
            "Trạng thái: cần bổ sung giấy tờ.",
            "Vui lòng mang giấy tờ bổ sung đến Bộ phận Tiếp nhận và Trả kết quả (UBND phường Bến Nghé); nộp trong giờ hành chính.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 cần bổ sung giấy tờ.",
            "Ngày hẹn trả kết quả: 31/12/2025",
            "Bước tiếp theo: Vui lòng mang giấy tờ bổ sung đến bộ phận một cửa; nộp trong giờ hành chính.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 can bo sung giay to. Hen tra: 31/12/2025. Vui long mang giay to bo sung den bo phan mot cua.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): can bo sung giay to. Hen tra: 31/12/2025. Vui long mang giay to bo sung den bo phan mot cua; nop trong gio hanh chinh.",
    ),
    DossierStatus.PAYING: Said(
        chat_reply=(
            "Trạng thái: cần thực hiện nghĩa vụ tài chính (phí, lệ phí, thuế).",
            "Nộp tại Bộ phận Tiếp nhận và Trả kết quả (UBND phường Bến Nghé) hoặc trực tuyến; sau khi nộp, hồ sơ sẽ được tiếp tục xử lý.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 cần thực hiện nghĩa vụ tài chính (phí, lệ phí, thuế).",
            "Ngày hẹn trả kết quả: 31/12/2025",
            "Bước tiếp theo: Nộp tại bộ phận một cửa hoặc trực tuyến; sau khi nộp, hồ sơ sẽ được tiếp tục xử lý.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 can thuc hien nghia vu tai chinh (phi, le phi, thue). Hen tra: 31/12/2025. Nop tai bo phan mot cua hoac truc tuyen.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): can thuc hien nghia vu tai chinh (phi, le phi, thue). Hen tra: 31/12/2025. Nop tai bo phan mot cua hoac truc tuyen; sau khi nop, ho so se duoc tiep tuc xu ly.",
    ),
    DossierStatus.CANCELLED: Said(
        chat_reply=(
            "Trạng thái: đã được rút theo yêu cầu của người nộp.",
            "Nếu vẫn cần giải quyết thủ tục này, bạn có thể nộp hồ sơ mới.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã được rút theo yêu cầu của người nộp.",
            "Bước tiếp theo: Nếu vẫn cần giải quyết thủ tục này, bạn có thể nộp hồ sơ mới.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da duoc rut theo yeu cau cua nguoi nop. Neu van can giai quyet thu tuc nay, ban co the nop ho so moi.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da duoc rut theo yeu cau cua nguoi nop. Neu van can giai quyet thu tuc nay, ban co the nop ho so moi.",
    ),
    DossierStatus.UNRESOLVED: Said(
        chat_reply=(
            "Trạng thái: đã dừng xử lý.",
            "Vui lòng liên hệ Bộ phận Tiếp nhận và Trả kết quả (UBND phường Bến Nghé) để biết lý do và hướng giải quyết.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã dừng xử lý.",
            "Bước tiếp theo: Vui lòng liên hệ bộ phận một cửa để biết lý do và hướng giải quyết.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da dung xu ly. Vui long lien he bo phan mot cua de biet ly do va huong giai quyet.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da dung xu ly. Vui long lien he bo phan mot cua de biet ly do va huong giai quyet.",
    ),
    DossierStatus.RELEASING: Said(
        chat_reply=(
            "Trạng thái: đã có kết quả, đang chờ bạn đến nhận.",
            "Mời bạn đến nhận kết quả tại Bộ phận Tiếp nhận và Trả kết quả (UBND phường Bến Nghé); mang theo giấy hẹn trả và CCCD.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã có kết quả, đang chờ bạn đến nhận.",
            "Bước tiếp theo: Mời bạn đến nhận kết quả tại bộ phận một cửa; mang theo giấy hẹn trả và CCCD.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da co ket qua, dang cho ban den nhan. Moi ban den nhan ket qua tai bo phan mot cua.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da co ket qua, dang cho ban den nhan. Moi ban den nhan ket qua tai bo phan mot cua; mang theo giay hen tra va CCCD.",
    ),
    DossierStatus.DONE: Said(
        chat_reply=(
            "Trạng thái: đã trả kết quả.",
            "Cảm ơn bạn đã sử dụng dịch vụ; hồ sơ đã hoàn tất.",
        ),
        chat_notice=(
            "🔔 Hồ sơ 000.00.06.H56-231027-0361 đã trả kết quả.",
            "Bước tiếp theo: Cảm ơn bạn đã sử dụng dịch vụ; hồ sơ đã hoàn tất.",
        ),
        sms_notice="Ho so 000.00.06.H56-231027-0361 da tra ket qua. Cam on ban da su dung dich vu.",
        sms_reply="Ho so 000.00.06.H56-231027-0361 (Dang ky khai sinh): da tra ket qua. Cam on ban da su dung dich vu; ho so da hoan tat.",
    ),
}


def dossier(status: DossierStatus) -> Dossier:
    accepted = datetime(2025, 12, 1, 9, tzinfo=VIETNAM_TZ)
    due = datetime(2025, 12, 31, 17, tzinfo=VIETNAM_TZ)
    return a_dossier(status, code=CODE, received_at=accepted, due_at=due)


def test_every_status_is_worded() -> None:
    assert set(SAID) == set(DossierStatus)


@pytest.mark.parametrize("status", list(DossierStatus))
def test_the_chat_reply_to_a_lookup(status: DossierStatus) -> None:
    lines = render_dossier(dossier(status), now=NOW).splitlines()
    status_line, next_step = SAID[status].chat_reply
    assert status_line in lines and next_step in lines


@pytest.mark.parametrize("status", list(DossierStatus))
def test_the_chat_notification(status: DossierStatus) -> None:
    expected = "\n".join([*SAID[status].chat_notice, UNSUBSCRIBE])
    assert chat_status_message(CODE, status, DUE) == expected


@pytest.mark.parametrize("status", list(DossierStatus))
def test_the_status_sms(status: DossierStatus) -> None:
    assert sms_status_message(CODE, status, DUE) == SAID[status].sms_notice
    longest = sms_status_message(LONGEST_CODE, status, DUE)
    assert is_gsm7(longest) and segment_count(longest) == 1


@pytest.mark.parametrize("status", list(DossierStatus))
def test_the_sms_reply_to_a_code_texted_in(status: DossierStatus) -> None:
    assert sms_dossier_reply(dossier(status), now=NOW) == SAID[status].sms_reply


def test_an_sms_with_diacritics_says_the_same_sentence() -> None:
    accented = sms_status_message(CODE, DossierStatus.WAITING, DUE, diacritics=True)
    assert accented == (
        "Hồ sơ 000.00.06.H56-231027-0361 cần bổ sung giấy tờ. Hẹn trả: 31/12/2025. "
        "Vui lòng mang giấy tờ bổ sung đến bộ phận một cửa."
    )
