"""The action server as `make run` starts it answers /metrics: actions run by name and
outcome, dossier lookups by outcome, in the Prometheus text format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from launcher.services import plan_services
from launcher.stack import Stack
from settings import Settings
from testing.metrics_text import samples, value
from testing.ports import free_ports

SENDER = "citizen-77a1"


@pytest.fixture(scope="module")
def action_server(catalog_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real action server process (rasa_sdk, its plugins) on a free port."""
    url = f"http://127.0.0.1:{free_ports(1)[0]}"
    settings = Settings(environment="test", action_server_url=url, database_url=catalog_url)
    plan = plan_services(
        settings, model=Path("unused"), endpoints=Path("unused"), simulators=False, notifier=False
    )
    with Stack([s for s in plan if s.name == "actions"], log_dir=tmp_path_factory.mktemp("as")):
        yield url


def call(action: str, text: str, domain: dict[str, Any]) -> dict[str, Any]:
    """The body Rasa posts to /webhook to run `action` after the message `text`."""
    latest = {"text": text, "intent": {"name": "ask_status", "confidence": 0.9}, "entities": []}
    tracker = {
        "sender_id": SENDER,
        "slots": {},
        "latest_message": latest,
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {"next_action": action, "sender_id": SENDER, "tracker": tracker, "domain": domain}


def test_metrics_count_actions_and_lookups(action_server: str, domain: dict[str, Any]) -> None:
    with httpx.Client(base_url=action_server, timeout=10) as http:
        for _ in range(2):
            ran = http.post("/webhook", json=call("action_lookup_dossier", "hồ sơ tôi đâu", domain))
            assert ran.status_code == 200, ran.text
        assert (
            http.post("/webhook", json=call("action_x_" + SENDER, "?", domain)).status_code == 404
        )
        response = http.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    found = samples(response.text)
    runs = "actions_runs_total"
    assert value(found, runs, action="action_lookup_dossier", outcome="ok") == 2
    assert value(found, runs, action="unknown", outcome="error") == 1
    duration = "actions_run_duration_seconds_count"
    assert value(found, duration, action="action_lookup_dossier") == 2
    assert value(found, "dossier_lookups_total", outcome="no_code") == 2
    assert SENDER not in response.text and "hồ sơ" not in response.text
