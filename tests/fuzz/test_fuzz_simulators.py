"""The simulators' routes, fuzzed from their own OpenAPI descriptions.

A simulator that crashes on bad input hides the gateway's and the notifier's bugs, so
none may answer 5xx (the one-stop simulator's injected faults aside: settings changed by
a fuzzed `/_sim/config` or `/_sim/faults` are reset right after), and what they document
must hold. They stand in for providers' APIs whose error statuses are the providers'
(Twilio's 400s and 401s, Telegram's `ok: false`), so their statuses are not held to their
descriptions, which do not list them.
"""

from __future__ import annotations

import schemathesis
from fuzzing import call_and_check, fuzzed
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

onestop = schemathesis.pytest.from_fixture("onestop_schema")
twilio = schemathesis.pytest.from_fixture("twilio_schema")
telegram = schemathesis.pytest.from_fixture("telegram_schema")
zalo = schemathesis.pytest.from_fixture("zalo_schema")

SIMULATOR_CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
# Routes whose calls change how the simulator answers everything after them.
_SETTINGS_ROUTES = ("/_sim/config", "/_sim/faults")


def check_simulator(case: Case, name: str) -> None:
    """Send `case` to simulator `name`; put its settings back if the case changed them."""
    try:
        call_and_check(case, name, checks=SIMULATOR_CHECKS)
    finally:
        if case.method == "POST" and case.path in _SETTINGS_ROUTES:
            case.operation.schema["/_sim/reset"]["POST"].Case().call()


@onestop.parametrize()
@fuzzed
def test_onestop_simulator_never_fails_on_bad_input(case: Case) -> None:
    check_simulator(case, "one-stop simulator")


@twilio.parametrize()
@fuzzed
def test_twilio_simulator_never_fails_on_bad_input(case: Case) -> None:
    check_simulator(case, "Twilio simulator")


@telegram.parametrize()
@fuzzed
def test_telegram_simulator_never_fails_on_bad_input(case: Case) -> None:
    if isinstance(case.body, dict) and case.body.get("wait") is True:
        # A waiting update holds its answer until a bot takes it or `wait_timeout` ends,
        # by design; no bot takes updates here, so the wait is kept short.
        case.body = {**case.body, "wait_timeout": 0.01}
    check_simulator(case, "Telegram simulator")


@zalo.parametrize()
@fuzzed
def test_zalo_simulator_never_fails_on_bad_input(case: Case) -> None:
    check_simulator(case, "Zalo simulator")
