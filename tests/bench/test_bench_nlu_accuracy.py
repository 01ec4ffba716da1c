"""The held-out file is read as a citizen typed it, split and scored correctly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.nlu_accuracy import (
    Expectation,
    Outcome,
    error_report,
    has_diacritics,
    load_expectations,
    plain_text,
    score_splits,
)

TEST_FILE = """\
version: "3.1"
nlu:
  - intent: ask_documents
    examples:
      - text: "làm [sổ đỏ](procedure) cần gì"
        metadata:
          procedure: "1.004227"
          typo: false
      - text: "[khia sinh](procedure) can giay gi"
        metadata:
          procedure: "1.001193"
          typo: true
  - intent: greet
    examples:
      - text: "chao ban"
        metadata:
          procedure: "none"
          typo: false
  - intent: thank
    examples: |
      - cảm ơn nhé
  - synonym: sổ đỏ
    examples: |
      - so do
"""


@pytest.mark.parametrize(
    ("annotated", "typed"),
    [
        ("làm [sổ đỏ](procedure) cần gì", "làm sổ đỏ cần gì"),
        ('[so do]{"entity": "procedure", "value": "sổ đỏ"} can gi', "so do can gi"),
        ("hồ sơ [G01.2024.000123](dossier_code) tới đâu", "hồ sơ G01.2024.000123 tới đâu"),
        ("không có thực thể", "không có thực thể"),
    ],
)
def test_plain_text_drops_entity_markup(annotated: str, typed: str) -> None:
    assert plain_text(annotated) == typed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("giấy tờ", True),
        ("di lam", False),
        ("đi làm", True),
        ("ĐĂNG KÝ", True),
        ("dang ky 😀 <b>", False),
        ("thủ tuc", True),
        ("café", True),  # any marked letter counts; the file is Vietnamese
    ],
)
def test_has_diacritics(text: str, expected: bool) -> None:
    assert has_diacritics(text) is expected


def test_load_expectations_reads_metadata(tmp_path: Path) -> None:
    path = tmp_path / "test_nlu.yml"
    path.write_text(TEST_FILE, encoding="utf-8")

    loaded = load_expectations(path)

    assert [e.text for e in loaded] == [
        "làm sổ đỏ cần gì",
        "khia sinh can giay gi",
        "chao ban",
        "cảm ơn nhé",
    ]
    assert [e.procedure_code for e in loaded] == ["1.004227", "1.001193", None, None]
    assert [e.typo for e in loaded] == [False, True, False, False]
    assert [e.check_procedure for e in loaded] == [True, True, True, False]
    assert [e.diacritics for e in loaded] == [True, False, False, True]


def _expect(text: str, *, typo: bool = False, code: str | None = "1.0") -> Expectation:
    return Expectation(text=text, intent="ask_fee", procedure_code=code, typo=typo)


def test_score_splits_counts_each_split_and_overlaps_typos() -> None:
    outcomes = [
        Outcome(_expect("lệ phí"), "ask_fee", "1.0"),
        Outcome(_expect("le phi"), "ask_fee", None),  # procedure wrong
        Outcome(_expect("le phj", typo=True), "greet", "1.0"),  # intent wrong
        Outcome(_expect("lệ phíi", typo=True), None, None, error="ConnectError"),
        Outcome(_expect("chào", code=None), "ask_fee", None),  # none expected, none given
    ]

    scores = {s.split: s for s in score_splits(outcomes)}

    assert (scores["overall"].total, scores["overall"].intent_right) == (5, 3)
    assert scores["overall"].procedure_right == 3
    assert (scores["with diacritics"].total, scores["with diacritics"].intent_right) == (3, 2)
    assert (scores["without diacritics"].total, scores["without diacritics"].intent_right) == (2, 1)
    assert (scores["with typos"].total, scores["with typos"].intent_right) == (2, 0)
    assert scores["with typos"].procedure_accuracy == 0.5


def test_empty_split_has_no_accuracy() -> None:
    scores = {s.split: s for s in score_splits([Outcome(_expect("le phi"), "ask_fee", "1.0")])}
    assert scores["with typos"].total == 0
    assert scores["with typos"].intent_accuracy != scores["with typos"].intent_accuracy  # nan


def test_error_report_lists_only_the_misclassified() -> None:
    outcomes = [
        Outcome(_expect("lệ phí"), "ask_fee", "1.0", confidence=0.9),
        Outcome(_expect("le phi"), "ask_steps", "2.0", confidence=0.41),
    ]

    report = error_report(outcomes)

    assert "lệ phí" not in report
    assert "[intent + procedure wrong] (no diacritics) le phi" in report
    assert "intent=ask_steps (0.41) procedure=2.0" in report
    assert error_report(outcomes[:1]) == ""
