"""The real Rasa server with our channel and windowed tracker store.

Starts `rasa run` on the trained model with a fake action server (a stand-in for
actions/, speaking the action server's HTTP protocol), then talks to
POST /webhooks/assistant/webhook as the gateway does.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from launcher.model import rasa_env
from launcher.services import RASA_READY_SECONDS
from testing.ports import free_port

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

KHAI_SINH = "1.001193"


class FakeActionServer:
    """Answers Rasa's action calls like actions/ would, and records what it was sent."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                calls.append(body)
                payload = json.dumps(_answer(body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeActionServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _answer(call: dict[str, Any]) -> dict[str, Any]:
    """What a real action would answer, in the action server protocol."""
    action = call["next_action"]
    tracker = call["tracker"]
    slots = tracker["slots"]
    if action == "action_answer_procedure":
        code = slots.get("procedure_code")
        events = []
        if "khai sinh" in (tracker["latest_message"].get("text") or ""):
            code = KHAI_SINH
            events = [{"event": "slot", "name": "procedure_code", "value": code}]
        return {
            "events": events,
            "responses": [
                {
                    "text": "Đăng ký khai sinh cần:\n\n1. Tờ khai (bản chính, 1 bản)",
                    "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}],
                },
                {"custom": {"answer_about": {"procedure_code": code}}},
            ],
        }
    if action == "action_lookup_dossier":
        return {
            "events": [],
            "responses": [
                {"text": "Hồ sơ đang được xử lý."},
                {
                    "custom": {
                        "answer_about": {
                            "dossier_code": slots.get("dossier_code"),
                            "dossier_status": "processing",
                        }
                    }
                },
            ],
        }
    return {"events": [], "responses": [{"text": "Mình chưa hiểu, bạn hỏi lại nhé."}]}


@pytest.fixture(scope="module")
def action_server() -> Iterator[FakeActionServer]:
    with FakeActionServer() as server:
        yield server


@pytest.fixture(scope="module")
def rasa_url(
    rasa_bin: Path, rasa_model: Path, action_server: FakeActionServer, tmp_path_factory: Any
) -> Iterator[str]:
    """A running `rasa run` with our endpoints (action server replaced by the fake)."""
    endpoints = tmp_path_factory.mktemp("rasa") / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{action_server.port}/webhook\n"
        "tracker_store:\n  type: rasa_ext.tracker_store.WindowedTrackerStore\n  max_turns: 8\n"
    )
    port = free_port()
    command = [
        str(rasa_bin),
        "run",
        "--model",
        str(rasa_model),
        "--enable-api",
        "--endpoints",
        str(endpoints),
        "--credentials",
        "credentials.yml",
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = tmp_path_factory.mktemp("rasa-log") / "rasa.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO, env=rasa_env(), stdout=log_file, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + RASA_READY_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"rasa run exited: {log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/status", timeout=2).json().get("model_file"):
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"rasa run did not start: {log.read_text()[-3000:]}")
            time.sleep(1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _say(url: str, sender: str, message: Any, **extra: Any) -> httpx.Response:
    body = {"sender": sender, "message": message, **extra}
    return httpx.post(f"{url}/webhooks/assistant/webhook", json=body, timeout=30)


def test_answer_has_replies_intent_and_answer_about(rasa_url: str) -> None:
    answer = _say(rasa_url, "shape", "làm giấy khai sinh cần giấy tờ gì").json()
    assert answer["intent"] == "ask_documents"
    assert 0.5 < answer["confidence"] <= 1.0
    assert answer["answer_about"] == {"procedure_code": KHAI_SINH}
    assert answer["messages"] == [
        {
            "text": "Đăng ký khai sinh cần:\n\n1. Tờ khai (bản chính, 1 bản)",
            "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}],
        }
    ]


def test_dossier_code_typed_loosely_reaches_the_action_canonical(
    rasa_url: str, action_server: FakeActionServer
) -> None:
    answer = _say(rasa_url, "dossier", "ho so 000 00 06 h56 231027 0361 sao roi").json()
    assert answer["intent"] == "ask_status"
    assert answer["answer_about"] == {
        "dossier_code": "000.00.06.H56-231027-0361",
        "dossier_status": "processing",
    }


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "a" * 5000,
        "😀🙏🎉",
        "<script>alert('x')</script>",
        "'; DROP TABLE users; --",
        None,
        12345,
        "\x00\x01",
        "ặ" * 3000,
    ],
)
def test_bad_input_gets_an_answer_not_an_error(rasa_url: str, message: Any) -> None:
    response = _say(rasa_url, "bad-input", message)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"messages", "intent", "confidence", "answer_about"}
    assert answer["messages"], "the citizen always gets a reply"


