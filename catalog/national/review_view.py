"""What staff see of import runs: the list, and one run's changes with both values."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.national.models import (
    NationalChange,
    NationalImport,
    NationalProcedure,
    NationalStaged,
)
from catalog.national.overrides import NATIONAL_FIELDS
from catalog.national.review import UnknownReviewItem

__all__ = ["FIELD_NAMES", "import_detail", "import_summaries", "short_value"]

FIELD_NAMES = {
    "name": "Tên thủ tục",
    "state": "Trạng thái",
    "type": "Loại thủ tục",
    "categories": "Lĩnh vực",
    "departments": "Cơ quan quản lý",
    "target": "Đối tượng",
    "level": "Cấp thực hiện",
    "agencies": "Cơ quan thực hiện",
    "receiving_addresses": "Nơi tiếp nhận",
    "methods": "Cách nộp, thời hạn, phí",
    "cases": "Các trường hợp",
    "documents": "Thành phần hồ sơ",
    "steps": "Trình tự thực hiện",
    "requirements": "Yêu cầu, điều kiện",
    "results": "Kết quả",
    "legal_bases": "Căn cứ pháp lý",
    "online": "Mức trực tuyến",
}
KINDS = {"added": "Thủ tục mới", "removed": "Bị bỏ khỏi danh sách", "changed": "Thay đổi"}
STATUS_NAMES = {
    "applied": "đã áp dụng ngay",
    "dry_run": "chỉ xem trước",
    "review": "chờ duyệt",
    "published": "đã công bố",
    "discarded": "đã bỏ",
}
STATE_NAMES = {
    "pending": "chờ công bố",
    "published": "đã công bố",
    "held": "đang giữ lại",
    "released": "đã công bố sau",
    "superseded": "lần nhập sau thay thế",
    "discarded": "đã bỏ",
}
SHORT_CHARS = 400


_WAYS = {"DIRECT": "Trực tiếp", "ONLINE": "Trực tuyến", "POSTAL": "Bưu chính"}


def _amount(value: Any) -> str:
    if not isinstance(value, int | float):
        return "?"
    return f"{int(value):,}".replace(",", ".") + " đ"


def _method(method: dict[str, Any]) -> str:
    way = _WAYS.get(method.get("submissionMethod", ""), str(method.get("submissionMethod")))
    time = method.get("processingTime")
    units = {"WORKING_DAY": "ngày làm việc", "DAY": "ngày"}
    unit = units.get(str(method.get("processingTimeUnit")))
    shown = f"{time:g} {unit}" if isinstance(time, int | float) and unit else str(time or "?")
    fees = ", ".join(_amount(fee.get("value")) for fee in method.get("fees") or []) or "không"
    return f"{way}: {shown}; phí {fees}"


def _readable(field: str | None, value: Any) -> str:
    if isinstance(value, str):
        return value
    if field == "methods" and isinstance(value, list):
        return "\n".join(_method(m) for m in value if isinstance(m, dict))
    if field == "online" and isinstance(value, dict):
        return "toàn trình" if value.get("full") else "không toàn trình"
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return "\n".join(f"• {item.get('name') or '(không tên)'}" for item in value)
    if isinstance(value, list):
        return "\n".join(f"• {item}" for item in value)
    return json.dumps(value, ensure_ascii=False)


def short_value(value: Any, field: str | None = None) -> str:
    """A stored value as a few readable lines (clipped) for the review page."""
    if value is None or value == "" or value == []:
        return "(trống)"
    text = _readable(field, value)
    return text if len(text) <= SHORT_CHARS else text[: SHORT_CHARS - 1] + "…"


def _summary(run: NationalImport) -> dict[str, Any]:
    changes = run.changes or {}
    return {
        "id": run.id,
        "source": run.source,
        "fetched_on": run.fetched_on.isoformat(),
        "imported_at": run.imported_at.isoformat(),
        "status": run.status.value,
        "status_name": STATUS_NAMES[run.status.value],
        "added": len(changes.get("added", [])),
        "removed": len(changes.get("removed", [])),
        "changed": len(changes.get("changed", {})),
        "local_overrides_to_review": changes.get("local_overrides_to_review", {}),
    }


def import_summaries(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest import runs first."""
    query = select(NationalImport).order_by(NationalImport.id.desc()).limit(limit)
    return [_summary(run) for run in session.scalars(query)]


def _change_json(
    change: NationalChange,
    stored: NationalProcedure | None,
    staged: NationalStaged | None,
    overrides: list[str],
) -> dict[str, Any]:
    field = change.field
    current = stored.fields.get(field) if stored is not None and field else None
    new = staged.fields.get(field) if staged is not None and field else None
    known = staged if staged is not None else stored
    return {
        "id": change.id,
        "code": change.code,
        "name": known.name if known is not None else change.code,
        "kind": change.kind,
        "kind_name": KINDS[change.kind],
        "field": field,
        "field_name": FIELD_NAMES.get(field or "", "Toàn bộ bản ghi"),
        "state": change.state.value,
        "state_name": STATE_NAMES[change.state.value],
        "current": current,
        "staged": new,
        "local_overrides": [
            local for local in overrides if field is None or field in NATIONAL_FIELDS[local]
        ],
    }


def import_detail(session: Session, import_id: int) -> dict[str, Any]:
    """One import run and every change it staged, with the stored and the new value."""
    run = session.get(NationalImport, import_id)
    if run is None:
        raise UnknownReviewItem(f"Không có lần nhập dữ liệu quốc gia số {import_id}.")
    changes = list(
        session.scalars(
            select(NationalChange)
            .where(NationalChange.import_id == import_id)
            .order_by(NationalChange.code, NationalChange.id)
        )
    )
    codes = {change.code for change in changes}
    stored = {
        row.code: row
        for row in session.scalars(
            select(NationalProcedure).where(NationalProcedure.code.in_(codes))
        )
    }
    staged = {
        row.code: row
        for row in session.scalars(
            select(NationalStaged).where(NationalStaged.import_id == import_id)
        )
    }
    review = (run.changes or {}).get("local_overrides_to_review", {})
    return {
        **_summary(run),
        "changes": [
            _change_json(
                change,
                stored.get(change.code),
                staged.get(change.code),
                review.get(change.code, []),
            )
            for change in changes
        ],
    }
