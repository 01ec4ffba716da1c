"""Bad content stops the import, names file, entry and field, and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from catalog_builders import raw_entry, write_yaml
from sqlalchemy import func, select

from catalog.cli import main
from catalog.errors import CatalogValidationError
from catalog.loader import CONTENT_DIR, load_content
from catalog.models import Procedure
from db import make_engine, make_session_factory


def _problems(directory: Path) -> list[tuple[str, str | None, str | None, str]]:
    with pytest.raises(CatalogValidationError) as caught:
        load_content(directory)
    return [(p.file, p.entry, p.field, p.message) for p in caught.value.problems]


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize(
    ("data", "field", "message_part"),
    [
        (_without(raw_entry("9.000001"), "name"), "name", "missing"),
        (raw_entry("9.000001", processing_days="ba ngày"), "processing_days", "number"),
        (raw_entry("9.000001", documents=[{"name": "Đơn", "kind": "photo"}]), "documents.0.kind",
         "'original'"),
        (raw_entry("9.000001", documents=[{"name": "Đơn", "kind": "copy", "count": "2"}]),
         "documents.0.count", "integer"),
        (raw_entry("9.000001", agnecy="UBND"), "agnecy", "not a known field"),
        (raw_entry("9.000001", online_level="online"), "online_level", "toan_trinh"),
        (raw_entry("9.000001", unconfirmed=["fees"]), None, "unconfirmed_note"),
        (raw_entry("9.000001", unconfirmed=["phi"], unconfirmed_note="x"), "unconfirmed", "phi"),
    ],
)  # fmt: skip
def test_each_kind_of_error_names_file_entry_and_field(
    tmp_path: Path, data: dict[str, Any], field: str | None, message_part: str
) -> None:
    write_yaml(tmp_path, "ok.yml", raw_entry("9.000002"))
    write_yaml(tmp_path, "bad.yml", data)
    [(file, entry, where, message)] = _problems(tmp_path)
    assert (file, entry, where) == ("bad.yml", "9.000001", field)
    assert message_part in message


def test_unquoted_code_is_a_wrong_type(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "code: 1.000720\nname: X\nfield: F\nlevel: L\nagency: A\n"
        "source: https://x.vn\nchecked_on: 2026-01-01\n",
        encoding="utf-8",
    )
    [(file, entry, field, message)] = _problems(tmp_path)
    assert (file, entry, field) == ("a.yml", "1.00072", "code")  # YAML read it as a float
    assert "string" in message


def test_duplicate_codes_and_aliases_and_unknown_members(tmp_path: Path) -> None:
    write_yaml(tmp_path, "a.yml", raw_entry("9.000001", aliases=["chung"]))
    write_yaml(tmp_path, "b.yml", raw_entry("9.000001", aliases=["riêng"]))
    unknown_member = [{"name": "X", "code": "9.999999"}]
    write_yaml(
        tmp_path, "c.yml", raw_entry("9.000003", aliases=["Chung"], bundle_members=unknown_member)
    )
    problems = _problems(tmp_path)
    assert ("b.yml", "9.000001", "code") in [p[:3] for p in problems]
    assert ("c.yml", "9.000003", "aliases") in [p[:3] for p in problems]
    assert ("c.yml", "9.000003", "bundle_members.0.code") in [p[:3] for p in problems]
    assert "a.yml" in next(p[3] for p in problems if p[2] == "code")


def test_unreadable_yaml_and_wrong_shapes(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text("code: [unclosed\n", encoding="utf-8")
    write_yaml(tmp_path, "list.yml", ["not", "a", "procedure"])
    write_yaml(tmp_path, "group.yml", {"procedures": [raw_entry("9.000001"), "oops"]})
    problems = _problems(tmp_path)
    assert {p[0] for p in problems} == {"broken.yml", "list.yml", "group.yml"}
    assert ("group.yml", "#2", None) in [p[:3] for p in problems]


def test_cli_import_of_bad_content_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_yaml(good, "one.yml", raw_entry("9.000001", name="Tên cũ"))
    assert main(["migrate-and-import", "--database-url", url, "--dir", str(good)]) == 0
    write_yaml(bad, "one.yml", raw_entry("9.000001", name="Tên mới"))
    write_yaml(bad, "two.yml", _without(raw_entry("9.000002"), "name"))
    assert main(["import", "--database-url", url, "--dir", str(bad)]) == 1
    assert "two.yml, entry 9.000002, field name" in caplog.text
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        assert session.scalars(select(Procedure.name)).all() == ["Tên cũ"]
        assert session.scalar(select(func.count(Procedure.id))) == 1
    engine.dispose()


def test_cli_import_is_idempotent_and_export_round_trips(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    assert main(["migrate-and-import", "--database-url", url]) == 0  # with the national record
    assert main(["import", "--database-url", url]) == 0
    assert f"0 created, 0 updated, {len(load_content())} unchanged" in caplog.text
    exported = tmp_path / "exported"
    assert main(["export", "--database-url", url, "--dir", str(exported)]) == 0
    original = {item.entry.code: item.entry for item in load_content()}
    again = {item.entry.code: item.entry for item in load_content(exported)}
    assert again == original
    # The shipped files are that export: each says what it overrides in the national record.
    for path in sorted(exported.glob("*.yml")):
        assert (CONTENT_DIR / path.name).read_text("utf-8") == path.read_text("utf-8")
    head = (exported / "1.004222.yml").read_text("utf-8").splitlines()[0]
    assert head == "# Overrides the national record: fees."
    # The exported YAML imports into a fresh database as the very same catalog.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["migrate-and-import", "--database-url", fresh, "--dir", str(exported)]) == 0
    assert main(["export", "--database-url", fresh, "--dir", str(tmp_path / "second")]) == 0
    for path in sorted(exported.glob("*.yml")):
        assert (tmp_path / "second" / path.name).read_text("utf-8") == path.read_text("utf-8")
