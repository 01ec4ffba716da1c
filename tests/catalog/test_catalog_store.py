"""Models and import on SQLite and PostgreSQL: upsert by code, idempotent, atomic."""

from __future__ import annotations

import pytest
from catalog_builders import entry, stored_procedure
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.loader import LoadedEntry
from catalog.models import Procedure, ProcedureAlias, RequiredDocument
from catalog.queries import (
    catalog_version,
    find_procedure,
    popular_procedures,
    procedure_names,
)
from catalog.schema import DocumentEntry
from catalog.store import all_entries, import_entries, procedure_to_entry
from db import make_session_factory


def _count(session: Session) -> int:
    return session.scalar(select(func.count(Procedure.id))) or 0


def test_import_of_the_real_content_stores_every_part(
    session: Session, content: list[LoadedEntry]
) -> None:
    report = import_entries(session, content)
    assert len(report.created) == len(content) == _count(session)
    birth = stored_procedure(session, code="1.001193")
    assert birth.name == "Đăng ký khai sinh"
    assert birth.documents == [] and birth.agency is None  # the national record has them
    assert "khai sinh" in [alias.text for alias in birth.aliases]
    assert [fee.amount_vnd for fee in birth.fees] == [0, 8000]  # TT 281/2016: the extract
    bundle = stored_procedure(session, code="3.000722")
    assert [m.member_code for m in bundle.bundle_members] == ["1.001193", "1.004222", None, None]
    assert [step.position for step in bundle.steps] == list(range(len(bundle.steps)))
    # What was stored reads back as exactly what was imported.
    assert all_entries(session) == sorted((i.entry for i in content), key=lambda e: e.code)


def test_import_twice_changes_nothing(session: Session, content: list[LoadedEntry]) -> None:
    import_entries(session, content)
    version = catalog_version(session)
    report = import_entries(session, content)
    assert report.created == report.updated == report.deleted == []
    assert len(report.unchanged) == len(content)
    assert catalog_version(session) == version


def test_changed_entry_is_updated_and_its_children_replaced(session: Session) -> None:
    import_entries(session, [entry("9.000001"), entry("9.000002")])
    before = catalog_version(session)
    changed = entry(
        "9.000001",
        documents=[
            {"name": "Đơn mới", "kind": "copy", "count": 2},
            {"name": "Tờ khai", "kind": "original"},
        ],
        aliases=["bí danh mới"],
    )
    report = import_entries(session, [changed, entry("9.000002")])
    assert report.updated == ["9.000001"] and report.unchanged == ["9.000002"]
    session.expire_all()
    stored = stored_procedure(session, code="9.000001")
    assert [(d.name, d.kind, d.count) for d in stored.documents] == [
        ("Đơn mới", "copy", 2),
        ("Tờ khai", "original", 1),
    ]
    assert [a.text for a in stored.aliases] == ["bí danh mới"]
    assert session.scalar(select(func.count(RequiredDocument.id))) == 3  # 2 + the other's 1
    assert catalog_version(session) != before


def test_procedures_missing_from_the_yaml_are_kept_unless_pruning(session: Session) -> None:
    import_entries(session, [entry("9.000001"), entry("9.000002")])
    kept = import_entries(session, [entry("9.000001")])
    assert kept.kept == ["9.000002"] and _count(session) == 2
    pruned = import_entries(session, [entry("9.000001")], prune=True)
    assert pruned.deleted == ["9.000002"] and _count(session) == 1
    assert session.scalar(select(func.count(ProcedureAlias.id))) == 1  # children went too


def test_editing_a_child_moves_the_catalog_version(session: Session) -> None:
    """The action server notices staff edits made through the ORM (e.g. the console)."""
    import_entries(session, [entry("9.000001")])
    before = catalog_version(session)
    procedure = stored_procedure(session, code="9.000001")
    procedure.aliases.append(ProcedureAlias(text="cách gọi khác"))
    session.flush()
    assert catalog_version(session) != before


def test_a_failing_import_leaves_the_database_as_it_was(engine: Engine) -> None:
    factory = make_session_factory(engine)
    broken = entry("9.000099").model_copy(
        update={"documents": [DocumentEntry.model_construct(name="x", kind="bogus", count=1)]}
    )
    with pytest.raises(IntegrityError), factory.begin() as session:
        import_entries(session, [entry("9.000098"), broken])
    with factory() as session:
        assert find_procedure(session, code="9.000098") is None


def test_queries(session: Session, content: list[LoadedEntry]) -> None:
    import_entries(session, content)
    popular = popular_procedures(session, limit=3)
    assert popular[0] == ("1.001193", "Đăng ký khai sinh") and len(popular) == 3
    names = {n.code: n for n in procedure_names(session)}
    assert "tạm trú" in names["1.004194"].aliases
    assert find_procedure(session, code="0.000000") is None


def test_entry_round_trips_through_the_model(session: Session) -> None:
    original = entry("9.000003", processing_days=None, online_level=None, unconfirmed=["fees"],
                     unconfirmed_note="chưa rõ", legal_basis=["Luật A"])  # fmt: skip
    import_entries(session, [original])
    assert procedure_to_entry(stored_procedure(session, code="9.000003")) == original
