"""Read the one-stop system's JSON (national portal vocabulary) into typed results.

The only place that knows the record's field names (MaHoSo, TrangThaiHoSo, ...).
Anything unexpected raises `BadResponse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from status_client.exceptions import BadResponse
from status_client.models import (
    VIETNAM_TZ,
    ChangeContact,
    ChangesPage,
    Dossier,
    DossierPage,
    DossierStatus,
    Fee,
    FilingChannel,
    ProcessingStep,
    StatusChange,
)

__all__ = ["parse_changes", "parse_dossier", "parse_dossier_page", "parse_timestamp"]

_T = TypeVar("_T")
_DIGITS14 = re.compile(r"[0-9]{14}")


def parse_timestamp(value: object) -> datetime | None:
    """A `yyyyMMddHHmmss` Vietnam-time timestamp; None or "" mean "not yet"."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DIGITS14.fullmatch(value):
        raise BadResponse(f"timestamp {value!r} is not yyyyMMddHHmmss")
    try:
        # Sliced by hand: strptime was most of the time it took to read a dossier listing.
        return datetime(
            int(value[:4]), int(value[4:6]), int(value[6:8]),
            int(value[8:10]), int(value[10:12]), int(value[12:14]), tzinfo=VIETNAM_TZ,
        )  # fmt: skip
    except ValueError as error:
        raise BadResponse(f"timestamp {value!r} is not yyyyMMddHHmmss") from error


def _required_timestamp(value: object) -> datetime:
    parsed = parse_timestamp(value)
    if parsed is None:
        raise BadResponse("a required timestamp is missing")
    return parsed


def _text(record: dict[str, Any], key: str, *, optional: bool = False) -> str:
    value = record.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise BadResponse(f"field {key} should be text, got {type(value).__name__}")
    return value


def _status(value: object) -> DossierStatus:
    try:
        return DossierStatus(str(value))
    except ValueError as error:
        raise BadResponse(f"unknown TrangThaiHoSo {value!r}") from error


def _items(
    record: dict[str, Any], key: str, parse: Callable[[dict[str, Any]], _T]
) -> tuple[_T, ...]:
    items = record.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadResponse(f"field {key} should be a list of objects")
    return tuple(parse(item) for item in items)


def _step(item: dict[str, Any]) -> ProcessingStep:
    return ProcessingStep(
        at=_required_timestamp(item.get("ThoiDiemXuLy")),
        unit=_text(item, "PhongBanXuLy", optional=True),
        description=_text(item, "NoiDungXuLy", optional=True),
        handler_title=_text(item, "ChucDanh", optional=True),
        handler_name=_text(item, "NguoiXuLy", optional=True),
    )


def _fee(item: dict[str, Any]) -> Fee:
    amount = item.get("Gia")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise BadResponse(f"fee amount {amount!r} is not a number")
    return Fee(
        name=_text(item, "TenPhiLePhi"), amount_vnd=int(amount), paid=bool(item.get("DaThanhToan"))
    )


# KenhThucHien as the national portal numbers it.
_CHANNELS = {1: FilingChannel.IN_PERSON, 2: FilingChannel.ONLINE, 3: FilingChannel.POST}


def _channel(value: object) -> FilingChannel | None:
    """KenhThucHien → `FilingChannel`; absent (older records) or unknown → None.

    Lenient on purpose: a citizen's lookup must not fail over a field only figures use.
    """
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return _CHANNELS.get(value)


def parse_dossier(record: object) -> Dossier:
    """A dossier record → `Dossier`."""
    if not isinstance(record, dict):
        raise BadResponse("a dossier should be a JSON object")
    try:
        return Dossier(
            code=_text(record, "MaHoSo"),
            procedure_code=_text(record, "MaTTHC"),
            procedure_name=_text(record, "TenTTHC"),
            status=_status(record.get("TrangThaiHoSo")),
            handling_unit=_text(record, "DonViXuLy", optional=True),
            submitted_at=parse_timestamp(record.get("NgayNopHoSo")),
            received_at=parse_timestamp(record.get("NgayTiepNhan")),
            due_at=parse_timestamp(record.get("NgayHenTra")),
            returned_at=parse_timestamp(record.get("NgayTra")),
            finished_at=parse_timestamp(record.get("NgayKetThucXuLy")),
            channel=_channel(record.get("KenhThucHien")),
            applicant_name=_text(record, "ChuHoSo"),
            id_number=_text(record, "SoGiayToChuHoSo", optional=True) or None,
            phone=_text(record, "SoDienThoai", optional=True) or None,
            steps=_items(record, "QuaTrinhXuLy", _step),
            fees=_items(record, "DanhSachLePhi", _fee),
            supplements_requested=_items(
                record, "DanhSachHoSoBoSung", lambda item: _text(item, "NoiDungBoSung")
            ),
            result_documents=_items(
                record, "DanhSachGiayToKetQua", lambda item: _text(item, "TenGiayTo")
            ),
        )
    except (TypeError, ValueError) as error:
        raise BadResponse(f"unreadable dossier record: {error}") from error


def parse_dossier_page(body: object) -> DossierPage:
    """`{"items": [...], "total", "limit", "offset"}` → `DossierPage`."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise BadResponse("a dossier listing should be an object with items")
    try:
        return DossierPage(
            dossiers=tuple(parse_dossier(item) for item in body["items"]),
            total=int(body["total"]),
            limit=int(body["limit"]),
            offset=int(body["offset"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BadResponse(f"unreadable dossier listing: {error}") from error


def _change(item: dict[str, Any]) -> StatusChange:
    old = item.get("TrangThaiCu")
    contact = None
    if "SoDienThoai" in item:
        contact = ChangeContact(
            phone=_text(item, "SoDienThoai", optional=True) or None,
            due_at=parse_timestamp(item.get("NgayHenTra")),
            procedure_name=_text(item, "TenTTHC", optional=True) or None,
        )
    return StatusChange(
        cursor=int(item["cursor"]),
        code=_text(item, "MaHoSo"),
        procedure_code=_text(item, "MaTTHC"),
        old_status=None if old is None else _status(old),
        new_status=_status(item.get("TrangThaiMoi")),
        at=_required_timestamp(item.get("ThoiDiem")),
        contact=contact,
    )


def parse_changes(body: object) -> ChangesPage:
    """`{"changes": [...], "next_cursor"}` → `ChangesPage` (cursors strictly increasing)."""
    if not isinstance(body, dict):
        raise BadResponse("the changes feed should be a JSON object")
    try:
        changes = _items(body, "changes", _change)
        next_cursor = int(body["next_cursor"])
    except (KeyError, TypeError, ValueError) as error:
        raise BadResponse(f"unreadable changes feed: {error}") from error
    cursors = [change.cursor for change in changes]
    if any(later <= earlier for earlier, later in zip(cursors, cursors[1:], strict=False)):
        raise BadResponse("the changes feed's cursors are not strictly increasing")
    return ChangesPage(changes=changes, next_cursor=next_cursor)
