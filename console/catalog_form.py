"""The procedure edit form: the local entry as form fields, and a posted form as changes.

Fees are one a line, "mô tả | số tiền | điều kiện"; aliases one a line. A posted form
becomes the fields that differ from the entry (so saving an untouched form changes
nothing); an amount that is not a number is passed on as written, so that the schema
refuses it with its own message next to the field.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORM_FIELDS", "changes_from_form", "form_values"]

# (field, label, kind): "line" an input, "text" a textarea, "fees"/"lines" parsed textareas.
FORM_FIELDS = (
    ("office_address", "Địa chỉ nơi nộp", "text"),
    ("office_hours", "Giờ làm việc (ví dụ: Thứ Hai–thứ Sáu: 7h30–11h30, 13h30–17h00)", "line"),
    ("fees", "Lệ phí của tỉnh, mỗi dòng một khoản: mô tả | số tiền (đồng) | điều kiện", "fees"),
    ("aliases", "Tên gọi khác, mỗi dòng một tên", "lines"),
    ("note", "Lưu ý cho người dân", "text"),
    ("source", "Nguồn (văn bản, trang web)", "line"),
    ("checked_on", "Ngày kiểm tra (năm-tháng-ngày)", "line"),
)
_REQUIRED = {"source", "checked_on"}


def _fee_line(fee: dict[str, Any]) -> str:
    amount = "" if fee.get("amount_vnd") is None else str(fee["amount_vnd"])
    return f"{fee['description']} | {amount} | {fee.get('condition') or ''}".rstrip(" |")


def form_values(entry: dict[str, Any]) -> dict[str, str]:
    """What each form field shows for `entry` (the local entry, or the fresh one)."""
    values = {}
    for name, _label, kind in FORM_FIELDS:
        value = entry.get(name)
        if kind == "fees":
            values[name] = "\n".join(_fee_line(fee) for fee in value or [])
        elif kind == "lines":
            values[name] = "\n".join(value or [])
        else:
            values[name] = "" if value is None else str(value)
    return values


def _amount(text: str) -> int | str | None:
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "")
    cleaned = cleaned.removesuffix("đồng").removesuffix("đ")
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        return text  # refused by the schema, next to the field


def _fees(text: str) -> list[dict[str, Any]]:
    fees = []
    for line in text.splitlines():
        if not line.strip():
            continue
        description, _, rest = line.partition("|")
        amount, _, condition = rest.partition("|")
        fees.append(
            {
                "description": description.strip(),
                "amount_vnd": _amount(amount.strip()),
                "condition": condition.strip() or None,
            }
        )
    return fees


def _parsed(name: str, kind: str, raw: str) -> Any:
    if kind == "fees":
        return _fees(raw)
    if kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    text = raw.strip()
    return text if text or name in _REQUIRED else None


def changes_from_form(form: dict[str, str], entry: dict[str, Any]) -> dict[str, Any]:
    """The fields of the posted `form` whose value differs from `entry`."""
    changes = {}
    for name, _label, kind in FORM_FIELDS:
        if name not in form:
            continue
        value = _parsed(name, kind, form[name])
        current = entry.get(name)
        if kind == "fees":
            current = [{**fee, "condition": fee.get("condition")} for fee in current or []]
        if value != (current if current is not None or kind not in ("fees", "lines") else []):
            changes[name] = value
    return changes
