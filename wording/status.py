"""One table of status wording for chat and SMS, and the status messages built from it.

Each status has a label ("Hồ sơ <code> <label>."), one next-step sentence and whether
the due date still matters. Chat says the whole sentence. SMS says its first clause
(up to the ";"), without diacritics unless `SMS_DIACRITICS=true`, so that a status SMS
fits one GSM-7 segment of 160 characters even with the longest dossier code. "{where}"
is the one-stop desk: the dossier's own when the reply knows it, else `ONE_STOP_DESK`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from status_client.models import DossierStatus
from vntext import fold

__all__ = [
    "ONE_STOP_DESK",
    "STATUS_WORDING",
    "StatusWording",
    "chat_status_message",
    "format_due",
    "sms_lookup_text",
    "sms_status_message",
    "unaccented",
]

ONE_STOP_DESK = "bộ phận một cửa"


@dataclass(frozen=True)
class StatusWording:
    """How one status is told: what happened, and what the citizen does next."""

    label: str
    next_step: str
    # Whether the due date (ngày hẹn trả) still matters in this status.
    shows_due: bool

    def next_step_at(self, where: str = ONE_STOP_DESK) -> str:
        """The whole next-step sentence (chat)."""
        return self.next_step.format(where=where)

    def short_next_step(self, where: str = ONE_STOP_DESK) -> str:
        """The next step's first clause as a sentence (SMS)."""
        clause = self.next_step_at(where).split(";", 1)[0].rstrip(".")
        return f"{clause}."


STATUS_WORDING: dict[DossierStatus, StatusWording] = {
    DossierStatus.RECEIVING: StatusWording(
        "đã nộp trực tuyến, đang chờ cán bộ tiếp nhận",
        "Bạn chưa cần làm gì; hệ thống sẽ báo khi hồ sơ được tiếp nhận hoặc cần sửa.",
        shows_due=False,
    ),
    DossierStatus.NEW: StatusWording(
        "đã được tiếp nhận",
        "Bạn chưa cần làm gì thêm; vui lòng giữ giấy hẹn và chờ đến ngày hẹn trả.",
        shows_due=True,
    ),
    DossierStatus.DENIED: StatusWording(
        "không được tiếp nhận",
        "Liên hệ {where} để biết lý do; bạn có thể chuẩn bị lại hồ sơ đầy đủ và nộp lại.",
        shows_due=False,
    ),
    DossierStatus.PROCESSING: StatusWording(
        "đang được xử lý",
        "Bạn chưa cần làm gì thêm; vui lòng chờ đến ngày hẹn trả.",
        shows_due=True,
    ),
    DossierStatus.WAITING: StatusWording(
        "cần bổ sung giấy tờ",
        "Vui lòng mang giấy tờ bổ sung đến {where}; nộp trong giờ hành chính.",
        shows_due=True,
    ),
    DossierStatus.PAYING: StatusWording(
        "cần thực hiện nghĩa vụ tài chính (phí, lệ phí, thuế)",
        "Nộp tại {where} hoặc trực tuyến; sau khi nộp, hồ sơ sẽ được tiếp tục xử lý.",
        shows_due=True,
    ),
    DossierStatus.CANCELLED: StatusWording(
        "đã được rút theo yêu cầu của người nộp",
        "Nếu vẫn cần giải quyết thủ tục này, bạn có thể nộp hồ sơ mới.",
        shows_due=False,
    ),
    DossierStatus.UNRESOLVED: StatusWording(
        "đã dừng xử lý",
        "Vui lòng liên hệ {where} để biết lý do và hướng giải quyết.",
        shows_due=False,
    ),
    DossierStatus.RELEASING: StatusWording(
        "đã có kết quả, đang chờ bạn đến nhận",
        "Mời bạn đến nhận kết quả tại {where}; mang theo giấy hẹn trả và CCCD.",
        shows_due=False,
    ),
    DossierStatus.DONE: StatusWording(
        "đã trả kết quả",
        "Cảm ơn bạn đã sử dụng dịch vụ; hồ sơ đã hoàn tất.",
        shows_due=False,
    ),
}


def unaccented(text: str) -> str:
    """`text` without Vietnamese diacritics, case kept (plain GSM-7 for SMS)."""
    return fold(text, lower=False)


def format_due(due: date | datetime | None) -> str | None:
    """A due date as people read it: 30/10/2023."""
    if due is None:
        return None
    return due.strftime("%d/%m/%Y")


def sms_status_message(
    dossier_code: str,
    status: DossierStatus,
    due: date | datetime | None = None,
    *,
    diacritics: bool = False,
) -> str:
    """The SMS for a status change: label, due date, the next step's first clause."""
    wording = STATUS_WORDING[status]
    due_text = format_due(due) if wording.shows_due else None
    text = f"Hồ sơ {dossier_code} {wording.label}."
    if due_text:
        text += f" Hẹn trả: {due_text}."
    text += f" {wording.short_next_step()}"
    return text if diacritics else unaccented(text)


def chat_status_message(
    dossier_code: str,
    status: DossierStatus,
    due: date | datetime | None = None,
    *,
    procedure_name: str | None = None,
) -> str:
    """The chat notification of a status change (Telegram, Zalo, web chat)."""
    wording = STATUS_WORDING[status]
    lines = [f"🔔 Hồ sơ {dossier_code} {wording.label}."]
    if procedure_name:
        lines.append(f"Thủ tục: {procedure_name}")
    due_text = format_due(due)
    if due_text and wording.shows_due:
        lines.append(f"Ngày hẹn trả kết quả: {due_text}")
    lines.append(f"Bước tiếp theo: {wording.next_step_at()}")
    lines.append("Gửi “hủy theo dõi” để ngừng nhận thông báo về hồ sơ này.")
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def sms_lookup_text(
    code: str,
    procedure: str,
    status: DossierStatus,
    due: str | None,
    *,
    overdue: bool,
    diacritics: bool,
) -> str:
    """The SMS answer to a dossier code texted in (the caller cuts it to two segments)."""
    wording = STATUS_WORDING[status]
    text = f"Hồ sơ {code} ({procedure}): {wording.label}."
    if due and wording.shows_due:
        text += f" Hẹn trả: {due}" + (" (đã quá hạn)." if overdue else ".")
    text += f" {wording.next_step_at()}"
    return text if diacritics else unaccented(text)