def test_malformed_requests_are_400(rasa_url: str) -> None:
    hook = f"{rasa_url}/webhooks/assistant/webhook"
    assert httpx.post(hook, content=b"not json", timeout=10).status_code == 400
    assert httpx.post(hook, json={"message": "xin chào"}, timeout=10).status_code == 400
    assert httpx.post(hook, json=["x"], timeout=10).status_code == 400


def test_follow_up_keeps_the_procedure_after_the_window_moves_on(
    rasa_url: str, action_server: FakeActionServer
) -> None:
    sender = "follow-up"
    _say(rasa_url, sender, "đăng ký khai sinh cần những gì")
    for turn in range(20):  # well past max_turns: the first question leaves the window
        _say(rasa_url, sender, "xin chào" if turn % 2 else "cảm ơn bạn")
    answer = _say(rasa_url, sender, "thế lệ phí bao nhiêu?").json()
    assert answer["intent"] == "ask_fee"
    assert answer["answer_about"] == {"procedure_code": KHAI_SINH}
    last_call = action_server.calls[-1]
    assert last_call["next_action"] == "action_answer_procedure"
    assert last_call["tracker"]["slots"]["procedure_code"] == KHAI_SINH

    tracker = httpx.get(f"{rasa_url}/conversations/{sender}/tracker", timeout=10).json()
    user_turns = [e for e in tracker["events"] if e["event"] == "user"]
    assert len(user_turns) == 8
    assert len(tracker["events"]) < 60
    assert tracker["events"][1]["event"] == "session_started"


def test_cost_per_message_does_not_grow_with_the_conversation(rasa_url: str) -> None:
    sender = "long-conversation"
    timings = []
    for turn in range(160):
        started = time.perf_counter()
        _say(rasa_url, sender, "xin chào" if turn % 2 else "cảm ơn nhé")
        timings.append(time.perf_counter() - started)
    first, last = statistics.median(timings[5:25]), statistics.median(timings[-20:])
    assert last <= 1.5 * first + 0.003, (first, last)


def test_intent_payloads_are_read_as_the_nlu_graph_reads_them(rasa_url: str) -> None:
    # Payloads of known intents skip the NLU pipeline in our channel (rasa_ext.payloads);
    # the rest go through it. Either way the stored parse is what /model/parse answers.
    texts = [
        "/greet",
        " /greet ",
        "/ask_fee@0.7",
        f'/ask_documents{{"procedure_code":"{KHAI_SINH}"}}',
        "/no_such_intent",
        "/greet extra words",
        "xin chào",
    ]
    for number, text in enumerate(texts):
        graph = httpx.post(f"{rasa_url}/model/parse", json={"text": text}, timeout=30).json()
        sender = f"payload-{number}"
        assert _say(rasa_url, sender, text).status_code == 200
        tracker = httpx.get(f"{rasa_url}/conversations/{sender}/tracker", timeout=30).json()
        stored = [event for event in tracker["events"] if event["event"] == "user"][-1]
        for key in ("text", "intent", "entities", "intent_ranking"):
            assert stored["parse_data"].get(key) == graph.get(key), (text, key)
