"""Builders of realistic catalog entries for tests, and reading back what was stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from catalog.models import Procedure
from catalog.queries import find_procedure
from catalog.schema import ProcedureEntry

FACTS_CODES = (
    "1.001193", "3.000722", "2.002913", "1.000894", "1.000656", "1.004873", "2.000815",
    "1.004222", "1.004194", "1.013978", "1.013831", "1.013225", "1.001612", "2.000720",
    "1.001776", "1.010038", "1.010028", "1.003197", "1.002755", "1.003677", "2.001159",
    "1.011607",
)  # fmt: skip


def raw_entry(code: str = "9.000001", **overrides: Any) -> dict[str, Any]:
    """A valid procedure entry as YAML would hold it; override any field."""
    entry: dict[str, Any] = {
        "code": code,
        "name": "Thủ tục thử nghiệm",
        "field": "Hộ tịch",
        "level": "Cấp xã",
        "agency": "Ủy ban nhân dân cấp xã",
        "processing_days": 3,
        "online_level": "mot_phan",
        "source": f"https://dichvucong.gov.vn/?ma_thu_tuc={code}",
        "checked_on": date(2026, 1, 2),
        "aliases": [f"thử {code}"],
        "documents": [{"name": "Tờ khai", "kind": "original", "count": 1}],
        "fees": [{"description": "Lệ phí", "amount_vnd": 10000}],
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
    }
    entry.update(overrides)
    return entry


def entry(code: str = "9.000001", **overrides: Any) -> ProcedureEntry:
    """A validated ProcedureEntry built from raw_entry."""
    return ProcedureEntry.model_validate(raw_entry(code, **overrides))


def write_yaml(directory: Path, name: str, data: Any) -> Path:
    """Write `data` as YAML to directory/name."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def stored_procedure(session: Session, *, code: str) -> Procedure:
    """The stored procedure `code`, which the test has imported."""
    procedure = find_procedure(session, code=code)
    assert procedure is not None, f"procedure {code} is not stored"
    return procedure
