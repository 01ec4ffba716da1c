"""The national record in an answer: documents per situation, fees and times per way of
filing, where, online, short steps and the legal basis, as plain lines.
"""

from __future__ import annotations

import re

from catalog.answers import format_vnd
from catalog.national.record import Document, FeeLine, NationalRecord, Situation, WayOfFiling
from catalog.national.text import clip, sentence, short_steps

__all__ = [
    "record_documents",
    "record_fees",
    "record_times",
    "record_where",
    "record_online",
    "record_steps",
    "record_legal",
    "situation_of",
]

MAX_LEGAL = 6
AGENCY_CHARS = 240
_TIME_WORDS = re.compile(r"\d+\s*(ngày|giờ|tháng)", re.IGNORECASE)


def situation_of(record: NationalRecord, case: int | None) -> Situation | None:
    """The chosen situation (1-based, as in the buttons), if it exists."""
    if case is None or not 1 <= case <= len(record.situations):
        return None
    return record.situations[case - 1]


def record_documents(
    record: NationalRecord, situation: Situation | None, *, limit: int
) -> list[str]:
    """The documents of the common groups and of the chosen situation, numbered."""
    documents: list[Document] = list(record.common_documents)
    lines = []
    if situation is not None:
        lines.append(f"Trường hợp: {situation.name}")
        documents = list(situation.documents) + documents
    if not documents:
        return [*lines, "Cổng Dịch vụ công không ghi thành phần hồ sơ riêng cho thủ tục này."]
    lines += [f"{n}. {document.line(limit)}" for n, document in enumerate(documents, start=1)]
    return lines


def _fee_text(fee: FeeLine, *, detail: bool) -> str:
    amount, text = fee.amount, fee.text
    if amount and fee.currency == "?":
        return clip(text, 140) if text else f"{amount} (xem đơn vị trên Cổng Dịch vụ công)"
    if amount:
        shown = f"{amount:g} {fee.currency}" if fee.currency else format_vnd(amount)
        return f"{shown} ({clip(text, 110)})" if detail and text else shown
    if text:
        return clip(text, 140 if detail else 80)
    return "không thu phí"


def _ways_by(ways: tuple[WayOfFiling, ...], key: str) -> list[tuple[str, list[str]]]:
    """Ways of filing grouped by the same fees (key "fees") or time (key "time")."""
    groups: dict[str, list[str]] = {}
    for way in ways:
        value = way.time if key == "time" else repr(way.fees)
        names = groups.setdefault(value, [])
        if way.way not in names:
            names.append(way.way)
    return [(value, names) for value, names in groups.items()]


def record_fees(record: NationalRecord, *, detail: bool) -> list[str]:
    """The fees for each way of filing (ways with the same fees on one line)."""
    if not record.ways:
        return ["Cổng Dịch vụ công không ghi phí, lệ phí cho thủ tục này."]
    lines = []
    for _value, names in _ways_by(record.ways, "fees"):
        way = next(w for w in record.ways if w.way == names[0])
        texts = dict.fromkeys(_fee_text(fee, detail=detail) for fee in way.fees)
        shown = "; ".join(text.rstrip(". ") for text in texts) or "không thu phí"
        lines.append(sentence(f"• Nộp {', '.join(names)}: {shown}"))
    return lines


def record_times(record: NationalRecord) -> list[str]:
    """The processing time of each way of filing, with the portal's remark when it matters."""
    if not record.ways:
        return ["Cổng Dịch vụ công không ghi thời hạn giải quyết cho thủ tục này."]
    several = len({way.time for way in record.ways}) > 1
    groups: dict[tuple[str, str], list[str]] = {}
    for way in record.ways:
        # The remark tells two times apart, or says a time itself ("7 ngày … nhà ở").
        shown = way.note if way.note and (several or _TIME_WORDS.search(way.note)) else ""
        names = groups.setdefault((way.time, shown), [])
        if way.way not in names:
            names.append(way.way)
    lines = []
    for (time, note), names in groups.items():
        extra = f" ({clip(note, 160).rstrip('.')})" if note else ""
        lines.append(sentence(f"• Nộp {', '.join(names)}: {time.rstrip('. ')}{extra}"))
    return lines


def record_where(record: NationalRecord) -> list[str]:
    """The executing agency and its level, the ways of filing, and the portal link."""
    level = f" ({record.level})" if record.level and record.level not in record.agency else ""
    # The portal's agencies often end with a full stop: one sentence, one stop.
    agency = clip(record.agency, AGENCY_CHARS).rstrip(". ")
    agency = agency or "cơ quan có thẩm quyền (xem trên Cổng)"
    lines = [sentence(f"Cơ quan thực hiện: {agency}{level}")]
    if record.ways:
        lines.append(f"Cách nộp: {', '.join(dict.fromkeys(way.way for way in record.ways))}.")
    return lines


def record_online(record: NationalRecord) -> list[str]:
    """Whether (and how far) it can be done online, from the record."""
    online = any(way.way == "trực tuyến" for way in record.ways)
    if record.offline_only or (record.ways and not online):
        return ["Thủ tục này chưa nộp trực tuyến được; nộp trực tiếp hoặc theo cách ghi trên Cổng."]
    if record.full_online:
        return ["Làm được toàn trình trực tuyến trên Cổng Dịch vụ công quốc gia (hoặc VNeID)."]
    if online:
        return [
            "Nộp hồ sơ trực tuyến được trên Cổng Dịch vụ công quốc gia (hoặc VNeID); "
            "có thể vẫn phải đến nhận kết quả hoặc xuất trình bản chính."
        ]
    return ["Cổng Dịch vụ công chưa ghi cách nộp trực tuyến cho thủ tục này."]


def record_steps(record: NationalRecord) -> list[str]:
    """The steps, short and numbered."""
    steps = short_steps(record.steps_text)
    if not steps:
        return ["Cổng Dịch vụ công không ghi các bước cho thủ tục này."]
    return [f"{n}. {step}" for n, step in enumerate(steps, start=1)]


def record_legal(record: NationalRecord) -> list[str]:
    """The first legal bases the record cites."""
    if not record.legal_bases:
        return ["Cổng Dịch vụ công không ghi căn cứ pháp lý cho thủ tục này."]
    shown = [f"• {basis}" for basis in record.legal_bases[:MAX_LEGAL]]
    more = len(record.legal_bases) - MAX_LEGAL
    return shown + ([f"… và {more} văn bản khác (xem trên Cổng)."] if more > 0 else [])
