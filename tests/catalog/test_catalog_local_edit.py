"""Editing the province's layer: checked as the YAML import checks, stored, answered, exported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from catalog.answers import Aspect
from catalog.answers_service import answer_about
from catalog.loader import LoadedEntry, load_content
from catalog.local_edit import (
    LocalEditRejected,
    UnknownProcedure,
    add_alias,
    delete_local,
    edit_local,
    local_entry,
    remove_alias,
    restore_local,
)
from catalog.local_view import find_procedures, procedure_view
from catalog.national.export import SNAPSHOT, read_export
from catalog.national.importer import import_national
from catalog.queries import catalog_version
from catalog.store import all_entries, export_catalog, import_entries
from testing.national_exports import write_portal_folder

HOURS = "Thứ Hai đến thứ Sáu: 7h30–11h30, 13h30–17h00"
ADDRESS = "Bộ phận một cửa UBND phường Bến Thành, 92 Nguyễn Trãi"


def _problems(rejected: pytest.ExceptionInfo[LocalEditRejected]) -> dict[str, str]:
    return {problem.field: problem.message for problem in rejected.value.problems}


def test_office_hours_and_fees_are_stored_and_answered(
    session: Session, content: list[LoadedEntry]
) -> None:
    import_entries(session, content)
    version = catalog_version(session)
    fees = [{"description": "Lệ phí đăng ký thường trú", "amount_vnd": 15000}]
    before, after = edit_local(
        session, "1.004222", {"office_hours": HOURS, "office_address": ADDRESS, "fees": fees}
    )
    assert before is not None and before["office_hours"] is None
    assert after["office_hours"] == HOURS and after["fees"][0]["amount_vnd"] == 15000
    assert catalog_version(session) != version
    where = answer_about(session, code="1.004222", aspect=Aspect.WHERE)
    assert where is not None and f"Giờ làm việc: {HOURS}" in where.text and ADDRESS in where.text
    fee = answer_about(session, code="1.004222", aspect=Aspect.FEE)
    assert fee is not None and "15.000" in fee.text


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"office_hours": "17h30–11h30"}, "office_hours", "Giờ làm việc: «17h30–11h30» có giờ"),
        ({"office_hours": "sáng thứ Bảy"}, "office_hours", "ít nhất một khung giờ"),
        ({"office_hours": "7h30–25h"}, "office_hours", "«25h» không phải giờ"),
        (
            {"fees": [{"description": "Lệ phí", "amount_vnd": -5000}]},
            "fees.0.amount_vnd",
            "Lệ phí thứ 1, số tiền (đồng): phải từ 0 trở lên",
        ),
        (
            {"fees": [{"description": "Lệ phí", "amount_vnd": "hai mươi nghìn"}]},
            "fees.0.amount_vnd",
            "phải là số nguyên",
        ),
        ({"fees": [{"amount_vnd": 1000}]}, "fees.0.description", "mô tả: bắt buộc"),
        ({"ofice_hours": HOURS}, "ofice_hours", "không phải một mục"),
        ({"aliases": ["đăng ký kết hôn"]}, "aliases", "của thủ tục 1.000894"),
        ({"name": "x" * 501}, "name", "Tên thủ tục: dài quá 500 ký tự"),
        ({"code": "1.000894"}, "code", "không sửa được"),
    ],
)
def test_bad_edits_are_refused_field_by_field(
    session: Session, content: list[LoadedEntry], changes: dict, field: str, words: str
) -> None:
    import_entries(session, content)
    before = local_entry(session, "1.004222")
    with pytest.raises(LocalEditRejected) as rejected:
        edit_local(session, "1.004222", changes)
    assert words in _problems(rejected)[field]
    assert local_entry(session, "1.004222") == before


def test_a_national_only_procedure_gets_a_local_entry_and_revert_removes_it(
    session: Session, tmp_path: Path
) -> None:
    export = read_export(SNAPSHOT)
    import_national(session, read_export(write_portal_folder(tmp_path, export, ["1.001193"])))
    before, after = add_alias(session, "1.001193", "  làm   giấy khai sinh ")
    assert before is None
    assert after["name"] == "Thủ tục đăng ký khai sinh"
    assert after["aliases"] == ["làm giấy khai sinh"]
    assert after["source"].endswith("ma_thu_tuc=1.001193")
    with pytest.raises(LocalEditRejected, match="đã là tên gọi khác của thủ tục này"):
        add_alias(session, "1.001193", "Làm giấy khai sinh")
    assert restore_local(session, "1.001193", before) == after
    assert local_entry(session, "1.001193") is None
    with pytest.raises(UnknownProcedure):
        add_alias(session, "9.999999", "không có")


def test_alias_removal_and_revert_restore_the_entry(
    session: Session, content: list[LoadedEntry]
) -> None:
    import_entries(session, content)
    original = local_entry(session, "1.000656")
    assert original is not None and "giấy chứng tử" in original["aliases"]
    before, after = remove_alias(session, "1.000656", "giấy chứng tử")
    assert before == original and "giấy chứng tử" not in after["aliases"]
    with pytest.raises(LocalEditRejected):
        remove_alias(session, "1.000656", "giấy chứng tử")
    restore_local(session, "1.000656", before)
    assert local_entry(session, "1.000656") == original
    with pytest.raises(LocalEditRejected, match="liên thông 2.002913"):
        delete_local(session, "1.000656")  # a member of the death-registration bundle
    marriage = local_entry(session, "1.000894")
    assert delete_local(session, "1.000894") == marriage and marriage is not None
    assert local_entry(session, "1.000894") is None


def test_edits_round_trip_through_the_yaml_export(
    session: Session, content: list[LoadedEntry], tmp_path: Path
) -> None:
    import_entries(session, content)
    edit_local(session, "1.004222", {"office_hours": HOURS, "note": "Mang theo CCCD gắn chip."})
    add_alias(session, "1.000656", "khai tử cho người thân")
    export_catalog(session, tmp_path)
    loaded = load_content(tmp_path)
    assert [item.entry for item in loaded] == all_entries(session)
    report = import_entries(session, loaded)
    assert (report.created, report.updated) == ([], [])
    assert HOURS in (tmp_path / "1.004222.yml").read_text(encoding="utf-8")


def test_staff_find_procedures_without_diacritics_and_see_one_in_full(
    session: Session, content: list[LoadedEntry], tmp_path: Path
) -> None:
    export = read_export(SNAPSHOT)
    codes = ["1.004222", "1.004194", "1.000005"]
    import_national(session, read_export(write_portal_folder(tmp_path, export, codes)))
    import_entries(session, content)
    total, rows = find_procedures(session, query="dang ky thuong tru")
    residence = next(row for row in rows if row.code == "1.004222")
    assert residence.local and residence.national == "detailed"
    assert [row.local for row in rows] == sorted((row.local for row in rows), reverse=True)
    total, rows = find_procedures(session, query="so do")  # an alias: "sổ đỏ"
    assert {"1.013978"} <= {row.code for row in rows}
    assert find_procedures(session, query="1.00000")[1][0].code == "1.000005"
    local_total, _ = find_procedures(session, local_only=True)
    assert local_total == len(content)
    view = procedure_view(session, "1.004222")
    assert view["national"]["detailed"] and view["local"]["code"] == "1.004222"
    assert "fees" in view["overrides"]
    with pytest.raises(UnknownProcedure):
        procedure_view(session, "9.999999")
