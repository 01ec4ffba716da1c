"""Dossier records in the national portal's vocabulary, and their status transitions.

A record is a JSON-ready dict (MaHoSo, MaTTHC, TrangThaiHoSo, NgayTiepNhan, ...). Seeding
and the transition endpoint both move records through `apply_status`, so seeded history
and live changes look alike.
"""

from __future__ import annotations

import random
import zlib
from datetime import datetime, time, timedelta, timezone
from typing import Any

from simulators.onestop.people import Applicant
from simulators.onestop.procedures import FeeItem, Procedure, Unit
from workdays import due_date

__all__ = [
    "ALLOWED",
    "STATUSES",
    "VIETNAM_TZ",
    "Record",
    "apply_status",
    "fmt",
    "new_record",
]

Record = dict[str, Any]
_OFFSET = timedelta(hours=7)
VIETNAM_TZ = timezone(_OFFSET)
STATUSES = (
    "receiving", "new", "denied", "processing", "waiting", "paying", "cancelled",
    "unresolved", "releasing", "done",
)  # fmt: skip
# Which status may follow which (the national workflow, simplified).
ALLOWED: dict[str, frozenset[str]] = {
    "receiving": frozenset({"new", "denied", "cancelled"}),
    "new": frozenset({"processing", "waiting", "cancelled", "unresolved"}),
    "processing": frozenset({"waiting", "paying", "releasing", "unresolved", "cancelled"}),
    "waiting": frozenset({"processing", "cancelled", "unresolved"}),
    "paying": frozenset({"processing", "releasing", "cancelled", "unresolved"}),
    "releasing": frozenset({"done"}),
    "denied": frozenset(),
    "cancelled": frozenset(),
    "unresolved": frozenset(),
    "done": frozenset(),
}
_CLOSE_OF_BUSINESS = time(17, 0)
# KenhThucHien: 1 trực tiếp (at the desk), 2 trực tuyến (online), 3 bưu chính công ích (post).
_ONE_STOP = "Bộ phận Tiếp nhận và Trả kết quả"


def fmt(moment: datetime | None) -> str | None:
    """`yyyyMMddHHmmss` in Vietnam time, or None."""
    if moment is None:
        return None
    if moment.utcoffset() != _OFFSET:
        moment = moment.astimezone(VIETNAM_TZ)
    # Formatted by hand: strftime dominated seeding time.
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _fee(item: FeeItem, *, paid: bool) -> dict[str, Any]:
    kind = 3 if item.obligation else 2  # 2: lệ phí / phí, 3: thuế, nghĩa vụ tài chính
    return {"TenPhiLePhi": item.name, "Gia": item.amount, "LoaiPhiLePhi": kind, "DaThanhToan": paid}


def new_record(
    code: str,
    procedure: Procedure,
    unit: Unit,
    applicant: Applicant,
    submitted_at: datetime,
    *,
    online: bool,
) -> Record:
    """A dossier just submitted (status `receiving`), not yet accepted.

    Paper dossiers come by post for about one in ten, chosen by the code's hash so that
    seeding draws nothing more from its random stream (seeded dossiers stay as they were).
    """
    return {
        "MaHoSo": code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field_code,
        "TenLinhVuc": procedure.field_name,
        "KenhThucHien": 2 if online else (3 if zlib.crc32(code.encode()) % 10 == 0 else 1),
        "ChuHoSo": applicant.full_name,
        "LoaiDoiTuong": 1,
        "SoGiayToChuHoSo": applicant.id_number,
        "SoDienThoai": applicant.phone,
        "Email": None,
        "TrichYeuHoSo": f"{procedure.name} cho {applicant.full_name}",
        "NgayNopHoSo": fmt(submitted_at),
        "NgayTiepNhan": None,
        "NgayHenTra": None,
        "NgayKetThucXuLy": None,
        "NgayTra": None,
        "NgayTuChoi": None,
        "TrangThaiHoSo": "receiving",
        "DonViXuLy": unit.name,
        "HinhThuc": 0,
        "TaiLieuNop": [{"TenTaiLieu": f"Hồ sơ {procedure.name}"}],
        "DanhSachLePhi": [_fee(item, paid=False) for item in procedure.fees],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "QuaTrinhXuLy": [
            _step(submitted_at, "Công dân nộp hồ sơ", "receiving", "Công dân", unit.name)
        ],
    }


