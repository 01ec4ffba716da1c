"""The action server's Prometheus metrics and `GET /metrics` on its own port (5055).

rasa_sdk loads the package `rasa_sdk_plugins` at start-up, which registers this module's
`attach_sanic_app_extensions` hook: it adds the route and times every `/webhook` call.

- `actions_runs_total{action, outcome}`: actions run, by name and outcome (`ok`,
  `rejected` for a validation refusal, `error`); a call naming no registered action is
  counted as action `unknown`.
- `actions_run_duration_seconds{action}`: how long each action took to answer.
- `dossier_lookups_total{outcome}` (see `dossier_lookup.metrics`): the dossier lookups.

The action server runs one Sanic worker (rasa_sdk's default): the counters are this
process's own, with no multiprocess collection.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from typing import Any

import pluggy
from prometheus_client import Counter, Histogram
from sanic import Request, Sanic
from sanic.response import BaseHTTPResponse, HTTPResponse, raw

from metrics import CONTENT_TYPE, LATENCY_BUCKETS, exposition

__all__ = ["attach_sanic_app_extensions"]

hookimpl = pluggy.HookimplMarker("rasa_sdk")

RUNS = Counter("actions_runs", "Actions run, by name and outcome.", ["action", "outcome"])
DURATION = Histogram(
    "actions_run_duration_seconds",
    "Time an action took to answer, by name.",
    ["action"],
    buckets=LATENCY_BUCKETS,
)

WEBHOOK = "/webhook"
_ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_OUTCOMES = {200: "ok", 400: "rejected"}


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """Serve `/metrics` and time each action call (rasa_sdk's plugin hook)."""
    app.register_middleware(_started, "request")
    app.register_middleware(_finished, "response")
    app.add_route(_metrics, "/metrics", methods=["GET"], name="metrics")


async def _metrics(request: Request) -> HTTPResponse:
    """The process's metrics in the Prometheus text format."""
    return raw(exposition(), content_type=CONTENT_TYPE)


async def _started(request: Request) -> None:
    if request.path == WEBHOOK:
        request.ctx.metrics_started = time.perf_counter()


async def _finished(request: Request, response: BaseHTTPResponse) -> None:
    started = getattr(request.ctx, "metrics_started", None)
    if started is None:
        return
    # A name the executor did not know (404) is the caller's text, not one of ours.
    name = "unknown" if response.status == 404 else _action_name(request)
    RUNS.labels(name, _OUTCOMES.get(response.status, "error")).inc()
    DURATION.labels(name).observe(time.perf_counter() - started)


def _action_name(request: Request) -> str:
    """The `next_action` of the call (Rasa may deflate the body), else `unknown`."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            call: Any = json.loads(zlib.decompress(request.body))
        else:
            call = request.json
        name = call.get("next_action") if isinstance(call, dict) else None
    except (ValueError, zlib.error):
        return "unknown"
    return name if isinstance(name, str) and _ACTION_NAME.match(name) else "unknown"
