"""How the fuzzing suite runs: seed, examples per route, checks, time limit, request count.

`make test` runs a modest, fixed number of examples per route with a fixed seed;
`make fuzz` raises them (FUZZ_EXAMPLES) and prints how many requests each route got
(`REQUESTS`, reported by the conftest at the end of the session) and the seed.

A response fails the suite when it is a 5xx, when its status, content type, headers or
body are not what the OpenAPI description documents for it, or when it took longer
than FUZZ_MAX_SECONDS.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, seed, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

__all__ = [
    "CHECKS",
    "EXAMPLES",
    "MAX_SECONDS",
    "PUBLIC_BASE_URL",
    "TELEGRAM_SECRET",
    "TELEGRAM_TOKEN",
    "TWILIO_TOKEN",
    "ZALO_APP_ID",
    "ZALO_SECRET",
    "REQUESTS",
    "SECONDS",
    "SEED",
    "STATUSES",
    "call_and_check",
    "fuzzed",
]

# The gateway's public address and Twilio token in the apps under test (requests are signed).
PUBLIC_BASE_URL = "https://trolymotcua.example.gov.vn"
TWILIO_TOKEN = "fuzz-twilio-token-0123456789abcdef"
# The Telegram simulator's bot, and the webhook secret the gateway registers for it.
TELEGRAM_TOKEN = "123456:change-me"
TELEGRAM_SECRET = "fuzz-telegram-secret-0123456789"
# The Zalo app and OA secret key the development gateway checks event MACs with.
ZALO_APP_ID = "1234567890"
ZALO_SECRET = "fuzz-zalo-oa-secret-0123456789"
SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
# Generous: the machine is shared; a route this slow on a fake Rasa is a bug, not noise.
MAX_SECONDS = float(os.environ.get("FUZZ_MAX_SECONDS", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Requests sent, by "app METHOD /path", and by that and the status (printed at the end).
REQUESTS: Counter[str] = Counter()
STATUSES: Counter[tuple[str, int]] = Counter()
SECONDS: Counter[str] = Counter()


def fuzzed(test: Callable[..., Any]) -> Callable[..., Any]:
    """Hypothesis settings of every fuzzing test: fixed seed, no example database."""
    bounded = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )(test)
    return seed(SEED)(bounded)


def call_and_check(case: Case, app_name: str, checks: list[Any] | None = None, **call: Any) -> None:
    """Send `case`, count it, and hold its answer to the description and the time limit."""
    response = case.call(timeout=MAX_SECONDS * 2, **call)
    route = f"{app_name} {case.operation.label}"
    REQUESTS[route] += 1
    STATUSES[route, response.status_code] += 1
    case.validate_response(response, checks=checks or CHECKS)
    seconds = response.elapsed
    SECONDS[route] += seconds
    assert seconds <= MAX_SECONDS, f"{case.operation.label} took {seconds:.2f} s"
