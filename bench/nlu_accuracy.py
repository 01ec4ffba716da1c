"""Intent and procedure top-1 accuracy on the held-out NLU file, overall and per split.

The files are Rasa YAML (`tests/nlu/test_nlu.yml`, and `tests/nlu/test_nlu_national.yml`
for procedures the national catalog added, its own split, and `test_nlu_national_fresh.yml`,
a second such set written before the generated training data); each example carries
`metadata: {procedure: "<national code>" | "none", typo: bool}`. Splits overlap on
purpose: "with typos" cuts across "with diacritics" and "without diacritics".
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

__all__ = [
    "FULL_GOAL_SPLITS",
    "SPLITS",
    "Expectation",
    "Outcome",
    "SplitScore",
    "chat_outcomes",
    "has_diacritics",
    "load_expectations",
    "plain_text",
    "score_splits",
    "error_report",
]

# `[sổ đỏ](procedure)`, `[x]{"entity": "procedure", "value": "y"}` -> the shown words.
_ENTITY_MARKUP = re.compile(r"\[(?P<text>[^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_NO_PROCEDURE = {"", "none", "null"}


def plain_text(annotated: str) -> str:
    """The utterance as a citizen typed it: Rasa entity markup removed."""
    return _ENTITY_MARKUP.sub(lambda m: m.group("text"), annotated).strip()


def has_diacritics(text: str) -> bool:
    """True when any letter carries a Vietnamese tone or vowel mark, or is đ/Đ."""
    for char in text:
        if char in "đĐ":
            return True
        if char.isalpha() and any(
            unicodedata.combining(part) for part in unicodedata.normalize("NFD", char)
        ):
            return True
    return False


@dataclass(frozen=True)
class Expectation:
    """One held-out utterance and what the assistant should make of it."""

    text: str
    intent: str
    procedure_code: str | None  # None: the answer is about no procedure
    typo: bool
    check_procedure: bool = True  # False when the example carries no procedure metadata
    part: str = "original"  # which held-out file: "national" / "fresh" for the national ones

    @property
    def diacritics(self) -> bool:
        return has_diacritics(self.text)


@dataclass(frozen=True)
class Outcome:
    """What the assistant answered for one `Expectation`."""

    expectation: Expectation
    intent: str | None
    procedure_code: str | None
    confidence: float | None = None
    error: str | None = None

    @property
    def intent_ok(self) -> bool:
        return self.error is None and self.intent == self.expectation.intent

    @property
    def procedure_ok(self) -> bool:
        return self.error is None and self.procedure_code == self.expectation.procedure_code


def _examples(block: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    examples = block.get("examples") or []
    if isinstance(examples, str):  # the `examples: |` form has no per-example metadata
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:], {}
        return
    for example in examples:
        if isinstance(example, str):
            yield example, {}
        else:
            yield str(example.get("text", "")), dict(example.get("metadata") or {})


def load_expectations(path: Path, *, part: str = "original") -> list[Expectation]:
    """Every example of the file's `nlu:` intent blocks, markup stripped."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    expectations = []
    for block in document.get("nlu") or []:
        if "intent" not in block:
            continue  # synonyms, regexes, lookups
        for annotated, metadata in _examples(block):
            raw_code = metadata.get("procedure")
            code = None if raw_code is None else str(raw_code).strip()
            expectations.append(
                Expectation(
                    text=plain_text(annotated),
                    intent=str(block["intent"]),
                    procedure_code=None if code is None or code.lower() in _NO_PROCEDURE else code,
                    typo=bool(metadata.get("typo", False)),
                    check_procedure="procedure" in metadata,
                    part=part,
                )
            )
    return expectations


@dataclass(frozen=True)
class SplitScore:
    """Accuracy of one split: how many, how many right."""

    split: str
    total: int
    intent_right: int
    procedure_total: int
    procedure_right: int

    @property
    def intent_accuracy(self) -> float:
        return self.intent_right / self.total if self.total else float("nan")

    @property
    def procedure_accuracy(self) -> float:
        return self.procedure_right / self.procedure_total if self.procedure_total else float("nan")


SPLITS: dict[str, Callable[[Expectation], bool]] = {
    "overall": lambda e: True,
    "with diacritics": lambda e: e.diacritics,
    "without diacritics": lambda e: not e.diacritics,
    "with typos": lambda e: e.typo,
    "national catalog (new part)": lambda e: e.part == "national",
    "national catalog (fresh set)": lambda e: e.part == "fresh",
}
# Splits held to the overall goal; the others to a lower one.
FULL_GOAL_SPLITS = frozenset(
    {"overall", "national catalog (new part)", "national catalog (fresh set)"}
)


def score_splits(outcomes: Sequence[Outcome]) -> list[SplitScore]:
    """One `SplitScore` per entry of `SPLITS`, in that order."""
    scores = []
    for name, member in SPLITS.items():
        chosen = [o for o in outcomes if member(o.expectation)]
        checked = [o for o in chosen if o.expectation.check_procedure]
        scores.append(
            SplitScore(
                split=name,
                total=len(chosen),
                intent_right=sum(o.intent_ok for o in chosen),
                procedure_total=len(checked),
                procedure_right=sum(o.procedure_ok for o in checked),
            )
        )
    return scores


def error_report(outcomes: Sequence[Outcome]) -> str:
    """The misclassified utterances, one block each, for var/bench/nlu_errors.txt."""
    lines = []
    for o in outcomes:
        wrong_procedure = o.expectation.check_procedure and not o.procedure_ok
        if o.intent_ok and not wrong_procedure:
            continue
        e = o.expectation
        tags = ", ".join(
            t
            for t, on in (("diacritics", e.diacritics), ("no diacritics", not e.diacritics),
                          ("typo", e.typo))
            if on
        )  # fmt: skip
        what = " + ".join(
            w for w, bad in (("intent", not o.intent_ok), ("procedure", wrong_procedure)) if bad
        )
        confidence = "-" if o.confidence is None else f"{o.confidence:.2f}"
        lines.append(f"[{what} wrong] ({tags}) {e.text}")
        lines.append(f"    expected intent={e.intent} procedure={e.procedure_code}")
        got = o.error or f"intent={o.intent} ({confidence}) procedure={o.procedure_code}"
        lines.append(f"    got      {got}")
    return "\n".join(lines) + ("\n" if lines else "")


async def chat_outcomes(
    chat_url: str, expectations: Sequence[Expectation], *, timeout: float = 30.0
) -> list[Outcome]:
    """Send each utterance to `/api/chat` under a fresh sender (no follow-up state)."""
    outcomes = []
    async with httpx.AsyncClient(timeout=timeout) as client:
        for expectation in expectations:
            sender = f"bench-nlu-{uuid.uuid4().hex[:12]}"
            try:
                response = await client.post(
                    chat_url, json={"sender": sender, "message": expectation.text}
                )
                response.raise_for_status()
                answer = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                outcomes.append(Outcome(expectation, None, None, error=f"{type(exc).__name__}"))
                continue
            outcomes.append(
                Outcome(
                    expectation,
                    intent=answer.get("intent"),
                    procedure_code=answer.get("procedure_code") or None,
                    confidence=answer.get("confidence"),
                )
            )
    return outcomes
