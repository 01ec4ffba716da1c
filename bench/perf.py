"""Pure helpers for the latency figures: request bodies, conversation growth, formatting."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bench.load import BodyFor, LoadResult

__all__ = [
    "ASSISTANT_PATH",
    "CONVERSATION_TURNS",
    "ConversationGrowth",
    "chat_body",
    "conversation_growth",
    "load_summary",
    "parse_body",
    "rotating_conversations",
]

# Our Rasa input channel (rasa_ext.channel), as the gateway calls it.
ASSISTANT_PATH = "/webhooks/assistant/webhook"
CONVERSATION_TURNS = 10  # a load-run sender starts a new conversation this often


def chat_body(sender: str, text: str) -> dict[str, object]:
    """`/api/chat`, Rasa's REST channel and our assistant channel all take this."""
    return {"sender": sender, "message": text}


def parse_body(sender: str, text: str) -> dict[str, object]:
    """Rasa's `POST /model/parse` (NLU only, no tracker, no actions)."""
    return {"text": text}


def rotating_conversations(body_for: BodyFor, length: int) -> BodyFor:
    """Start a new conversation every `length` messages of a sender.

    Citizens ask a few questions and leave; without this a load run's conversations
    grow as long as the run, and the throughput figure would include conversation-length
    cost (measured separately).
    """
    if length < 1:
        raise ValueError("conversation length must be at least 1")
    sent: defaultdict[str, int] = defaultdict(int)

    def body(sender: str, text: str) -> dict[str, object]:
        conversation = sent[sender] // length
        sent[sender] += 1
        return body_for(f"{sender}-c{conversation}", text)

    return body


@dataclass(frozen=True)
class ConversationGrowth:
    """How much slower late messages of one conversation are than early ones."""

    first_ms: float  # median of messages 1..window
    last_ms: float  # median of the last `window` messages
    message_1_ms: float
    message_n_ms: float
    length: int

    @property
    def ratio(self) -> float:
        return self.last_ms / self.first_ms if self.first_ms else float("nan")

    @property
    def raw_ratio(self) -> float:
        return self.message_n_ms / self.message_1_ms if self.message_1_ms else float("nan")


def conversation_growth(latencies_ms: Sequence[float], window: int = 10) -> ConversationGrowth:
    """Robust growth: median of the first `window` messages vs median of the last `window`."""
    if len(latencies_ms) < 2 * window:
        raise ValueError(f"need at least {2 * window} latencies, got {len(latencies_ms)}")
    return ConversationGrowth(
        first_ms=statistics.median(latencies_ms[:window]),
        last_ms=statistics.median(latencies_ms[-window:]),
        message_1_ms=latencies_ms[0],
        message_n_ms=latencies_ms[-1],
        length=len(latencies_ms),
    )


def load_summary(result: LoadResult) -> str:
    """`12.3 msg/s, p50 45 ms, p99 120 ms (n=320)` plus errors when there were any."""
    text = (
        f"{result.throughput:.1f} msg/s, p50 {result.p(50):.0f} ms, "
        f"p99 {result.p(99):.0f} ms (n={len(result.latencies_ms)})"
    )
    return text + (f", {result.errors} errors" if result.errors else "")
