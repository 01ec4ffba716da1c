"""Plain-Vietnamese answers about one procedure, one aspect at a time: the shared words.

Answers are plain text (no Markdown: they go to SMS and Zalo too), under about 1,200
characters, and say where each fact comes from: the national record
(`catalog.answers_record`), the province's layer over it (`catalog.answers_local`), or
both; `catalog.answers_service` puts them together.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from vntext import fold

__all__ = [
    "Aspect",
    "ASPECT_INTENTS",
    "intent_for_words",
    "MAX_ANSWER_CHARS",
    "PORTAL_URL",
    "aspect_for_intent",
    "aspect_for_text",
    "format_vnd",
    "format_date",
    "hints",
    "ASPECT_PARTS",
    "CAVEAT",
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
    LEGAL = "legal"  # asked in words ("căn cứ pháp lý"): no intent of its own


_INTENT_ASPECT = {
    "ask_documents": Aspect.DOCUMENTS,
    "ask_fee": Aspect.FEE,
    "ask_processing_time": Aspect.TIME,
    "ask_where_to_file": Aspect.WHERE,
    "ask_online": Aspect.ONLINE,
    "ask_steps": Aspect.STEPS,
}
ASPECT_INTENTS = frozenset(_INTENT_ASPECT)
_LEGAL_WORDS = re.compile(
    r"căn cứ pháp lý|cơ sở pháp lý|văn bản pháp luật|văn bản quy định"
    r"|theo (luật|nghị định|thông tư) nào|can cu phap ly|co so phap ly",
    re.IGNORECASE,
)
# The catalog's "unconfirmed" parts that each aspect's answer relies on.
ASPECT_PARTS = {
    Aspect.DOCUMENTS: {"documents", "bundle_members"},
    Aspect.FEE: {"fees"},
    Aspect.TIME: {"processing_time"},
    Aspect.WHERE: {"agency"},
    Aspect.ONLINE: {"online_level"},
    Aspect.STEPS: {"steps"},
    Aspect.LEGAL: {"legal_basis"},
}
_HINTS = {
    Aspect.DOCUMENTS: "giấy tờ cần chuẩn bị",
    Aspect.FEE: "lệ phí",
    Aspect.TIME: "thời gian giải quyết",
    Aspect.WHERE: "nơi nộp",
    Aspect.ONLINE: "nộp trực tuyến",
    Aspect.STEPS: "các bước thực hiện",
    Aspect.LEGAL: "căn cứ pháp lý",
}
CAVEAT = (
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


# What a question asks, read from its words when no intent says it (the NLU took the
# message for out of scope): first match wins, in this order; else the documents.
_INTENT_WORDS = (
    ("ask_online", re.compile(r"\b(?:online|truc tuyen|qua mang|dich vu cong)\b")),
    ("ask_processing_time", re.compile(r"\b(?:bao lau|may ngay|bao nhieu ngay|may hom)\b")),
    ("ask_fee", re.compile(r"\b(?:le phi|phi|bao nhieu tien|het bao nhieu|ton bao nhieu)\b")),
    ("ask_where_to_file", re.compile(r"\b(?:o dau|noi nao|cho nao|nop dau|lam dau)\b")),
    ("ask_steps", re.compile(r"\b(?:cac buoc|trinh tu|quy trinh|the nao|ra sao|nhu nao)\b")),
)


def intent_for_words(text: str) -> str:
    """The ask_* intent a question's words point to ("ở đâu": where to file)."""
    folded = " ".join(fold(text or "").lower().split())
    for intent, pattern in _INTENT_WORDS:
        if pattern.search(folded):
            return intent
    return "ask_documents"


def aspect_for_text(intent: str | None, text: str) -> Aspect:
    """The aspect asked: the legal basis when the words ask for it, else the intent's."""
    if _LEGAL_WORDS.search(text or ""):
        return Aspect.LEGAL
    return aspect_for_intent(intent)


def format_vnd(amount: int) -> str:
    """20000 → "20.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def format_date(day: date) -> str:
    """2026-07-18 → "18/07/2026"."""
    return day.strftime("%d/%m/%Y")


def hints(aspect: Aspect) -> str:
    """What else the citizen can ask about, as one line."""
    others = ", ".join(hint for other, hint in _HINTS.items() if other is not aspect)
    return f"Bạn có thể hỏi thêm về: {others}."
