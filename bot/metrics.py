"""The gateway's Prometheus metrics and `GET /metrics` (the Prometheus text format).

- `gateway_requests_total{route, method, channel, status}` and
  `gateway_request_duration_seconds{route, channel}`: every HTTP request, labelled by
  the matched route's template (`/static/{asset}`, never the raw path; `unmatched` when
  no route matched) and by its channel (the route's tag when it names a channel in
  `bot.channels.CHANNELS`, else `none`).
- `gateway_intents_total{intent, channel}` and `gateway_fallbacks_total{channel}`: the
  intent of each answer Rasa gave (`converse()` notes it, under the channel of the turn,
  `bot.channels.turn`: Telegram and Zalo answer after their webhook has returned); a
  fallback is `nlu_fallback` or no intent at all.

No label ever carries personal data: intents outside the domain's list (a citizen can
type `/anything` and Rasa passes it on as an intent) are counted as `other`.
"""

from __future__ import annotations

import time
from functools import lru_cache

import yaml
from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import CHANNELS
from metrics import CONTENT_TYPE, LATENCY_BUCKETS, exposition
from settings import REPO_ROOT

__all__ = ["metrics_middleware", "note_answer", "router"]

FALLBACK_INTENT = "nlu_fallback"
NO_CHANNEL = "none"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "gateway_requests",
    "HTTP requests answered, by route template, method, channel and status code.",
    ["route", "method", "channel", "status"],
)
LATENCY = Histogram(
    "gateway_request_duration_seconds",
    "Time to answer an HTTP request, by route template and channel.",
    ["route", "channel"],
    buckets=LATENCY_BUCKETS,
)
INTENTS = Counter(
    "gateway_intents", "Answers from Rasa by intent and channel.", ["intent", "channel"]
)
FALLBACKS = Counter(
    "gateway_fallbacks",
    "Answers where Rasa did not understand (nlu_fallback or no intent), by channel.",
    ["channel"],
)

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics() -> Response:
    """The process's metrics in the Prometheus text format."""
    return Response(exposition(), media_type=CONTENT_TYPE)


def note_answer(intent: str | None, channel: str) -> None:
    """Count Rasa's answer under `channel` (a `notifier.models.ChannelName`: the turn's)."""
    INTENTS.labels(intent_label(intent), channel).inc()
    if intent is None or intent == FALLBACK_INTENT:
        FALLBACKS.labels(channel).inc()


@lru_cache(maxsize=1)
def known_intents() -> frozenset[str]:
    """The domain's intents, the only ones used as label values."""
    path = REPO_ROOT / "domain.yml"
    domain = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    names = {
        next(iter(item)) if isinstance(item, dict) else str(item)
        for item in (domain or {}).get("intents", [])
    }
    return frozenset(names | {FALLBACK_INTENT})


def intent_label(intent: str | None) -> str:
    """`intent` when the domain declares it; `none` or `other` otherwise."""
    if intent is None:
        return "none"
    return intent if intent in known_intents() else "other"


def _route_and_channel(scope: Scope) -> tuple[str, str]:
    route = scope.get("route")
    template = getattr(route, "path", None)
    if template is None:
        return "unmatched", NO_CHANNEL
    tags = getattr(route, "tags", None) or ()
    channel = next((str(tag) for tag in tags if tag in CHANNELS), NO_CHANNEL)
    return str(template), channel


def _count(scope: Scope, status: int, seconds: float) -> None:
    route, channel = _route_and_channel(scope)
    LATENCY.labels(route, channel).observe(seconds)
    method = scope["method"] if scope["method"] in _METHODS else "other"
    REQUESTS.labels(route, method, channel, str(status)).inc()


def metrics_middleware(app: ASGIApp) -> ASGIApp:
    """Pure ASGI middleware: counts and times each HTTP request (about 10 µs each)."""

    async def measured(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        started, status = time.perf_counter(), 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, noting_status)
        finally:
            _count(scope, status, time.perf_counter() - started)

    return measured
