"""The shipped catalog content covers every procedure in the domain facts, carefully."""

from __future__ import annotations

import re

from catalog_builders import FACTS_CODES

from catalog.loader import LoadedEntry

_VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]")


def _by_code(content: list[LoadedEntry]) -> dict[str, LoadedEntry]:
    return {item.entry.code: item for item in content}


def test_every_procedure_in_the_facts_is_in_the_catalog(content: list[LoadedEntry]) -> None:
    assert set(_by_code(content)) == set(FACTS_CODES)


def test_each_entry_is_reviewable_and_sourced(content: list[LoadedEntry]) -> None:
    for item in content:
        entry = item.entry
        assert item.file.name == f"{entry.code}.yml"
        assert entry.code in entry.source and entry.source.startswith("https://dichvucong.gov.vn")
        assert len(entry.aliases) >= 3, entry.code
        assert entry.documents and entry.steps and entry.fees, entry.code
        assert _VIETNAMESE.search(entry.name), f"{entry.code}: name without diacritics"
        for document in entry.documents:
            assert _VIETNAMESE.search(document.name), f"{entry.code}: {document.name}"


def test_unchecked_facts_are_marked_unconfirmed(content: list[LoadedEntry]) -> None:
    entries = {code: item.entry for code, item in _by_code(content).items()}
    # FACTS.md calls these "unchecked".
    assert "fees" in entries["2.000986"].unconfirmed
    assert {"documents", "fees"} <= set(entries["1.000894"].unconfirmed)
    assert {"documents", "processing_time"} <= set(entries["1.004194"].unconfirmed)
    assert {"fees", "processing_time"} <= set(entries["1.012765"].unconfirmed)
    assert "agency" in entries["1.013225"].unconfirmed
    # Procedures FACTS.md lists with only an agency are filled from general knowledge.
    for code in ("1.010038", "1.010028", "1.003197", "1.002755", "1.003677", "2.001159"):
        assert {"documents", "fees", "processing_time"} <= set(entries[code].unconfirmed)


def test_known_facts_are_right(content: list[LoadedEntry]) -> None:
    entries = {code: item.entry for code, item in _by_code(content).items()}
    birth = entries["1.001193"]
    assert birth.processing_days == 1 and birth.online_level == "mot_phan"
    assert [d.name for d in birth.documents][:2] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [f.amount_vnd for f in entries["1.004222"].fees] == [20000, 10000]
    assert [f.amount_vnd for f in entries["1.004194"].fees] == [15000, 7000]
    assert [f.amount_vnd for f in entries["2.000815"].fees] == [2000, 1000]
    assert entries["2.000815"].online_level == "truc_tiep"
    assert entries["1.012765"].online_level == "toan_trinh"
    assert {m.code for m in entries["2.000986"].bundle_members} >= {"1.001193", "1.004222"}
    assert {m.code for m in entries["2.002622"].bundle_members} >= {"1.000656", "1.003197"}
    assert "Công an cấp xã" in entries["1.004194"].agency
