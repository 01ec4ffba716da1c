"""Intent accuracy per split and NLU parse latency on the held-out test file.

Run with the Rasa environment (it loads the trained model in-process):

    PYTHONPATH=. .venv-rasa/bin/python tests/rasa/nlu_report.py models/assistant-<hash>.tar.gz

Prints one JSON object: accuracy overall / accented / unaccented / typo, the
misclassified utterances, and p50/p95/max parse time in milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from vntext import fold

REPO = Path(__file__).resolve().parents[2]
TEST_FILE = REPO / "tests" / "nlu" / "test_nlu.yml"
_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def plain_text(annotated: str) -> str:
    """The utterance without Rasa's `[text](entity)` markup."""
    return _MARKUP.sub(r"\1", annotated)


def load_cases(path: Path = TEST_FILE) -> list[dict[str, Any]]:
    """Test utterances with intent, procedure code and typo flag."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for block in data["nlu"]:
        if "intent" not in block:
            continue
        for example in block["examples"]:
            text = plain_text(example["text"])
            meta = example.get("metadata") or {}
            cases.append(
                {
                    "intent": block["intent"],
                    "text": text,
                    "procedure": str(meta.get("procedure", "none")),
                    "typo": bool(meta.get("typo", False)),
                    "accented": fold(text) != text.lower(),
                }
            )
    return cases


async def _run(model: str) -> dict[str, Any]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)

    agent = Agent.load(model)
    cases = load_cases()
    for warmup in ("xin chào", "lam so do can gi"):
        await agent.parse_message(warmup)
    timings: list[float] = []
    for case in cases:
        started = time.perf_counter()
        parsed = await agent.parse_message(case["text"])
        timings.append((time.perf_counter() - started) * 1000)
        case["predicted"] = parsed["intent"]["name"]
        case["confidence"] = round(parsed["intent"]["confidence"], 3)

    def accuracy(selected: list[dict[str, Any]]) -> dict[str, Any]:
        right = sum(c["predicted"] == c["intent"] for c in selected)
        return {"n": len(selected), "accuracy": round(right / max(len(selected), 1), 4)}

    timings.sort()
    return {
        "overall": accuracy(cases),
        "accented": accuracy([c for c in cases if c["accented"]]),
        "unaccented": accuracy([c for c in cases if not c["accented"]]),
        "typo": accuracy([c for c in cases if c["typo"]]),
        "parse_ms": {
            "p50": round(statistics.median(timings), 2),
            "p95": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max": round(timings[-1], 2),
        },
        "errors": [
            {k: c[k] for k in ("text", "intent", "predicted", "confidence")}
            for c in cases
            if c["predicted"] != c["intent"]
        ],
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_run(sys.argv[1])), ensure_ascii=False, indent=1))
