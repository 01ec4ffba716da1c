"""The assistant's Vietnamese replies about a dossier (plain functions, no I/O)."""

from __future__ import annotations

from datetime import datetime

from dossier_lookup.privacy import mask_name
from status_client.codes import CODE_FORMAT, EXAMPLE_CODE
from status_client.models import VIETNAM_TZ, Dossier, DossierStatus, Fee
from wording.status import STATUS_WORDING
from workdays import working_days_between

__all__ = [
    "format_date",
    "format_money",
    "render_ask_for_code",
    "render_dossier",
    "render_invalid_code",
    "OWNER_UNLOCK",
    "render_factor_locked",
    "render_not_found",
    "render_overloaded",
    "render_quota_exceeded",
    "render_rate_limited",
    "render_second_factor_mismatch",
    "render_unavailable",
]

_UNLOCK = (
    "Để xem {what}, bạn nhắn 4 số cuối CCCD của người nộp hồ sơ "
    '(ví dụ: "4 số cuối CCCD 1234"), hoặc nhắn "theo dõi hồ sơ" kèm mã hồ sơ để nhận '
    "mã xác nhận qua SMS tới số điện thoại đã khai trong hồ sơ."
)
# The owner's way in that a stranger cannot block (said wherever a lock is mentioned):
# a text from the phone on file (`dossier_lookup.owner`); the one-time code as well, while
# the phone's code caps allow.
OWNER_UNLOCK = (
    "Nếu bạn là người nộp hồ sơ, hãy nhắn tin mã hồ sơ {code} từ số điện thoại đã khai trong "
    "hồ sơ tới {office} để nhận thông tin chi tiết: cách này luôn dùng được, kể cả khi hồ sơ "
    'đang tạm khóa. Bạn cũng có thể nhắn "theo dõi hồ sơ {code}" để nhận mã xác nhận qua SMS '
    "tới số điện thoại đó."
)
_OFFICE_NUMBER = "số {number} của Bộ phận Tiếp nhận và Trả kết quả"
_OFFICE_UNNAMED = "số điện thoại đã gửi tin nhắn báo tiến độ hồ sơ cho bạn"


def format_date(moment: datetime) -> str:
    """dd/mm/yyyy in Vietnam time."""
    return moment.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y")


def format_money(amount_vnd: int) -> str:
    """20000 → "20.000 đ"."""
    return f"{amount_vnd:,}".replace(",", ".") + " đ"


def _one_stop(dossier: Dossier) -> str:
    unit = dossier.handling_unit or "cơ quan tiếp nhận hồ sơ"
    return f"Bộ phận Tiếp nhận và Trả kết quả ({unit})"


def _fee_lines(fees: tuple[Fee, ...]) -> list[str]:
    return [f"- {fee.name}: {format_money(fee.amount_vnd)}" for fee in fees]


def _next_step(dossier: Dossier, verified: bool) -> list[str]:
    """What the citizen should do now: the status's sentence, then what this dossier asks."""
    where = _one_stop(dossier)
    lines = [STATUS_WORDING[dossier.status].next_step_at(where)]
    if dossier.status is DossierStatus.WAITING:
        if verified and dossier.supplements_requested:
            lines.append("Giấy tờ cần bổ sung:")
            lines += [f"- {item}" for item in dossier.supplements_requested]
        elif not verified:
            lines.append(_UNLOCK.format(what="danh sách giấy tờ cần bổ sung"))
    if dossier.status is DossierStatus.PAYING:
        if verified and dossier.fees_due:
            total = sum(fee.amount_vnd for fee in dossier.fees_due)
            lines += ["Các khoản cần nộp:", *_fee_lines(dossier.fees_due)]
            lines.append(f"Tổng cộng: {format_money(total)}")
        elif not verified:
            lines.append(_UNLOCK.format(what="số tiền cần nộp"))
    return lines


def _dates(dossier: Dossier, now: datetime) -> list[str]:
    lines = []
    if dossier.received_at is not None:
        lines.append(f"Ngày tiếp nhận: {format_date(dossier.received_at)}")
    elif dossier.submitted_at is not None:
        lines.append(f"Ngày nộp: {format_date(dossier.submitted_at)}")
    if dossier.due_at is not None and dossier.status is not DossierStatus.DENIED:
        due = f"Ngày hẹn trả: {format_date(dossier.due_at)}"
        if dossier.is_overdue(now):
            late = working_days_between(dossier.due_at.date(), now.astimezone(VIETNAM_TZ).date())
            due += f" (đã quá hạn {late} ngày làm việc)" if late else " (đã quá hạn)"
        lines.append(due)
    if dossier.returned_at is not None:
        lines.append(f"Ngày trả kết quả: {format_date(dossier.returned_at)}")
    return lines


def _history(dossier: Dossier) -> list[str]:
    lines = ["Quá trình xử lý:"]
    for step in dossier.steps:
        stamp = step.at.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")
        lines.append(f"- {stamp}: {step.description} ({step.unit})")
    return lines


