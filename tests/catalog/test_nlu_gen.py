"""The generated NLU examples: current, balanced, annotated like the hand-written data."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from catalog import nlu_gen
from catalog.national.export import SNAPSHOT, read_export
from catalog.nlu_gen import build, generate, hand_written
from catalog.nlu_phrases import Phrase, citizen_head, collides, utterance_key
from catalog.nlu_templates import TEMPLATES
from vntext import fold

ASK_INTENTS = {
    "ask_documents",
    "ask_fee",
    "ask_processing_time",
    "ask_where_to_file",
    "ask_online",
    "ask_steps",
}
_ENTITY = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def committed() -> dict[str, list[str]]:
    blocks = yaml.safe_load(nlu_gen.OUT.read_text(encoding="utf-8"))["nlu"]
    return {
        block["intent"]: [line[2:] for line in block["examples"].splitlines()] for block in blocks
    }


def test_committed_file_is_current() -> None:
    # A change to the templates, the aliases or the snapshot needs `python -m catalog.nlu_gen`.
    current = nlu_gen.OUT.read_text(encoding="utf-8") == build()
    assert current, f"{nlu_gen.OUT.name} is stale: run {nlu_gen.COMMAND}"


def test_check_says_when_the_file_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "nlu_data" / "nlu" / "generated_catalog.yml"
    stale.parent.mkdir(parents=True)
    stale.write_text(nlu_gen.OUT.read_text(encoding="utf-8").replace("ạ", "a"), encoding="utf-8")
    monkeypatch.setattr(nlu_gen, "OUT", stale)
    monkeypatch.setattr(nlu_gen, "REPO", tmp_path)
    assert nlu_gen.main(["--check"]) == 1
    assert "NOT current" in capsys.readouterr().out
    assert nlu_gen.main([]) == 0
    assert nlu_gen.main(["--check"]) == 0


def test_each_question_has_its_examples_half_without_diacritics(
    committed: dict[str, list[str]],
) -> None:
    assert set(committed) == ASK_INTENTS == set(TEMPLATES)
    for intent, examples in committed.items():
        assert len(examples) == nlu_gen.PER_INTENT, intent
        plain = [e for e in examples if fold(e) == e.lower()]
        assert 0.4 <= len(plain) / len(examples) <= 0.6, intent


def test_every_example_names_one_procedure_as_the_entity(committed: dict[str, list[str]]) -> None:
    for examples in committed.values():
        for example in examples:
            entities = _ENTITY.findall(example)
            assert [label for _, label in entities] == ["procedure"], example
            name = entities[0][0]
            assert name == name.strip() and 1 <= len(name.split()) <= 12, example


def test_names_cover_many_domains(
    committed: dict[str, list[str]],
) -> None:
    asked: dict[str, set[str]] = {}
    for intent, examples in committed.items():
        for example in examples:
            asked.setdefault(fold(_ENTITY.findall(example)[0][0]), set()).add(intent)
    assert len(asked) >= 150
    assert all(len(intents) <= nlu_gen.USES_PER_PHRASE for intents in asked.values())
    export = read_export(SNAPSHOT)
    domains = Counter(
        record["categories"][0]
        for record in export.listing.values()
        if citizen_head(record["name"]) and fold(citizen_head(record["name"]) or "") in asked
    )
    assert len(domains) >= 40
    for domain in ("Đất đai", "Hộ tịch", "Đăng ký, quản lý cư trú", "Hoạt động xây dựng"):
        assert domains[domain] >= 5, domain


def test_no_example_repeats_the_hand_written_data_or_leans_on_out_of_scope(
    committed: dict[str, list[str]],
) -> None:
    written = hand_written()
    keys = {utterance_key(text) for texts in written.values() for text in texts}
    generated = [text for texts in committed.values() for text in texts]
    assert [t for t in generated if utterance_key(t) in keys] == []
    assert len({utterance_key(t) for t in generated}) == len(generated)
    out_of_scope = [utterance_key(text) for text in written["out_of_scope"]]
    names = {name for text in generated for name, _ in _ENTITY.findall(text)}
    assert [n for n in names if collides(n, out_of_scope)] == []


def test_a_name_that_an_out_of_scope_example_contains_is_not_used() -> None:
    avoided = [utterance_key("mở thẻ atm ở đâu")]
    assert collides("mở thẻ atm", avoided)
    assert collides("thẻ atm", avoided)
    assert collides("mở thẻ atm ở đâu nhanh", avoided)  # the example inside it
    assert not collides("mở thẻ bảo hiểm y tế", avoided)


def test_head_of_a_national_name_keeps_its_diacritics_and_whole_words() -> None:
    head = citizen_head("Thủ tục cấp giấy phép khai thác khoáng sản (cấp tỉnh)")
    assert head == "cấp giấy phép khai thác khoáng sản"
    # name_forms cuts folded names at "khi"; in "vũ khí" that is no qualifier.
    assert citizen_head("Khai báo vũ khí thô sơ") == "khai báo vũ khí thô sơ"
    assert citizen_head("Cấp, cấp lại Giấy phép xuất khẩu giống thủy sản có tên trong") is None


def test_generation_is_seeded_and_needs_enough_names() -> None:
    needed = 4 * len(TEMPLATES) // nlu_gen.USES_PER_PHRASE
    phrases = [Phrase(f"đăng ký việc số {i}", f"1.{i:06d}") for i in range(needed)]
    first = generate(phrases, per_intent=4)
    assert first == generate(phrases, per_intent=4)
    assert sum(len(examples) for examples in first.values()) == 4 * len(TEMPLATES)
    with pytest.raises(ValueError, match=f"{needed} procedure names needed"):
        generate(phrases[:-1], per_intent=4)
