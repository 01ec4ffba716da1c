"""Where a message's time goes: the action server alone, called as Rasa calls it.

Gateway and Rasa shares come from timing the same messages at `/api/chat`, at Rasa's
channels and at `/model/parse`; this module adds the one hop those cannot isolate.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.context import RunningStack
from bench.load import LoadResult, run_load
from bench.memory import PeakRss
from bench.nlu_accuracy import Expectation
from bench.perf import (
    ASSISTANT_PATH,
    CONVERSATION_TURNS,
    chat_body,
    load_summary,
    parse_body,
    rotating_conversations,
)
from bench.stock import REST_PATH
from bench.table import Row
from settings import REPO_ROOT

__all__ = ["action_request", "breakdown_rows", "time_action_server"]

PROCEDURE_ACTION = "action_answer_procedure"


def action_request(text: str, intent: str, domain: dict[str, Any], sender: str) -> dict[str, Any]:
    """The body Rasa posts to the action server to run `action_answer_procedure`."""
    return {
        "next_action": PROCEDURE_ACTION,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": domain,
        "tracker": {
            "sender_id": sender,
            "slots": {"procedure_code": None, "dossier_code": None},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.95},
                "entities": [],
            },
            "latest_event_time": time.time(),
            "followup_action": None,
            "paused": False,
            "events": [],
            "latest_input_channel": "assistant",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


async def time_action_server(
    action_server_url: str,
    expectations: Sequence[Expectation],
    *,
    count: int,
    domain_path: Path = REPO_ROOT / "domain.yml",
) -> LoadResult:
    """One sender, `count` calls of the procedure action with held-out ask_* texts."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8"))
    asks = [e for e in expectations if e.intent.startswith("ask_") and e.intent != "ask_status"]
    if not asks:
        raise ValueError("no ask_* utterances to send to the action server")
    url = action_server_url.rstrip("/") + "/webhook"
    result = LoadResult()
    async with httpx.AsyncClient(timeout=30.0) as client:
        for n in range(count + 3):
            expectation = asks[n % len(asks)]
            body = action_request(expectation.text, expectation.intent, domain, f"bench-act-{n}")
            start = time.perf_counter()
            response = await client.post(url, json=body)
            response.raise_for_status()
            if n >= 3:  # the first calls warm the catalog cache
                result.latencies_ms.append((time.perf_counter() - start) * 1000)
        result.wall_seconds = sum(result.latencies_ms) / 1000
    return result


async def breakdown_rows(
    area: str,
    running: RunningStack,
    texts: Sequence[str],
    expectations: Sequence[Expectation],
    diagnosis: int,
    per_sender_16: int,
    sampler: PeakRss,
) -> list[Row]:
    """Diagnosis: the same messages one hop further in, each without the hop before it."""
    body = rotating_conversations(chat_body, CONVERSATION_TURNS)
    hops = [
        ("ours Rasa assistant channel (no gateway)", running.rasa_url + ASSISTANT_PATH, body),
        ("ours Rasa REST channel (no gateway)", running.rasa_url + REST_PATH, body),
        ("ours Rasa NLU only (/model/parse)", running.rasa_api_url("/model/parse"), parse_body),
    ]
    rows = []
    with sampler:
        for label, url, body_for in hops:
            result = await run_load(url, texts, senders=1, per_sender=diagnosis, body_for=body_for)
            rows.append(Row(area, f"{label}, 1 sender", load_summary(result)))
        result = await run_load(
            running.rasa_url + ASSISTANT_PATH, texts,
            senders=16, per_sender=per_sender_16, body_for=body,
        )  # fmt: skip
        rows.append(
            Row(area, "ours Rasa assistant channel (no gateway), 16 senders", load_summary(result))
        )
        actions = await time_action_server(running.action_server_url, expectations, count=diagnosis)
    rows.append(
        Row(
            area,
            "ours action server alone (action_answer_procedure), 1 sender",
            f"p50 {actions.p(50):.0f} ms, p99 {actions.p(99):.0f} ms "
            f"(n={len(actions.latencies_ms)})",
        )
    )
    return rows
