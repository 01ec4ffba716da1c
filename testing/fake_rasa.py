"""A fake Rasa for the gateway's channels: the assistant channel's JSON as an httpx handler.

It speaks the documented JSON (docs/contracts.md) of `/webhooks/assistant/webhook` and
answers the action server's `/health`, so the gateway (web chat and SMS) is tested
without patching any of its own code: `create_app(settings, transport=MockTransport(fake))`.
Rasa's HTTP API for models is there too: `GET /status` and `PUT /model` (token checked),
so that loading a model into each Rasa process is tested against the documented answers.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = [
    "ACTION_SERVER_URL",
    "RASA_URL",
    "FakeRasa",
    "birth_documents_answer",
    "rasa_answer",
]

RASA_URL = "http://rasa.test:5005"
ACTION_SERVER_URL = "http://actions.test:5055"


def rasa_answer(
    *messages: str | dict[str, Any],
    intent: str | None,
    confidence: float | None = None,
    **about: str,
) -> dict[str, Any]:
    """The channel's JSON: `messages` (a text, or a whole message such as one with
    buttons), the intent and its confidence, and what the answer was about."""
    return {
        "messages": [{"text": m} if isinstance(m, str) else m for m in messages],
        "intent": intent,
        "confidence": confidence,
        "answer_about": about,
    }


def birth_documents_answer() -> dict[str, Any]:
    """Rasa's answer to "giấy tờ làm khai sinh" (procedure 1.001193): the documents, a
    message without text (not a reply), then a question with a fee button."""
    return rasa_answer(
        "Hồ sơ đăng ký khai sinh gồm:\n- Giấy chứng sinh (bản chính, 1 bản)",
        {"answer_about": "must be ignored, it is not a reply"},
        {
            "text": "Bạn muốn hỏi thêm gì?",
            "buttons": [{"title": "Lệ phí", "payload": '/ask_fee{"procedure_code":"1.001193"}'}],
        },
        intent="ask_documents",
        confidence=0.97,
        procedure_code="1.001193",
    )


@dataclass
class FakeRasa:
    """Answers `/webhooks/assistant/webhook` from a table; can be down, slow or broken."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    mode: str = "up"  # up | down | hang | error500 | garbage
    actions_up: bool = True
    hang_seconds: float = 30.0
    received: list[dict[str, Any]] = field(default_factory=list)
    received_headers: list[httpx.Headers] = field(default_factory=list)
    base_url: str = RASA_URL
    # Rasa's HTTP API (`--enable-api --auth-token`): the model it serves; refusing loads.
    auth_token: str = "rasa-token"
    model_file: str = "assistant-old.tar.gz"
    refuse_models: bool = False

    def answer(self, message: str) -> dict[str, Any]:
        """The channel's JSON for `message`: from the table, else an echo."""
        if message in self.answers:
            return self.answers[message]
        return {
            "messages": [{"text": f"Bạn đã hỏi: {message}"}],
            "intent": "out_of_scope",
            "confidence": 0.42,
            "answer_about": {},
        }

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url.startswith(ACTION_SERVER_URL):
            if request.url.path == "/health" and self.actions_up:
                return httpx.Response(200, json={"status": "ok"})
            raise httpx.ConnectError("connection refused", request=request)
        if not url.startswith(self.base_url):
            raise httpx.ConnectError(f"no such host in the fake: {url}", request=request)
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "hang":
            # Like a real transport: the client's read timeout ends the wait.
            read_timeout = request.extensions.get("timeout", {}).get("read")
            try:
                await asyncio.wait_for(asyncio.sleep(self.hang_seconds), read_timeout)
            except TimeoutError:
                raise httpx.ReadTimeout("read timed out", request=request) from None
        if self.mode == "error500":
            return httpx.Response(500, text="Internal Server Error")
        if request.url.path == "/":
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        if request.url.path in ("/status", "/model"):
            return self._model_api(request)
        if request.method == "POST" and request.url.path == "/webhooks/assistant/webhook":
            body = json.loads(request.content)
            self.received.append(body)
            self.received_headers.append(request.headers)
            if self.mode == "garbage":
                return httpx.Response(200, text="<html>oops</html>")
            return httpx.Response(200, json=self.answer(body["message"]))
        return httpx.Response(404, json={"error": "not found"})

    def _model_api(self, request: httpx.Request) -> httpx.Response:
        """`GET /status` and `PUT /model` as Rasa answers them (401 without the token)."""
        if request.url.params.get("token") != self.auth_token:
            return httpx.Response(401, json={"status": "failure", "reason": "NotAuthenticated"})
        if request.method == "GET" and request.url.path == "/status":
            return httpx.Response(200, json={"model_file": self.model_file, "model_id": "x"})
        if request.method == "PUT" and request.url.path == "/model":
            if self.refuse_models:
                return httpx.Response(400, json={"status": "failure", "reason": "BadRequest"})
            self.model_file = str(json.loads(request.content)["model_file"]).rsplit("/", 1)[-1]
            return httpx.Response(204)
        return httpx.Response(405, json={"status": "failure", "reason": "MethodNotAllowed"})