def render_dossier(dossier: Dossier, *, now: datetime, verified: bool = False) -> str:
    """The reply about a found dossier; history and fees only when `verified`."""
    # A code alone shows nothing about the person: initials only once verified.
    lines = [f"Hồ sơ {dossier.code}", f"Thủ tục: {dossier.procedure_name}"]
    if verified:
        lines.append(f"Người nộp: {mask_name(dossier.applicant_name)}")
    lines += [f"Trạng thái: {STATUS_WORDING[dossier.status].label}.", *_dates(dossier, now)]
    if dossier.is_overdue(now):
        where = _one_stop(dossier)
        lines.append(f"Hồ sơ đã quá hạn; bạn có thể liên hệ {where} để được giải thích.")
    lines += _next_step(dossier, verified)
    if verified:
        lines += _history(dossier)
        paid = tuple(fee for fee in dossier.fees if fee.paid)
        if paid:
            lines += ["Các khoản đã nộp:", *_fee_lines(paid)]
    elif dossier.status not in (DossierStatus.WAITING, DossierStatus.PAYING):
        lines.append(_UNLOCK.format(what="quá trình xử lý và phí, lệ phí"))
    return "\n".join(lines)


def render_not_found(code: str) -> str:
    """No dossier with this (well-formed) code."""
    return (
        f"Không tìm thấy hồ sơ có mã {code}. Bạn kiểm tra lại mã trên giấy tiếp nhận hồ sơ "
        f"và hẹn trả kết quả. Mã có dạng {CODE_FORMAT}, ví dụ: {EXAMPLE_CODE}."
    )


def render_invalid_code() -> str:
    """Something code-shaped that is not a valid code."""
    return (
        f"Mã hồ sơ chưa đúng định dạng. Mã có dạng {CODE_FORMAT}, ví dụ: {EXAMPLE_CODE}. "
        "Bạn có thể gõ chữ thường hoặc dùng dấu cách thay cho dấu chấm."
    )


def render_ask_for_code() -> str:
    """The citizen asked about a dossier without giving its code."""
    return (
        "Bạn cho mình mã hồ sơ in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả nhé. "
        f"Ví dụ: {EXAMPLE_CODE}."
    )


def render_unavailable() -> str:
    """The one-stop system did not answer in time."""
    return (
        "Xin lỗi, hệ thống một cửa điện tử đang tạm thời không phản hồi nên mình chưa tra được "
        "hồ sơ. Bạn vui lòng thử lại sau ít phút."
    )


def _wait_or_ask_office(minutes: int, aside: str = "") -> str:
    """The end of every per-citizen limit's answer: wait `minutes`, or ask the office."""
    return (
        f"Để bảo vệ thông tin của người dân, vui lòng thử lại sau {minutes} phút{aside}, "
        "hoặc liên hệ Bộ phận Tiếp nhận và Trả kết quả nơi bạn nộp hồ sơ."
    )


def render_rate_limited(window_minutes: int) -> str:
    """Too many failed lookups from this sender."""
    return "Bạn đã tra cứu không thành công quá nhiều lần. " + _wait_or_ask_office(window_minutes)


def render_second_factor_mismatch() -> str:
    """The 4 digits offered do not match the ID number on file."""
    return (
        "4 số bạn nhập không khớp với 4 số cuối CCCD của người nộp hồ sơ, nên mình chỉ "
        "hiển thị thông tin cơ bản."
    )


def render_factor_locked(code: str, minutes: int, office_number: str = "") -> str:
    """Too many wrong second factors for this dossier, from anyone; the owner's way in
    (texting the code to `office_number`, the office's SMS number, when it is known)."""
    office = _OFFICE_NUMBER.format(number=office_number) if office_number else _OFFICE_UNNAMED
    return (
        f"Hồ sơ {code} đang tạm khóa xem chi tiết trong {minutes} phút vì đã có nhiều lần "
        "nhập sai 4 số cuối CCCD. " + OWNER_UNLOCK.format(code=code, office=office)
    )


def render_quota_exceeded(window_minutes: int) -> str:
    """This client or conversation looked up too many different dossiers."""
    kept = " (các hồ sơ bạn vừa tra cứu vẫn xem lại được)"
    return "Bạn đã tra cứu nhiều hồ sơ khác nhau trong thời gian ngắn. " + _wait_or_ask_office(
        window_minutes, kept
    )


def render_overloaded() -> str:
    """Lookups overall are over the anomaly cap."""
    return (
        "Hệ thống tra cứu hồ sơ đang tạm giới hạn vì lượng tra cứu tăng bất thường. Bạn vui "
        "lòng thử lại sau ít phút, hoặc liên hệ Bộ phận Tiếp nhận và Trả kết quả nơi nộp hồ sơ."
    )
