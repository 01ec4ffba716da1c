"""Vietnamese messages: status changes, the survey question, one-time codes.

One wording per status, written with diacritics. SMS bodies are folded to plain ASCII by
default (`SMS_DIACRITICS=false`) so that each fits one GSM-7 segment of 160 characters
even with the longest dossier code; chat messages keep the diacritics and say more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from status_client.models import DossierStatus
from vntext import fold

__all__ = [
    "STATUS_WORDING",
    "StatusWording",
    "chat_status_message",
    "format_due",
    "otp_sms",
    "sms_status_message",
    "survey_question",
    "survey_thanks",
]


@dataclass(frozen=True)
class StatusWording:
    """How one status is told: what happened, and what the citizen does next."""

    label: str
    next_step: str
    short_next: str
    # Whether the due date (ngày hẹn trả) still matters in this status.
    shows_due: bool


STATUS_WORDING: dict[DossierStatus, StatusWording] = {
    DossierStatus.RECEIVING: StatusWording(
        "đã được gửi, chờ tiếp nhận",
        "Cán bộ một cửa sẽ kiểm tra và tiếp nhận hồ sơ; bạn sẽ được báo khi có kết quả.",
        "Se bao khi duoc tiep nhan.",
        False,
    ),
    DossierStatus.NEW: StatusWording(
        "đã được tiếp nhận",
        "Hồ sơ đang chờ xử lý; vui lòng giữ giấy tiếp nhận và hẹn trả kết quả.",
        "Giu giay hen.",
        True,
    ),
    DossierStatus.DENIED: StatusWording(
        "không được tiếp nhận",
        "Xem lý do trên Cổng dịch vụ công hoặc liên hệ bộ phận một cửa để được hướng dẫn.",
        "Xem ly do tai bo phan mot cua.",
        False,
    ),
    DossierStatus.PROCESSING: StatusWording(
        "đang được xử lý",
        "Bạn chưa cần làm gì thêm; chúng tôi sẽ báo khi có kết quả.",
        "Chua can lam gi them.",
        True,
    ),
    DossierStatus.WAITING: StatusWording(
        "cần bổ sung giấy tờ",
        "Vui lòng bổ sung giấy tờ theo hướng dẫn tại bộ phận một cửa hoặc trên Cổng dịch vụ công.",
        "Vui long bo sung tai bo phan mot cua.",
        True,
    ),
    DossierStatus.PAYING: StatusWording(
        "cần thực hiện nghĩa vụ tài chính",
        "Vui lòng nộp phí, lệ phí hoặc thuế theo thông báo để hồ sơ được tiếp tục xử lý.",
        "Vui long nop phi, le phi.",
        True,
    ),
    DossierStatus.CANCELLED: StatusWording(
        "đã được rút theo yêu cầu",
        "Nếu cần, bạn có thể nộp lại hồ sơ mới bất cứ lúc nào.",
        "Co the nop lai ho so moi.",
        False,
    ),
    DossierStatus.UNRESOLVED: StatusWording(
        "đã dừng xử lý",
        "Liên hệ bộ phận một cửa để biết lý do và cách giải quyết.",
        "Lien he bo phan mot cua.",
        False,
    ),
    DossierStatus.RELEASING: StatusWording(
        "đã có kết quả",
        "Mời bạn mang giấy hẹn và giấy tờ tùy thân đến bộ phận một cửa để nhận kết quả.",
        "Moi den bo phan mot cua nhan ket qua.",
        False,
    ),
    DossierStatus.DONE: StatusWording(
        "đã trả kết quả",
        "Cảm ơn bạn đã sử dụng dịch vụ của bộ phận một cửa.",
        "Cam on ban.",
        False,
    ),
}

_FALLBACK = StatusWording("đã được cập nhật", "Nhắn mã hồ sơ để xem chi tiết.", "", False)


def format_due(due: date | datetime | None) -> str | None:
    """A due date as people read it: 30/10/2023."""
    if due is None:
        return None
    return due.strftime("%d/%m/%Y")


def _wording(status: DossierStatus) -> StatusWording:
    return STATUS_WORDING.get(status, _FALLBACK)


def sms_status_message(
    dossier_code: str,
    status: DossierStatus,
    due: date | datetime | None = None,
    *,
    diacritics: bool = False,
) -> str:
    """The SMS for a status change: one GSM-7 segment without diacritics."""
    wording = _wording(status)
    due_text = format_due(due) if wording.shows_due else None
    if diacritics:
        text = f"Hồ sơ {dossier_code} {wording.label}."
        if due_text:
            text += f" Hẹn trả: {due_text}."
        return f"{text} {wording.next_step}".strip()
    text = f"Ho so {dossier_code} {fold(wording.label, lower=False)}."
    if due_text:
        text += f" Hen tra: {due_text}."
    return f"{text} {wording.short_next}".strip()


def chat_status_message(
    dossier_code: str,
    status: DossierStatus,
    due: date | datetime | None = None,
    *,
    procedure_name: str | None = None,
) -> str:
    """The chat message for a status change: the whole story, with diacritics."""
    wording = _wording(status)
    lines = [f"🔔 Hồ sơ {dossier_code} {wording.label}."]
    if procedure_name:
        lines.append(f"Thủ tục: {procedure_name}")
    due_text = format_due(due)
    if due_text and wording.shows_due:
        lines.append(f"Ngày hẹn trả kết quả: {due_text}")
    lines.append(f"Bước tiếp theo: {wording.next_step}")
    lines.append("Gửi “hủy theo dõi” để ngừng nhận thông báo về hồ sơ này.")
    return "\n".join(lines)


def survey_question(dossier_code: str, *, sms: bool, diacritics: bool = False) -> str:
    """The satisfaction question asked once when a dossier is returned."""
    text = (
        f"Bạn hài lòng thế nào với việc giải quyết hồ sơ {dossier_code}? "
        "Trả lời một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."
    )
    return fold(text, lower=False) if sms and not diacritics else text


def survey_thanks(rating: int, *, sms: bool) -> str:
    """The reply to a survey answer."""
    text = f"Cảm ơn bạn đã đánh giá {rating}/5. Ý kiến của bạn giúp chúng tôi phục vụ tốt hơn."
    return fold(text, lower=False) if sms else text


def otp_sms(dossier_code: str, code: str, minutes: int) -> str:
    """The SMS carrying a one-time code that proves ownership of a dossier."""
    return (
        f"Ma xac nhan theo doi ho so {dossier_code}: {code}. "
        f"Hieu luc {minutes} phut. Khong chia se ma nay cho nguoi khac."
    )
