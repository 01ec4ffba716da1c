"""Read one stored national record into what an answer needs, situation by situation.

The portal's `executionCases` mix two things: real situations a citizen is in ("đăng ký
thường trú vào chỗ ở do thuê, mượn, ở nhờ") and mere groups of documents ("* Giấy tờ
phải nộp:", "* Giấy tờ phải xuất trình:", "* Lưu ý:", or no name at all). Groups are
documents every citizen brings; only real situations are worth a "which case is yours?"
question. Items with no original and no copy are remarks, not documents: they are left
out of the list. Cases published twice under the same name are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from catalog.national.models import NationalProcedure
from catalog.national.text import clip, drop_district, first_sentences

__all__ = [
    "NationalRecord",
    "Document",
    "Situation",
    "WayOfFiling",
    "FeeLine",
    "GENERAL_CASE",
    "portal_link",
    "read_record",
]

PORTAL_DETAIL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
GENERAL_CASE = "Trường hợp thông thường"
_WAYS = {"DIRECT": "trực tiếp", "ONLINE": "trực tuyến", "POSTAL": "qua bưu chính"}
_UNITS = {"WORKING_DAY": "ngày làm việc", "DAY": "ngày", "HOUR": "giờ", "MONTH": "tháng"}
_NOTES = re.compile(r"^lưu ý")
_ADDITIVE = re.compile(r"^(giấy tờ|giấy tờ phải (nộp|xuất trình))\b|^$")
_GENERAL = re.compile(r"^(hồ sơ|thành phần hồ sơ)\b")
_PRESENTED = re.compile(r"xuất trình")


@dataclass(frozen=True)
class FeeLine:
    """A fee of one way of filing: an amount (None or 0 with words: see the text)."""

    amount: int | None
    text: str
    # None: đồng. Consular fees are in USD; a small amount with no currency is unclear.
    currency: str | None = None


@dataclass(frozen=True)
class WayOfFiling:
    """In person, online or by post: its processing time, fees and the portal's remark."""

    way: str  # "trực tiếp", "trực tuyến", "qua bưu chính"
    time: str  # "7 ngày làm việc", or the portal's words
    note: str
    fees: tuple[FeeLine, ...]


@dataclass(frozen=True)
class Document:
    """One document to bring: its name and how many originals/copies ("1 bản chính")."""

    name: str
    counts: str
    presented: bool = False  # only shown (xuất trình), not handed in

    def line(self, limit: int) -> str:
        """The document on one line, its name clipped to `limit` characters."""
        shown = "Xuất trình: " if self.presented else ""
        return f"{shown}{clip(self.name, limit)} ({self.counts})"


@dataclass(frozen=True)
class Situation:
    """A real situation with its own documents."""

    name: str
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class NationalRecord:
    """What the answers use of one national procedure (full record or list entry)."""

    code: str
    name: str
    link: str
    fetched_on: date
    detailed: bool
    agency: str
    level: str  # "cấp xã", "cấp tỉnh", "cấp xã hoặc cấp tỉnh", or ""
    ways: tuple[WayOfFiling, ...] = ()
    common_documents: tuple[Document, ...] = ()
    situations: tuple[Situation, ...] = ()
    steps_text: tuple[str, ...] = ()
    legal_bases: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    full_online: bool = False
    offline_only: bool = False


def portal_link(record_id: str | None, code: str) -> str:
    """The national portal's page of a procedure (by its record id, else by code)."""
    return f"{PORTAL_DETAIL}?ma_thu_tuc={record_id or code}"


def _level(record: dict[str, Any]) -> str:
    pairs = (("isWard", "cấp xã"), ("isProvince", "cấp tỉnh"))
    levels = [name for key, name in pairs if record.get(key)]
    return " hoặc ".join(levels)


def _agency(record: dict[str, Any]) -> str:
    named = (record.get("executingAgencies") or "").replace("\xa0", " ").strip()
    if not named:
        groups = [g.get("name") or "" for g in record.get("unitGroupsExecuting") or []]
        departments = record.get("departments") or []
        named = ", ".join(dict.fromkeys(n.strip() for n in groups or departments if n.strip()))
    return drop_district(" ".join(named.split()))


