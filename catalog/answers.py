"""Plain-Vietnamese answers about one procedure, one aspect at a time.

Answers are plain text (no Markdown: they go to SMS and Zalo too), under about 1,200
characters, end with a caveat when the catalog marks that part unconfirmed, and with a
hint of what else the citizen can ask.
"""

from __future__ import annotations

from enum import StrEnum

from catalog.models import Fee, Procedure, RequiredDocument

__all__ = [
    "Aspect",
    "ASPECT_INTENTS",
    "MAX_ANSWER_CHARS",
    "PORTAL_URL",
    "aspect_for_intent",
    "render_answer",
    "format_vnd",
    "ASK_WHICH_TEXT",
    "UNKNOWN_PROCEDURE_TEXT",
    "FALLBACK_TEXT",
    "CATALOG_UNAVAILABLE_TEXT",
]

MAX_ANSWER_CHARS = 1200
PORTAL_URL = "https://dichvucong.gov.vn"


class Aspect(StrEnum):
    """What the citizen asks about a procedure."""

    DOCUMENTS = "documents"
    FEE = "fee"
    TIME = "time"
    WHERE = "where"
    ONLINE = "online"
    STEPS = "steps"


_INTENT_ASPECT = {
    "ask_documents": Aspect.DOCUMENTS,
    "ask_fee": Aspect.FEE,
    "ask_processing_time": Aspect.TIME,
    "ask_where_to_file": Aspect.WHERE,
    "ask_online": Aspect.ONLINE,
    "ask_steps": Aspect.STEPS,
}
ASPECT_INTENTS = frozenset(_INTENT_ASPECT)
# The catalog's "unconfirmed" parts that each aspect's answer relies on.
_ASPECT_PARTS = {
    Aspect.DOCUMENTS: {"documents", "bundle_members"},
    Aspect.FEE: {"fees"},
    Aspect.TIME: {"processing_time"},
    Aspect.WHERE: {"agency"},
    Aspect.ONLINE: {"online_level"},
    Aspect.STEPS: {"steps"},
}
_HINTS = {
    Aspect.DOCUMENTS: "giấy tờ cần chuẩn bị",
    Aspect.FEE: "lệ phí",
    Aspect.TIME: "thời gian giải quyết",
    Aspect.WHERE: "nơi nộp",
    Aspect.ONLINE: "nộp trực tuyến",
    Aspect.STEPS: "các bước thực hiện",
}
_CAVEAT = (
    "⚠️ Một phần thông tin trên chưa được xác nhận từ nguồn chính thức, "
    "cần xác nhận lại tại bộ phận một cửa."
)

ASK_WHICH_TEXT = "Bạn muốn hỏi thủ tục nào dưới đây? Bấm chọn một thủ tục:"
UNKNOWN_PROCEDURE_TEXT = (
    "Xin lỗi, tôi chưa rõ bạn hỏi thủ tục nào. Bạn hãy nói rõ tên thủ tục, ví dụ "
    '"đăng ký khai sinh cần giấy tờ gì" hoặc "lệ phí đăng ký tạm trú", '
    "hoặc chọn một thủ tục hay được hỏi:"
)
FALLBACK_TEXT = (
    "Xin lỗi, tôi chưa hiểu câu hỏi. Tôi có thể trả lời về giấy tờ, lệ phí, thời gian, "
    "nơi nộp và cách nộp trực tuyến của các thủ tục hành chính, hoặc tra cứu hồ sơ theo mã. "
    'Bạn thử hỏi lại, ví dụ: "làm sổ đỏ lần đầu cần gì", "dk tam tru mat bao lau", '
    '"tra cứu hồ sơ 000.00.06.H56-231027-0361". Hoặc chọn một thủ tục hay được hỏi:'
)

CATALOG_UNAVAILABLE_TEXT = (
    "Xin lỗi, hệ thống tra cứu thủ tục đang tạm thời gián đoạn. Bạn vui lòng thử lại sau "
    f"ít phút, hoặc xem thông tin thủ tục tại {PORTAL_URL}."
)


def aspect_for_intent(intent: str | None) -> Aspect:
    """The aspect an intent asks about; documents when the intent says nothing more."""
    return _INTENT_ASPECT.get(intent or "", Aspect.DOCUMENTS)


