"""Trackers as Rasa sends them to the action server, for the actions' tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

__all__ = ["make_tracker"]


def make_tracker(
    text: str,
    intent: str,
    *,
    entities: list[dict[str, Any]] | None = None,
    procedure_code: str | None = None,
    procedure_case: str | None = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "entities": entities or [],
    }
    return Tracker(
        sender_id="citizen-1",
        slots={
            "procedure_code": procedure_code,
            "procedure_case": procedure_case,
            "dossier_code": None,
        },
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