def _amount(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


def _time(quantity: Any, unit: str | None) -> str:
    if isinstance(quantity, str) and quantity.strip().replace(".", "", 1).isdigit():
        quantity = float(quantity)
    if isinstance(quantity, (int, float)):
        if quantity == 0:
            return "trong ngày"
        # The portal's "OTHER" unit with a bare number is used by civil-status records for
        # working days (birth and marriage: 1 working day, FACTS.md).
        return f"{quantity:g} {_UNITS.get(unit or '', 'ngày làm việc')}".replace(".", ",")
    return first_sentences(str(quantity or ""), 160)


def _currency(name: Any, value: Any) -> str | None:
    if isinstance(name, str) and name.strip() and "đồng" not in name.casefold():
        return name.strip()
    if not name and isinstance(value, (int, float)) and 0 < value < 1000:
        return "?"  # 20 or 100 with no currency: not đồng, say only what the portal says
    return None


def _way(method: dict[str, Any]) -> WayOfFiling:
    time = _time(method.get("processingTime"), method.get("processingTimeUnit"))
    note = first_sentences(method.get("description") or "", 200)
    if time.casefold().startswith("theo mô tả") or not time:
        time, note = note or "xem trên Cổng Dịch vụ công", ""
    fees = tuple(
        FeeLine(
            _amount(fee.get("value")),
            first_sentences(fee.get("description") or "", 160),
            _currency(fee.get("currencyName"), fee.get("value")),
        )
        for fee in method.get("fees") or []
    )
    way = _WAYS.get(method.get("submissionMethod", ""), "khác")
    return WayOfFiling(way, time, note, fees)


def _document(item: dict[str, Any], presented: bool) -> Document | None:
    original, copy = item.get("originalQty") or 0, item.get("copyQty") or 0
    name = clip(item.get("name") or "", 1000)
    if not (original or copy) or not name:
        return None
    counts = [f"{n} {kind}" for n, kind in ((original, "bản chính"), (copy, "bản sao")) if n]
    return Document(name, ", ".join(counts), presented)


def _documents(items: list[dict[str, Any]], *, presented: bool) -> list[Document]:
    return [document for item in items if (document := _document(item, presented))]


def _group_name(name: str) -> str:
    return name.strip(" *-:\t\n").strip().casefold()


def _cases(record: dict[str, Any]) -> tuple[list[Document], list[Situation]]:
    common = _documents(record.get("profileComponents") or [], presented=False)
    named: dict[str, list[Document]] = {}
    general: list[Document] = []
    for case in record.get("executionCases") or []:
        name = " ".join((case.get("name") or "").split()).strip(" *:")
        key = _group_name(name)
        items = case.get("profileComponents") or []
        if _NOTES.match(key):
            continue
        if _ADDITIVE.match(key):
            common += _documents(items, presented=bool(_PRESENTED.search(key)))
        elif _GENERAL.match(key):
            general += _documents(items, presented=False)
        else:
            named.setdefault(name, []).extend(_documents(items, presented=False))
    situations = [Situation(clip(name, 120), tuple(docs)) for name, docs in named.items() if docs]
    if general and situations:
        situations.insert(0, Situation(GENERAL_CASE, tuple(general)))
    elif general:
        common = general + common
    if len(situations) == 1:
        common += situations[0].documents
        situations = []
    return common, situations


def _steps(record: dict[str, Any]) -> tuple[str, ...]:
    texts = []
    for step in record.get("executionSteps") or []:
        name, description = (step.get("name") or "").strip(), (step.get("description") or "")
        texts.append(f"{name}: {description}" if name and description else name or description)
    return tuple(text for text in texts if text.strip())


def read_record(row: NationalProcedure) -> NationalRecord:
    """The answerable view of a stored national procedure."""
    record = row.record
    base = NationalRecord(
        code=row.code,
        name=" ".join(row.name.split()),
        link=portal_link(record.get("id"), row.code),
        fetched_on=row.fetched_on,
        detailed=row.detailed,
        agency=_agency(record),
        level=_level(record),
    )
    if not row.detailed:
        return base
    common, situations = _cases(record)
    return replace(
        base,
        ways=tuple(_way(method) for method in record.get("executionMethods") or []),
        common_documents=tuple(common),
        situations=tuple(situations),
        steps_text=_steps(record),
        legal_bases=tuple(
            clip(basis.get("name") or basis.get("code") or "", 140)
            for basis in record.get("legalBasisesDetails") or []
        ),
        results=tuple(clip(r.get("name") or "", 140) for r in record.get("resultsDetails") or []),
        full_online=bool(record.get("isFullProcess")),
        offline_only=bool(record.get("isOfflineOnly")),
    )
