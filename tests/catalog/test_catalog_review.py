"""Import review: a staged import changes nothing until published; held changes wait."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.answers import Aspect
from catalog.answers_service import answer_about
from catalog.cli import main as catalog_cli
from catalog.loader import LoadedEntry
from catalog.national.export import SNAPSHOT, NationalExport, read_export
from catalog.national.importer import import_national
from catalog.national.models import (
    ChangeState,
    ImportStatus,
    NationalChange,
    NationalImport,
    NationalProcedure,
)
from catalog.national.records import PROCEDURE_FIELDS
from catalog.national.review import (
    RECORD_KEYS,
    ReviewError,
    UnknownReviewItem,
    discard,
    hold,
    publish,
    release,
)
from catalog.national.review_view import import_detail, import_summaries
from catalog.queries import catalog_version
from catalog.store import import_entries
from db import make_engine, upgrade_to_head
from testing.national_exports import write_portal_folder

CODES = ["1.001193", "1.004222", "1.000894", "1.000005"]
NEW_NAME = "Đăng ký kết hôn (tên mới)"
NEW_STEP = "Nộp hồ sơ tại Ủy ban nhân dân cấp xã (bước mới)."


@pytest.fixture(scope="module")
def snapshot() -> NationalExport:
    return read_export(SNAPSHOT)


def _newer(snapshot: NationalExport) -> tuple[NationalExport, list[str]]:
    """The snapshot with one fee, one name and one step changed, one removed, one added."""
    newer = copy.deepcopy(snapshot)
    newer.details["1.004222"]["executionMethods"][0]["fees"][0]["value"] = 0
    newer.listing["1.000894"]["name"] = NEW_NAME
    newer.details["1.000894"]["name"] = NEW_NAME
    newer.details["1.000894"]["executionSteps"] = [{"name": "Bước 1", "description": NEW_STEP}]
    return newer, [code for code in CODES if code != "1.000005"] + ["1.000010"]


def _staged(session: Session, snapshot: NationalExport, tmp_path: Path) -> int:
    import_national(session, read_export(write_portal_folder(tmp_path / "old", snapshot, CODES)))
    newer, codes = _newer(snapshot)
    folder = write_portal_folder(tmp_path / "new", newer, codes)
    changes = import_national(session, read_export(folder), stage=True)
    assert changes.import_id is not None
    return changes.import_id


def _changes(session: Session, import_id: int) -> dict[tuple[str, str, str | None], NationalChange]:
    rows = session.scalars(select(NationalChange).where(NationalChange.import_id == import_id))
    return {(row.code, row.kind, row.field): row for row in rows}


def _online_fee(session: Session, code: str) -> int:
    row = session.get(NationalProcedure, code)
    assert row is not None
    fees = {m["submissionMethod"]: m["fees"][0]["value"] for m in row.record["executionMethods"]}
    return int(fees["ONLINE"])


def test_every_compared_field_maps_to_record_keys() -> None:
    assert set(RECORD_KEYS) == set(PROCEDURE_FIELDS)


def test_a_staged_import_changes_nothing_until_published(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    before = catalog_version(session)
    import_id = _staged(session, snapshot, tmp_path)
    assert set(_changes(session, import_id)) == {
        ("1.000010", "added", None),
        ("1.000005", "removed", None),
        ("1.004222", "changed", "methods"),
        ("1.000894", "changed", "name"),
        ("1.000894", "changed", "steps"),
    }
    assert session.get(NationalProcedure, "1.000010") is None
    assert session.get(NationalProcedure, "1.000005") is not None
    assert _online_fee(session, "1.004222") == 10000
    run = session.get(NationalImport, import_id)
    assert run is not None and (run.status, run.applied) == (ImportStatus.REVIEW, False)
    assert catalog_version(session).national_import == before.national_import or before.count == 0


def test_publish_with_one_change_held_then_release_it(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    import_id = _staged(session, snapshot, tmp_path)
    staged_version = catalog_version(session)
    name_change = _changes(session, import_id)[("1.000894", "changed", "name")]
    hold(session, name_change.id)
    assert publish(session, import_id) == {"published": 4, "held": 1}
    assert _online_fee(session, "1.004222") == 0
    assert session.get(NationalProcedure, "1.000010") is not None
    assert session.get(NationalProcedure, "1.000005") is None
    marriage = session.get(NationalProcedure, "1.000894")
    assert marriage is not None and marriage.name == "Thủ tục đăng ký kết hôn"
    assert marriage.record["name"] == "Thủ tục đăng ký kết hôn"
    assert marriage.record["executionSteps"][0]["description"] == NEW_STEP
    steps = answer_about(session, code="1.000894", aspect=Aspect.STEPS)
    assert steps is not None and "bước mới" in steps.text
    assert "Thủ tục đăng ký kết hôn" in steps.text and NEW_NAME not in steps.text
    published_version = catalog_version(session)
    assert published_version != staged_version
    with pytest.raises(ReviewError):
        publish(session, import_id)  # once only
    with pytest.raises(ReviewError):
        hold(session, _changes(session, import_id)[("1.004222", "changed", "methods")].id)
    release(session, name_change.id)
    assert name_change.state is ChangeState.RELEASED
    marriage = session.get(NationalProcedure, "1.000894")
    assert marriage is not None and (marriage.name, marriage.fields["name"]) == (NEW_NAME, NEW_NAME)
    assert catalog_version(session) != published_version
    with pytest.raises(ReviewError):
        release(session, name_change.id)


def test_released_before_publishing_goes_out_with_the_rest(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    import_id = _staged(session, snapshot, tmp_path)
    change = _changes(session, import_id)[("1.000010", "added", None)]
    hold(session, change.id)
    release(session, change.id)
    assert change.state is ChangeState.PENDING
    assert publish(session, import_id) == {"published": 5, "held": 0}
    assert session.get(NationalProcedure, "1.000010") is not None


def test_a_review_older_than_the_stored_records_is_refused(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    import_id = _staged(session, snapshot, tmp_path)
    newer, codes = _newer(snapshot)
    import_national(session, read_export(write_portal_folder(tmp_path / "direct", newer, codes)))
    with pytest.raises(ReviewError, match="nhập lại"):
        publish(session, import_id)
    discard(session, import_id)
    run = session.get(NationalImport, import_id)
    assert run is not None and run.status is ImportStatus.DISCARDED
    assert {c.state for c in _changes(session, import_id).values()} == {ChangeState.DISCARDED}


def test_a_newer_import_supersedes_held_changes(
    session: Session, snapshot: NationalExport, tmp_path: Path
) -> None:
    import_id = _staged(session, snapshot, tmp_path)
    change = _changes(session, import_id)[("1.004222", "changed", "methods")]
    hold(session, change.id)
    publish(session, import_id)
    newer, codes = _newer(snapshot)
    again = import_national(
        session, read_export(write_portal_folder(tmp_path / "again", newer, codes))
    )
    assert again.changed == {"1.004222": ["methods"]}  # reported afresh
    assert change.state is ChangeState.SUPERSEDED
    with pytest.raises(ReviewError):
        release(session, change.id)


def test_operators_stage_review_and_publish_from_the_command_line(
    snapshot: NationalExport, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_to_head(url)
    old = write_portal_folder(tmp_path / "old", snapshot, CODES)
    assert catalog_cli(["import-national", str(old), "--database-url", url]) == 0
    newer, codes = _newer(snapshot)
    new = write_portal_folder(tmp_path / "new", newer, codes)
    assert catalog_cli(["import-national", str(new), "--stage", "--database-url", url]) == 0
    assert "staged as review 2" in caplog.text
    caplog.clear()
    assert catalog_cli(["review-national", "2", "--database-url", url]) == 0
    lines = [record.getMessage() for record in caplog.records]
    held = next(line for line in lines if "1.000894" in line and line.endswith("name"))
    change_id = held.split()[0]
    args = ["publish-national", "2", "--hold", change_id, "--database-url", url]
    assert catalog_cli(args) == 0
    assert "{'published': 4, 'held': 1}" in caplog.text
    assert catalog_cli(["publish-national", "2", "--database-url", url]) == 1
    engine = make_engine(url)
    with Session(engine) as check:
        marriage = check.get(NationalProcedure, "1.000894")
        assert marriage is not None and marriage.name == "Thủ tục đăng ký kết hôn"
    assert catalog_cli(["release-national", change_id, "--database-url", url]) == 0
    with Session(engine) as check:
        marriage = check.get(NationalProcedure, "1.000894")
        assert marriage is not None and marriage.name == NEW_NAME
    engine.dispose()


def test_the_review_shows_both_values_and_the_local_overrides_to_look_at(
    session: Session, snapshot: NationalExport, tmp_path: Path, content: list[LoadedEntry]
) -> None:
    import_entries(session, content)  # the province overrides 1.004222's fees
    import_id = _staged(session, snapshot, tmp_path)
    detail = import_detail(session, import_id)
    assert (detail["status"], detail["added"], detail["removed"], detail["changed"]) == (
        "review",
        1,
        1,
        2,
    )
    by_key = {(c["code"], c["field"]): c for c in detail["changes"]}
    fees = by_key[("1.004222", "methods")]
    assert fees["current"][0]["fees"][0]["value"] == 10000
    assert fees["staged"][0]["fees"][0]["value"] == 0
    assert "fees" in fees["local_overrides"]
    assert by_key[("1.000894", "steps")]["local_overrides"] == []
    name = by_key[("1.000894", "name")]
    assert (name["current"], name["staged"], name["field_name"]) == (
        "Thủ tục đăng ký kết hôn",
        NEW_NAME,
        "Tên thủ tục",
    )
    assert by_key[("1.000010", None)]["kind_name"] == "Thủ tục mới"
    assert import_summaries(session)[0]["id"] == import_id
    with pytest.raises(UnknownReviewItem):
        import_detail(session, import_id + 100)
