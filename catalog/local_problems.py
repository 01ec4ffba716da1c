"""What is wrong with a local-layer edit, field by field, in Vietnamese for staff.

The checks are the YAML import's own (`catalog.schema`, `catalog.loader.validate_entries`);
this module only says their findings in the words a clerk reads next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from catalog.errors import CatalogError

__all__ = ["FIELD_LABELS", "FieldProblem", "LocalEditRejected", "field_label", "problems_of"]

FIELD_LABELS = {
    "code": "Mã thủ tục",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "agency": "Cơ quan thực hiện",
    "office_address": "Địa chỉ nơi nộp",
    "office_hours": "Giờ làm việc",
    "note": "Lưu ý",
    "processing_days": "Thời hạn (ngày làm việc)",
    "processing_note": "Ghi chú thời hạn",
    "online_level": "Mức trực tuyến",
    "legal_basis": "Căn cứ pháp lý",
    "source": "Nguồn",
    "checked_on": "Ngày kiểm tra",
    "popularity": "Độ phổ biến",
    "aliases": "Tên gọi khác",
    "documents": "Giấy tờ",
    "fees": "Lệ phí",
    "steps": "Các bước",
    "bundle_members": "Thủ tục liên thông",
    "unconfirmed": "Phần chưa xác nhận",
    "unconfirmed_note": "Ghi chú phần chưa xác nhận",
    "description": "mô tả",
    "amount_vnd": "số tiền (đồng)",
    "condition": "điều kiện",
    "kind": "loại bản",
    "count": "số bản",
    "form": "mẫu",
}

_MESSAGES = {
    "missing": "bắt buộc, chưa có",
    "extra_forbidden": "không phải một mục của lớp dữ liệu địa phương",
    "string_too_short": "không được để trống",
    "string_too_long": "dài quá {max_length} ký tự",
    "too_long": "quá nhiều mục (tối đa {max_length})",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than_equal": "không được lớn hơn {le}",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "string_type": "phải là chữ",
    "list_type": "phải là danh sách",
    "model_type": "phải là một mục có các trường",
    "model_attributes_type": "phải là một mục có các trường",
    "date_type": "phải là ngày dạng 2026-12-01",
    "date_parsing": "phải là ngày dạng 2026-12-01",
    "date_from_datetime_parsing": "phải là ngày dạng 2026-12-01",
    "literal_error": "phải là một trong: {expected}",
    "code_shape": "phải có dạng 1.001193",
    "alias_empty": "có một tên gọi để trống",
    "alias_twice": "«{alias}» có hai lần",
    "unknown_parts": "không biết phần {unknown}; chỉ dùng: {known}",
    "unconfirmed_note": "có phần chưa xác nhận thì phải ghi lý do",
    "hours_no_range": "phải có ít nhất một khung giờ, ví dụ 7h30–11h30",
    "hours_bad_time": "«{time}» không phải giờ trong ngày",
    "hours_order": "«{range}» có giờ kết thúc trước giờ bắt đầu",
    "json_invalid": "không đọc được dữ liệu gửi lên",
}


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong: the field (dotted path, e.g. `fees.0.amount_vnd`) and why."""

    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        """The form the console's API answers with (as every 422 of the gateway)."""
        return {"field": self.field or "body", "problem": self.message}


class LocalEditRejected(CatalogError):
    """The edit breaks a rule of the local layer; nothing was changed."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


def field_label(path: str) -> str:
    """A dotted field path as staff read it: `fees.0.amount_vnd` → "Lệ phí thứ 1, số tiền"."""
    parts: list[str] = []
    for part in path.split("."):
        if part.isdigit() and parts:
            parts[-1] += f" thứ {int(part) + 1}"
        elif part:
            parts.append(FIELD_LABELS.get(part, part))
    return ", ".join(parts) or "Thủ tục"


def _message(detail: Any) -> str:
    template = _MESSAGES.get(detail["type"])
    if template is None:
        return "giá trị không hợp lệ"
    context = {key: str(value) for key, value in (detail.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template


def problems_of(error: ValidationError) -> list[FieldProblem]:
    """Every problem pydantic found, labelled for staff."""
    problems = []
    for detail in error.errors():
        path = ".".join(str(part) for part in detail["loc"])
        problems.append(FieldProblem(path, f"{field_label(path)}: {_message(detail)}"))
    return problems
