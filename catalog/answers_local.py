"""The province's layer in an answer: the fields a local entry sets, as lines.

Each function returns None when the local entry does not set that part, so that the
national record answers it instead (`catalog.answers_service`).
"""

from __future__ import annotations

from catalog.answers import format_vnd
from catalog.models import Fee, Procedure, RequiredDocument

__all__ = [
    "local_documents",
    "local_fees",
    "local_time",
    "local_online",
    "local_steps",
    "local_legal",
    "local_office",
]

_ONLINE = {
    "toan_trinh": (
        "Làm được hoàn toàn trực tuyến (toàn trình): nộp hồ sơ, nộp phí và nhận kết quả qua "
        "Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID."
    ),
    "mot_phan": (
        "Nộp hồ sơ trực tuyến được (một phần) qua Cổng Dịch vụ công quốc gia hoặc VNeID, "
        "nhưng vẫn phải đến cơ quan để xuất trình giấy tờ gốc, nộp phí hoặc nhận kết quả."
    ),
    "truc_tiep": "Thủ tục này chỉ làm trực tiếp tại cơ quan, chưa nộp trực tuyến được.",
}


def _document_line(number: int, document: RequiredDocument, *, detail: bool) -> str:
    shown = "bản chính" if document.count <= 1 else f"{document.count} bản chính"
    how = {
        "original": f"nộp {document.count} bản chính",
        "copy": f"nộp {document.count} bản sao",
        "either": f"nộp {document.count} bản chính hoặc bản sao",
        "shown": f"xuất trình {shown} để đối chiếu (không phải nộp)",
    }[document.kind]
    line = f"{number}. {document.name}: {how}."
    if detail and document.form:
        line += f" Mẫu: {document.form}."
    if detail and document.condition:
        line += f" ({document.condition})"
    return line


def local_documents(procedure: Procedure, *, detail: bool) -> list[str] | None:
    """The province's list of documents (and the bundle's members), or None."""
    if not procedure.documents:
        return None
    lines = [
        _document_line(number, document, detail=detail)
        for number, document in enumerate(procedure.documents, start=1)
    ]
    if procedure.bundle_members:
        members = "; ".join(member.member_name for member in procedure.bundle_members)
        lines.append(f"Đây là thủ tục liên thông, một lần nộp cho: {members}.")
    return lines


def _fee_line(fee: Fee, *, detail: bool) -> str:
    if fee.amount_vnd is None:
        # No amount: the condition says who sets it ("do Hội đồng nhân dân tỉnh quy định").
        return f"• {fee.description}: {fee.condition or 'mức thu do tỉnh quy định'}."
    amount = "miễn phí" if fee.amount_vnd == 0 else format_vnd(fee.amount_vnd)
    line = f"• {fee.description}: {amount}"
    if detail and fee.condition:
        line += f" ({fee.condition})"
    return line + "."


def local_fees(procedure: Procedure, *, detail: bool) -> list[str] | None:
    """The province's fees, or None."""
    if not procedure.fees:
        return None
    return [_fee_line(fee, detail=detail) for fee in procedure.fees]


def local_time(procedure: Procedure) -> list[str] | None:
    """The province's processing time, or None."""
    days = procedure.processing_days
    if days is None and not procedure.processing_note:
        return None
    lines = []
    if days == 0:
        lines.append("Giải quyết trong ngày.")
    elif days is not None:
        shown = f"{days:g}".replace(".", ",")
        lines.append(f"{shown} ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ.")
    if procedure.processing_note:
        lines.append(procedure.processing_note.strip())
    return lines


def local_online(procedure: Procedure) -> list[str] | None:
    """Whether it can be done online, as the province says, or None."""
    text = _ONLINE.get(procedure.online_level or "")
    return [text] if text else None


def local_steps(procedure: Procedure) -> list[str] | None:
    """The province's steps, numbered, or None."""
    if not procedure.steps:
        return None
    return [f"{number}. {step.text}" for number, step in enumerate(procedure.steps, start=1)]


def local_legal(procedure: Procedure) -> list[str] | None:
    """The province's legal bases, or None."""
    if not procedure.legal_basis:
        return None
    return [f"• {basis}" for basis in procedure.legal_basis]


def local_office(procedure: Procedure) -> list[str]:
    """The office's address and hours the province adds (nothing when it adds none)."""
    lines = []
    if procedure.office_address:
        lines.append(f"Địa chỉ: {procedure.office_address}")
    if procedure.office_hours:
        lines.append(f"Giờ làm việc: {procedure.office_hours}")
    return lines
