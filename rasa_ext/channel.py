"""The gateway's channel into Rasa: one JSON request in, one JSON answer out.

`POST /webhooks/assistant/webhook {"sender", "message", "metadata"?}` answers

    {"messages": [{"text": str, "buttons"?: [{"title", "payload"}]}],
     "intent": str | null, "confidence": float | null, "answer_about": {...}}

Custom actions send `{"answer_about": {...}}` as a custom JSON message; it is merged
into the `answer_about` field instead of being shown to the citizen. Bad input (no
JSON, empty text, emoji, markup) gets an answer, never a 500; a text longer than
`message_limits.MAX_MESSAGE_CHARS` (the gateway's limit too) gets `TOO_LONG_REPLY`
without being read. An intent payload (a button's `/greet`) skips the NLU pipeline
(`rasa_ext.payloads`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from message_limits import TOO_LONG_REPLY, is_too_long
from rasa_ext.payloads import payload_parse

__all__ = ["AssistantInput", "AssistantOutput", "answer_from_messages", "too_long_answer"]

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 200
_EMPTY_MESSAGE_PARSE: dict[str, Any] = {
    "text": "",
    "intent": {"name": "nlu_fallback", "confidence": 1.0},
    "entities": [],
    "intent_ranking": [],
}


class AssistantOutput(CollectingOutputChannel):
    """Collects the bot's messages, keeping each text whole (no split on blank lines)."""

    @classmethod
    def name(cls) -> str:
        """Name of the output channel."""
        return "assistant"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Keep multi-paragraph answers (document lists) as one reply."""
        await self._persist_message(self._message(recipient_id, text=text.strip()))


def answer_from_messages(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Split collected bot messages into visible replies and the `answer_about` facts."""
    replies: list[dict[str, Any]] = []
    answer_about: dict[str, Any] = {}
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("answer_about"), dict):
            answer_about.update({k: v for k, v in custom["answer_about"].items() if v is not None})
            continue
        text = message.get("text")
        if not text and not message.get("buttons"):
            continue
        reply: dict[str, Any] = {"text": text or ""}
        buttons = message.get("buttons")
        if buttons:
            reply["buttons"] = [
                {"title": b.get("title", ""), "payload": b.get("payload", "")}
                for b in buttons
                if isinstance(b, dict)
            ]
        replies.append(reply)
    return {"messages": replies, "answer_about": answer_about}


def _clean_text(value: Any) -> str:
    """The message as text, NUL-free."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    return value.replace("\x00", " ")


def too_long_answer() -> dict[str, Any]:
    """The channel's answer to a message over the shared length limit (not read)."""
    return {
        "messages": [{"text": TOO_LONG_REPLY}],
        "intent": None,
        "confidence": None,
        "answer_about": {},
    }


def _parse_without_nlu(request: Request, text: str) -> dict[str, Any] | None:
    """What Rasa can take as the message's parse data without its NLU pipeline, or None."""
    if not text.strip():  # nothing to understand: the fallback action offers help
        return _EMPTY_MESSAGE_PARSE
    agent = getattr(request.app.ctx, "agent", None)
    return payload_parse(text, getattr(agent, "domain", None))


class AssistantInput(InputChannel):
    """Input channel `assistant` used by the gateway (bot/)."""

    @classmethod
    def name(cls) -> str:
        """Name of the channel (URL prefix /webhooks/assistant)."""
        return "assistant"

    async def _latest_parse(self, request: Request, sender_id: str) -> dict[str, Any]:
        """Intent and confidence of the message just handled."""
        agent = getattr(request.app.ctx, "agent", None)
        store = getattr(agent, "tracker_store", None) if agent else None
        if store is None:
            return {"intent": None, "confidence": None}
        pop = getattr(store, "pop_latest_parse", None)
        if pop is not None:  # our windowed store remembers it; no tracker round-trip
            parsed = pop(sender_id)
            if parsed:
                return parsed
        tracker = await store.retrieve(sender_id)
        latest = tracker.latest_message if tracker else None
        if latest is None or not latest.intent:
            return {"intent": None, "confidence": None}
        return {"intent": latest.intent.get("name"), "confidence": latest.intent.get("confidence")}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: GET / (health) and POST /webhook."""
        hook = Blueprint("assistant_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - malformed JSON is the client's error
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "expected a JSON object"}, status=400)
            sender_id = _clean_text(body.get("sender"))[:MAX_SENDER_CHARS].strip()
            if not sender_id:
                return response.json({"error": "sender is required"}, status=400)
            text = _clean_text(body.get("message"))
            if is_too_long(text.strip()):
                return response.json(too_long_answer())
            metadata = body.get("metadata")
            if not isinstance(metadata, dict):
                metadata = None

            collector = AssistantOutput()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=metadata,
                        parse_data=_parse_without_nlu(request, text),
                    )
                )
                parsed = await self._latest_parse(request, sender_id)
            except Exception:  # noqa: BLE001 - the citizen gets the partial answer
                # The channel's name only: an SMS conversation's id is a phone number.
                channel = sender_id.partition(":")[0] if ":" in sender_id else "web"
                logger.exception("assistant channel failed on a %s message", channel)
                parsed = {"intent": None, "confidence": None}
            answer = answer_from_messages(collector.messages)
            confidence = parsed.get("confidence")
            return response.json(
                {
                    "messages": answer["messages"],
                    "intent": parsed.get("intent"),
                    "confidence": float(confidence) if confidence is not None else None,
                    "answer_about": answer["answer_about"],
                }
            )

        return hook