def _step(at: datetime, content: str, status: str, who: str, department: str) -> Record:
    stamp = fmt(at)
    return {
        "NguoiXuLy": who,
        "ChucDanh": "Công chức" if who != "Công dân" else "Chủ hồ sơ",
        "ThoiDiemXuLy": stamp,
        "PhongBanXuLy": department,
        "NoiDungXuLy": content,
        "TrangThai": status,
        "NgayBatDau": stamp,
        "NgayKetThucTheoQuyDinh": None,
    }


def _mark_fees(record: Record, *, paid: bool, obligations_only: bool) -> None:
    for fee in record["DanhSachLePhi"]:
        if not obligations_only or fee["LoaiPhiLePhi"] == 3:
            fee["DaThanhToan"] = paid


def _receive(record: Record, procedure: Procedure, at: datetime) -> None:
    """Received at the desk: the due date is set, fees paid at the desk are paid."""
    record["NgayTiepNhan"] = fmt(at)
    due = due_date(at.replace(tzinfo=None), procedure.working_days)
    record["NgayHenTra"] = fmt(datetime.combine(due, _CLOSE_OF_BUSINESS, VIETNAM_TZ))
    _mark_fees(record, paid=True, obligations_only=False)
    _mark_fees(record, paid=False, obligations_only=True)


def _ask_payment(record: Record) -> None:
    """Financial obligations are due (an appraisal fee when the procedure lists none)."""
    if not record["DanhSachLePhi"]:
        record["DanhSachLePhi"].append(
            _fee(FeeItem("Phí thẩm định hồ sơ", 50_000, obligation=True), paid=False)
        )
    _mark_fees(
        record,
        paid=False,
        obligations_only=any(fee["LoaiPhiLePhi"] == 3 for fee in record["DanhSachLePhi"]),
    )


def apply_status(
    record: Record,
    procedure: Procedure,
    status: str,
    at: datetime,
    officer: str,
    rng: random.Random,
) -> None:
    """Move `record` to `status` at `at` (in place), updating dates, lists and history."""
    previous = record["TrangThaiHoSo"]
    unit = record["DonViXuLy"]
    department = f"{_ONE_STOP} - {unit}"
    if status == "new":
        _receive(record, procedure, at)
        content = "Tiếp nhận hồ sơ, hẹn trả kết quả"
    elif status == "denied":
        record["NgayTuChoi"] = fmt(at)
        content = "Từ chối tiếp nhận: hồ sơ chưa đúng thành phần theo quy định"
    elif status == "processing":
        department = f"Bộ phận chuyên môn - {unit}"
        content = {
            "waiting": "Đã nhận hồ sơ bổ sung, tiếp tục xử lý",
            "paying": "Công dân đã hoàn thành nghĩa vụ tài chính, tiếp tục xử lý",
        }.get(previous, "Chuyển hồ sơ đến bộ phận chuyên môn thẩm định")
        if previous == "paying":
            _mark_fees(record, paid=True, obligations_only=False)
    elif status == "waiting":
        request = rng.choice(procedure.supplements)
        record["DanhSachHoSoBoSung"].append({"NoiDungBoSung": request, "NgayYeuCau": fmt(at)})
        content = f"Yêu cầu bổ sung: {request}"
    elif status == "paying":
        _ask_payment(record)
        content = "Thông báo thực hiện nghĩa vụ tài chính"
    elif status == "cancelled":
        content = "Công dân yêu cầu rút hồ sơ"
    elif status == "unresolved":
        content = "Dừng xử lý: hồ sơ không đủ điều kiện giải quyết"
    elif status == "releasing":
        record["NgayKetThucXuLy"] = fmt(at)
        record["DanhSachGiayToKetQua"] = [{"TenGiayTo": name} for name in procedure.results]
        _mark_fees(record, paid=True, obligations_only=False)
        content = "Đã có kết quả, chuyển bộ phận một cửa trả kết quả"
    elif status == "done":
        record["NgayTra"] = fmt(at)
        content = "Đã trả kết quả cho công dân"
    else:
        raise ValueError(f"unknown status {status!r}")
    record["TrangThaiHoSo"] = status
    record["QuaTrinhXuLy"].append(_step(at, content, status, officer, department))
