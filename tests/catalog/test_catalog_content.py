"""The shipped local layer: the province's additions over the national record, corrected."""

from __future__ import annotations

import re

import pytest
from catalog_builders import FACTS_CODES

from catalog.loader import LoadedEntry, entry_to_yaml
from catalog.national.export import SNAPSHOT, read_export
from catalog.popularity import LOCAL_FLOOR
from catalog.schema import ProcedureEntry

_VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]")
# Overrides of a full national record, each with the decision it comes from.
CITED_OVERRIDES = {"1.004222": "Thông tư 117/2026", "1.001193": "Thông tư 281/2016/TT-BTC"}


def _by_code(content: list[LoadedEntry]) -> dict[str, ProcedureEntry]:
    return {item.entry.code: item.entry for item in content}


@pytest.fixture(scope="module")
def detailed() -> set[str]:
    """Codes with a full record in the shipped national snapshot."""
    return set(read_export(SNAPSHOT).details)


def test_every_procedure_in_the_facts_is_in_the_layer(content: list[LoadedEntry]) -> None:
    assert set(_by_code(content)) >= set(FACTS_CODES)
    for item in content:
        entry = item.entry
        assert item.file.name == f"{entry.code}.yml" and entry.source
        assert len(entry.aliases) >= (3 if entry.code in FACTS_CODES else 1), entry.code
        assert _VIETNAMESE.search(entry.name), f"{entry.code}: name without diacritics"


def test_alias_only_entries_name_a_listed_procedure(content: list[LoadedEntry]) -> None:
    """Everyday names of other national procedures: only aliases, under the official name."""
    listing = read_export(SNAPSHOT).listing
    alias_only = [e for code, e in _by_code(content).items() if code not in FACTS_CODES]
    assert len(alias_only) >= 30
    for entry in alias_only:
        assert " ".join(listing[entry.code]["name"].split()) == entry.name, entry.code
        assert entry.popularity == LOCAL_FLOOR, entry.code
        fields = entry.model_dump(exclude_defaults=True)
        assert set(fields) == {"code", "name", "source", "checked_on", "popularity", "aliases"}


def test_no_local_text_sends_anyone_to_a_district(content: list[LoadedEntry]) -> None:
    for entry in _by_code(content).values():
        assert "huyện" not in entry_to_yaml(entry).casefold(), entry.code


def test_fields_the_national_record_covers_are_dropped(
    content: list[LoadedEntry], detailed: set[str]
) -> None:
    for code, entry in _by_code(content).items():
        if code not in detailed:
            continue
        covered = [entry.agency, entry.documents, entry.steps, entry.processing_days,
                   entry.online_level, entry.legal_basis]  # fmt: skip
        assert not any(covered), code
        if entry.fees:
            assert CITED_OVERRIDES[code] in entry.source, code


def test_the_known_corrections(content: list[LoadedEntry]) -> None:
    entries = _by_code(content)
    land = entries["1.013978"]
    assert "cấp xã" in (land.agency or "") and land.processing_days == 20
    assert land.documents[0].form and land.documents[0].form.startswith("Mẫu số 15")
    assert "17 ngày làm việc" in (land.processing_note or "") and "151/2025" in land.source
    assert "cấp xã" in (entries["1.013831"].agency or "")
    newborn = entries["3.000722"]
    assert newborn.online_level == "toan_trinh" and newborn.processing_days == 3
    assert "5 ngày" in (newborn.processing_note or "")
    assert {m.code for m in newborn.bundle_members} >= {"1.001193", "1.004222"}
    assert {m.code for m in entries["2.002913"].bundle_members} >= {"1.000656", "1.003197"}
    business = entries["1.001612"]
    assert business.processing_days == 3
    assert business.legal_basis[0] == "Nghị định 168/2025/NĐ-CP"
    assert "01/2021" not in entry_to_yaml(business)
    assert entries["1.011607"].name == "Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm"
    assert not entries["1.011607"].documents  # those were another procedure's
    residence = [(f.amount_vnd, f.condition) for f in entries["1.004222"].fees]
    assert residence[:2] == [(20000, None), (10000, None)]
    assert residence[2] == (0, "Miễn lệ phí từ 15/08/2026 đến hết 28/02/2027")
    assert [f.amount_vnd for f in entries["2.000815"].fees] == [2000, 1000]
    assert "200.000" in (entries["2.000815"].fees[1].condition or "")


def test_unchecked_facts_are_marked_unconfirmed(content: list[LoadedEntry]) -> None:
    entries = _by_code(content)
    assert {"documents", "steps"} <= set(entries["1.013978"].unconfirmed)
    assert {"documents", "fees"} <= set(entries["1.013831"].unconfirmed)
    assert {"documents", "fees"} <= set(entries["1.001612"].unconfirmed)
    assert "steps" in entries["3.000722"].unconfirmed
