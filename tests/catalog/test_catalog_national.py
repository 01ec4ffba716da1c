"""Import of the national procedure database: whole snapshot, re-import, changes, bad records."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.cli import main as catalog_cli
from catalog.loader import LoadedEntry
from catalog.national.export import SNAPSHOT, NationalExport, pack_export, read_export
from catalog.national.importer import NationalImportRejected, import_national
from catalog.national.models import NationalImport, NationalProcedure
from catalog.store import import_entries
from db import make_engine, upgrade_to_head
from testing.national_exports import write_portal_folder


@pytest.fixture(scope="module")
def snapshot() -> NationalExport:
    return read_export(SNAPSHOT)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(NationalProcedure)) or 0


def test_whole_snapshot_imports_then_reimports_unchanged(
    session: Session, snapshot: NationalExport
) -> None:
    first = import_national(session, snapshot)
    assert (len(first.added), first.removed, first.changed) == (5670, [], {})
    detailed = session.scalar(select(func.count()).where(NationalProcedure.detailed))
    assert (_count(session), detailed) == (5670, 502)
    residence = session.get(NationalProcedure, "1.004222")
    assert residence is not None and residence.name == "Đăng ký thường trú"
    assert residence.fields["level"] == "commune"
    fees = {m["submissionMethod"]: m["fees"][0]["value"] for m in residence.fields["methods"]}
    assert fees == {"ONLINE": 10000, "DIRECT": 20000}
    assert residence.source.startswith("Cổng Dịch vụ công quốc gia")
    again = import_national(session, read_export(SNAPSHOT))
    assert (again.added, again.removed, again.changed, again.unchanged) == ([], [], {}, 5670)
    last = session.scalars(select(NationalImport).order_by(NationalImport.id.desc())).first()
    assert last is not None and last.changes == {
        "added": [],
        "removed": [],
        "changed": {},
        "local_overrides_to_review": {},
    }


def test_modified_export_reports_exactly_what_changed(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    codes = ["1.001193", "1.004222", "1.000894", "1.013225", "2.000815", "1.000005"]
    import_national(session, read_export(write_portal_folder(tmp_path / "old", snapshot, codes)))
    newer = copy.deepcopy(snapshot)
    newer.details["1.004222"]["executionMethods"][0]["fees"][0]["value"] = 0
    newer.listing["1.000894"]["name"] = "Đăng ký kết hôn (sửa đổi)"
    changed_codes = [c for c in codes if c != "1.000005"] + ["1.000010"]
    folder = write_portal_folder(tmp_path / "new", newer, changed_codes)
    changes = import_national(session, read_export(folder))
    assert changes.added == ["1.000010"]
    assert changes.removed == ["1.000005"]
    assert changes.changed == {"1.004222": ["methods"], "1.000894": ["name"]}
    assert session.get(NationalProcedure, "1.000005") is None
    stored = session.get(NationalProcedure, "1.000894")
    assert stored is not None and stored.name == "Đăng ký kết hôn (sửa đổi)"


def test_local_overrides_over_a_changed_national_field_are_flagged(
    session: Session, snapshot: NationalExport, tmp_path: Path, content: list[LoadedEntry]
) -> None:
    codes = ["1.004222", "1.000894", "1.004194"]
    import_national(session, read_export(write_portal_folder(tmp_path / "old", snapshot, codes)))
    import_entries(session, content)  # the province's layer: 1.004222 overrides the fees
    newer = copy.deepcopy(snapshot)
    for code in codes:  # every one changes its fees, only 1.004222 has a local fee override
        newer.details[code]["executionMethods"][0]["fees"] = []
    folder = write_portal_folder(tmp_path / "new", newer, codes)
    changes = import_national(session, read_export(folder))
    assert set(changes.changed) == set(codes)
    assert changes.review == {"1.004222": ["fees"]}
    assert "review local override 1.004222: fees" in changes.summary()
    last = session.scalars(select(NationalImport).order_by(NationalImport.id.desc())).first()
    assert last is not None and last.changes["local_overrides_to_review"] == {"1.004222": ["fees"]}


def test_bad_records_are_all_reported_and_nothing_changes(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    codes = ["1.001193", "1.004222", "1.000894"]
    import_national(session, read_export(write_portal_folder(tmp_path / "good", snapshot, codes)))
    broken = copy.deepcopy(snapshot)
    broken.details["1.004222"]["executionMethods"][1]["submissionMethod"] = "FAX"
    del broken.listing["1.000894"]["name"]
    broken.details["1.001193"]["executionMethods"][0]["fees"] = "miễn phí"
    broken.listing["1.004222"]["name"] = "Đăng ký thường trú (đổi)"
    folder = write_portal_folder(tmp_path / "bad", broken, codes)
    with pytest.raises(NationalImportRejected) as rejected:
        import_national(session, read_export(folder))
    found = {(p.code, p.field) for p in rejected.value.problems}
    assert found == {
        ("1.004222", "details.executionMethods.1.submissionMethod"),
        ("1.000894", "name"),
        ("1.001193", "details.executionMethods.0.fees"),
    }
    stored = session.get(NationalProcedure, "1.004222")
    assert stored is not None and stored.name == "Đăng ký thường trú"


def test_dry_run_keeps_the_review_and_changes_nothing(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    folder = write_portal_folder(tmp_path / "export", snapshot, ["1.001193", "1.004222"])
    review = import_national(session, read_export(folder), dry_run=True)
    assert review.added == ["1.001193", "1.004222"]
    assert _count(session) == 0
    kept = session.scalars(select(NationalImport)).one()
    assert (kept.applied, kept.changes["added"]) == (False, ["1.001193", "1.004222"])


def test_pack_and_read_give_the_same_records(snapshot: NationalExport, tmp_path: Path) -> None:
    codes = ["1.001193", "1.000005", "1.004222"]
    folder = write_portal_folder(tmp_path / "export", snapshot, codes)
    packed = pack_export(folder, tmp_path / "snap.jsonl.gz", source="test export")
    again = read_export(tmp_path / "snap.jsonl.gz")
    assert (again.source, again.fetched_on.isoformat()) == ("test export", "2026-11-30")
    assert again.listing == packed.listing and again.details == packed.details
    assert sorted(again.details) == ["1.001193", "1.004222"]
    pack_export(folder, tmp_path / "snap2.jsonl.gz", source="test export")
    assert (tmp_path / "snap.jsonl.gz").read_bytes() == (tmp_path / "snap2.jsonl.gz").read_bytes()


def test_cli_reviews_imports_and_refuses_bad_exports(
    tmp_path: Path, snapshot: NationalExport
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_to_head(url)
    folder = write_portal_folder(tmp_path / "export", snapshot, ["1.001193"])
    assert catalog_cli(["import-national", str(folder), "--dry-run", "--database-url", url]) == 0
    assert _stored_codes(url) == []
    assert catalog_cli(["import-national", str(folder), "--database-url", url]) == 0
    assert _stored_codes(url) == ["1.001193"]
    bad = copy.deepcopy(snapshot)
    bad.details["1.001193"]["executionSteps"] = [{"name": ["not", "text"]}]
    bad.listing["1.001193"]["name"] = "Đăng ký khai sinh (tên mới)"
    broken = write_portal_folder(tmp_path / "broken", bad, ["1.001193"])
    assert catalog_cli(["import-national", str(broken), "--database-url", url]) == 1
    engine = make_engine(url)
    with Session(engine) as check:
        stored = check.get(NationalProcedure, "1.001193")
        assert stored is not None and stored.name == snapshot.listing["1.001193"]["name"]
    engine.dispose()


def _stored_codes(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with Session(engine) as check:
            return list(check.scalars(select(NationalProcedure.code)))
    finally:
        engine.dispose()