def format_vnd(amount: int) -> str:
    """20000 → "20.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def _header(procedure: Procedure) -> str:
    return f"{procedure.name} (mã {procedure.code})"


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


def _documents(procedure: Procedure, *, detail: bool) -> list[str]:
    lines = [f"Hồ sơ {_header(procedure)} gồm:"]
    if not procedure.documents:
        return [f"Chưa có danh mục giấy tờ cho {_header(procedure)}."]
    lines += [
        _document_line(number, document, detail=detail)
        for number, document in enumerate(procedure.documents, start=1)
    ]
    if procedure.bundle_members:
        members = "; ".join(member.member_name for member in procedure.bundle_members)
        lines.append(f"Đây là thủ tục liên thông, một lần nộp cho: {members}.")
    return lines


def _fee_line(fee: Fee, *, detail: bool) -> str:
    if fee.amount_vnd is None:
        amount = "mức thu tùy địa phương"
    elif fee.amount_vnd == 0:
        amount = "miễn phí"
    else:
        amount = format_vnd(fee.amount_vnd)
    line = f"• {fee.description}: {amount}"
    if detail and fee.condition:
        line += f" ({fee.condition})"
    return line + "."


def _fees(procedure: Procedure, *, detail: bool) -> list[str]:
    if not procedure.fees:
        return [f"Chưa có thông tin lệ phí cho {_header(procedure)}."]
    return [f"Phí, lệ phí — {_header(procedure)}:"] + [
        _fee_line(fee, detail=detail) for fee in procedure.fees
    ]


def _time(procedure: Procedure) -> list[str]:
    days = procedure.processing_days
    if days is None:
        lines = [f"Chưa có thông tin về thời hạn giải quyết {_header(procedure)}."]
    elif days == 0:
        lines = [f"{_header(procedure)}: giải quyết trong ngày."]
    else:
        shown = f"{days:g}".replace(".", ",")
        lines = [f"{_header(procedure)}: {shown} ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ."]
    if procedure.processing_note:
        lines.append(procedure.processing_note.strip())
    return lines


def _online_explained(procedure: Procedure) -> str:
    return {
        "toan_trinh": (
            "Làm được hoàn toàn trực tuyến (toàn trình): nộp hồ sơ, nộp phí và nhận kết quả "
            f"qua mạng tại {PORTAL_URL} hoặc ứng dụng VNeID, không cần đến cơ quan."
        ),
        "mot_phan": (
            "Nộp hồ sơ trực tuyến được (một phần) tại "
            f"{PORTAL_URL} hoặc ứng dụng VNeID, nhưng vẫn phải đến cơ quan để xuất trình "
            "giấy tờ gốc, nộp phí hoặc nhận kết quả."
        ),
        "truc_tiep": f"Thủ tục này chỉ làm trực tiếp tại {procedure.agency}.",
    }.get(procedure.online_level or "", "Chưa có thông tin về việc nộp trực tuyến.")


def _where(procedure: Procedure) -> list[str]:
    level = (
        "" if procedure.level.casefold() in procedure.agency.casefold() else f" ({procedure.level})"
    )
    lines = [f"Nơi nộp {_header(procedure)}: {procedure.agency}{level}."]
    if procedure.online_level in ("toan_trinh", "mot_phan"):
        lines.append(f"Có thể nộp trực tuyến tại {PORTAL_URL} hoặc ứng dụng VNeID.")
    lines.append(f"Chi tiết thủ tục: {procedure.source_url}")
    return lines


def _steps(procedure: Procedure) -> list[str]:
    if not procedure.steps:
        return [f"Chưa có hướng dẫn các bước cho {_header(procedure)}."]
    return [f"Các bước {_header(procedure)}:"] + [
        f"{number}. {step.text}" for number, step in enumerate(procedure.steps, start=1)
    ]


def _body(procedure: Procedure, aspect: Aspect, *, detail: bool) -> list[str]:
    if aspect is Aspect.DOCUMENTS:
        return _documents(procedure, detail=detail)
    if aspect is Aspect.FEE:
        return _fees(procedure, detail=detail)
    if aspect is Aspect.TIME:
        return _time(procedure)
    if aspect is Aspect.WHERE:
        return _where(procedure)
    if aspect is Aspect.ONLINE:
        return [f"{_header(procedure)}:", _online_explained(procedure)]
    return _steps(procedure)


def _tail(procedure: Procedure, aspect: Aspect) -> list[str]:
    lines = []
    if set(procedure.unconfirmed or ()) & _ASPECT_PARTS[aspect]:
        lines.append(_CAVEAT)
    others = ", ".join(hint for other, hint in _HINTS.items() if other is not aspect)
    lines.append(f"Bạn có thể hỏi thêm về: {others}.")
    return lines


def render_answer(procedure: Procedure, aspect: Aspect) -> str:
    """The answer about `aspect` of `procedure`, at most MAX_ANSWER_CHARS characters."""
    tail = "\n\n" + "\n".join(_tail(procedure, aspect))
    text = "\n".join(_body(procedure, aspect, detail=True))
    if len(text) + len(tail) > MAX_ANSWER_CHARS:
        text = "\n".join(_body(procedure, aspect, detail=False))
    room = MAX_ANSWER_CHARS - len(tail)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return text + tail
