"""The held-out NLU test set stays held out, meets its quotas, and the data validates."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from launcher.model import rasa_env, training_args
from vntext import fold, normalize_spaces

REPO = Path(__file__).resolve().parents[2]
TEST_FILE = REPO / "tests" / "nlu" / "test_nlu.yml"
# Questions about procedures the national catalog added (issue 10), held out the same way.
NATIONAL_TEST_FILE = REPO / "tests" / "nlu" / "test_nlu_national.yml"
# A second such set, written before the generated NLU data and the aliases of 2026-12-01.
FRESH_TEST_FILE = REPO / "tests" / "nlu" / "test_nlu_national_fresh.yml"
HELD_OUT_FILES = (TEST_FILE, NATIONAL_TEST_FILE, FRESH_TEST_FILE)
# The 22 procedures the province's layer had before the national catalog (its later
# entries only add everyday names of national procedures).
ORIGINAL_LOCAL = frozenset(
    {
        "1.001193", "3.000722", "2.002913", "1.000894", "1.000656", "1.004873", "2.000815",
        "1.004222", "1.004194", "1.013978", "1.013831", "1.013225", "1.001612", "2.000720",
        "1.001776", "1.010038", "1.010028", "1.003197", "1.002755", "1.003677", "2.001159",
        "1.011607",
    }
)  # fmt: skip
_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_PUNCT = re.compile(r"[^\w\s]")


def _key(text: str) -> str:
    """How two utterances compare: no markup, folded, no punctuation, spaces collapsed."""
    return normalize_spaces(_PUNCT.sub(" ", fold(_MARKUP.sub(r"\1", text))))


def _training_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "nlu_data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                texts += [
                    line[2:] for line in block["examples"].splitlines() if line.startswith("- ")
                ]
    return texts


def _test_cases(path: Path = TEST_FILE) -> list[dict]:
    cases = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for example in block["examples"]:
            text = _MARKUP.sub(r"\1", example["text"])
            cases.append({"intent": block["intent"], "text": text, **example["metadata"]})
    return cases


def test_no_test_utterance_is_in_training_data() -> None:
    training = {_key(t) for t in _training_texts()}
    cases = [case for path in HELD_OUT_FILES for case in _test_cases(path)]
    leaked = [c["text"] for c in cases if _key(c["text"]) in training]
    assert leaked == []


@pytest.mark.parametrize("path", [NATIONAL_TEST_FILE, FRESH_TEST_FILE], ids=lambda p: p.stem)
def test_national_test_set_covers_new_procedures(path: Path) -> None:
    cases = _test_cases(path)
    codes = {c["procedure"] for c in cases}
    assert len(cases) >= 150
    assert len(codes) >= 40
    assert codes.isdisjoint(ORIGINAL_LOCAL)
    assert all(re.fullmatch(r"\d\.\d{6}", code) for code in codes)
    assert len([c for c in cases if fold(c["text"]) == c["text"].lower()]) / len(cases) >= 0.40
    assert len([c for c in cases if c["typo"] is True]) / len(cases) >= 0.15


def test_test_set_meets_quotas() -> None:
    cases = _test_cases()
    unaccented = [c for c in cases if fold(c["text"]) == c["text"].lower()]
    typos = [c for c in cases if c["typo"] is True]
    assert len(cases) >= 200
    assert len(unaccented) / len(cases) >= 0.40
    assert len(typos) / len(cases) >= 0.15
    assert all(isinstance(c["typo"], bool) for c in cases)
    assert all(re.fullmatch(r"none|\d\.\d{6}", c["procedure"]) for c in cases)


def test_test_set_covers_every_intent() -> None:
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    counts = Counter(c["intent"] for c in _test_cases())
    assert set(counts) == set(domain["intents"])
    assert min(counts.values()) >= 8


def test_test_set_has_no_duplicates() -> None:
    keys = Counter(_key(c["text"]) for path in HELD_OUT_FILES for c in _test_cases(path))
    assert [k for k, n in keys.items() if n > 1] == []


def test_rasa_data_validate_passes(rasa_bin: Path) -> None:
    command = [
        str(rasa_bin),
        "data",
        "validate",
        *training_args(),
        "--fail-on-warnings",
    ]
    result = subprocess.run(
        command, cwd=REPO, env=rasa_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
