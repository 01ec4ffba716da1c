"""Requests the Twilio simulator makes to us (status callbacks, inbound SMS), faults, start-up.

Our side is played by a small recording web app over real HTTP; every request it gets
must validate with the `twilio` library's own `RequestValidator`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
import requests
from sim_test_support import SID, TOKEN, configure
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from simulators.common import running_server
from simulators.twilio import TwilioSimConfig, create_app, load_config
from testing.processes import running_module

FROM = "+15005550006"
CITIZEN = "+84901234567"
SERVICE = "MG" + "ab" * 16
TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<Response><Message>Ho so: dang xu ly</Message></Response>"
)


class Gateway:
    """Our side: records every form POST; /sms answers TwiML."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        routes = [Route("/{path:path}", self.receive, methods=["POST"])]
        self.app = Starlette(routes=routes)

    async def receive(self, request: Request) -> Response:
        form = await request.form()
        params = {key: str(value) for key, value in form.items()}
        self.requests.append((str(request.url), dict(request.headers), params))
        if request.url.path == "/sms":
            return Response(TWIML, media_type="application/xml")
        return Response(status_code=204)

    def wait_for(self, count: int, timeout: float = 5) -> list[dict[str, str]]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.requests) >= count, f"only {len(self.requests)} requests arrived"
        return [params for _, _, params in self.requests]


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    config = TwilioSimConfig(
        account_sid=SID,
        auth_token=TOKEN,
        unreachable_numbers=["+8490000*"],
        failed_numbers=["+84999999999"],
    )
    with running_server(create_app(config)) as url:
        yield url


@pytest.fixture
def gateway() -> Iterator[tuple[Gateway, str]]:
    receiver = Gateway()
    with running_server(receiver.app) as url:
        yield receiver, url


def assert_signed(receiver: Gateway, token: str = TOKEN) -> None:
    validator = RequestValidator(token)
    for url, headers, params in receiver.requests:
        assert validator.validate(url, params, headers["x-twilio-signature"]), url


@pytest.mark.parametrize(
    ("to", "statuses", "error_code"),
    [
        (CITIZEN, ["queued", "sent", "delivered"], None),
        ("+84900001234", ["queued", "sent", "undelivered"], "30003"),
        ("+84999999999", ["queued", "failed"], "30008"),
    ],
)
def test_status_callbacks_arrive_in_order_and_signed(
    client: Client,
    gateway: tuple[Gateway, str],
    to: str,
    statuses: list[str],
    error_code: str | None,
) -> None:
    receiver, url = gateway
    message = client.messages.create(to=to, from_=FROM, body="x", status_callback=f"{url}/status")
    assert message.status == "queued"  # accepted first; the outcome comes later
    callbacks = receiver.wait_for(len(statuses))
    assert [c["MessageStatus"] for c in callbacks] == statuses
    assert {c["MessageSid"] for c in callbacks} == {message.sid}
    assert callbacks[-1].get("ErrorCode") == error_code
    assert callbacks[0]["AccountSid"] == SID and callbacks[0]["To"] == to
    assert_signed(receiver)
    url, headers, params = receiver.requests[0]
    assert not RequestValidator("forged").validate(url, params, headers["x-twilio-signature"])
    final = client.messages(message.sid).fetch()
    assert final.status == statuses[-1]
    assert final.error_code == (int(error_code) if error_code else None)


def test_callbacks_come_later_and_can_be_delayed(
    client: Client, sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    receiver, url = gateway
    configure(sim_url, callback_delay=0.5)
    started = time.monotonic()
    sid = client.messages.create(to=CITIZEN, from_=FROM, body="x", status_callback=url).sid
    answered_after = time.monotonic() - started
    receiver.wait_for(3)
    # The answer did not wait for the callbacks; each step waited for the delay.
    assert answered_after < 1.5 <= time.monotonic() - started
    assert client.messages(sid).fetch().status == "delivered"


def test_messaging_service_accepts_then_assigns_a_sender(client: Client, sim_url: str) -> None:
    message = client.messages.create(to=CITIZEN, messaging_service_sid=SERVICE, body="x")
    assert (message.status, message.from_, message.num_segments) == ("accepted", None, "0")
    assert message.messaging_service_sid == SERVICE
    deadline = time.monotonic() + 5
    while client.messages(message.sid).fetch().status != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    [record] = httpx.get(f"{sim_url}/_sim/messages").json()
    assert record["from"] == FROM and record["messaging_service_sid"] == SERVICE


def test_inbound_sms_is_posted_signed_and_twiml_replies_are_recorded(
    sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    receiver, url = gateway
    answer = httpx.post(
        f"{sim_url}/_sim/inbound",
        json={"from": CITIZEN, "body": "000.00.06.H56-231027-0361", "url": f"{url}/sms"},
    ).json()
    assert answer["status_code"] == 200 and "<Message>" in answer["body"]
    [params] = receiver.wait_for(1)
    assert params["From"] == CITIZEN and params["To"] == FROM and params["NumMedia"] == "0"
    assert params["Body"] == "000.00.06.H56-231027-0361" and params["AccountSid"] == SID
    assert params["MessageSid"] == answer["message_sid"] and params["SmsStatus"] == "received"
    assert_signed(receiver)
    [reply] = httpx.get(f"{sim_url}/_sim/messages").json()
    assert (reply["to"], reply["body"], reply["direction"]) == (
        CITIZEN,
        "Ho so: dang xu ly",
        "outbound-reply",
    )
    replayed = httpx.post(
        f"{sim_url}/_sim/inbound",
        json={
            "from": CITIZEN,
            "body": "x",
            "url": f"{url}/sms",
            "message_sid": answer["message_sid"],
        },
    ).json()
    assert replayed["params"]["MessageSid"] == answer["message_sid"]


def test_stop_keyword_opts_out_until_start(
    client: Client, sim_url: str, gateway: tuple[Gateway, str]
) -> None:
    _, url = gateway
    inbound = f"{sim_url}/_sim/inbound"
    stop = httpx.post(inbound, json={"from": CITIZEN, "body": "STOP", "url": f"{url}/sms"}).json()
    assert stop["params"]["OptOutType"] == "STOP" and stop["rejected_replies"][0]["code"] == 21610
    with pytest.raises(TwilioRestException, match="unsubscribed"):
        client.messages.create(to=CITIZEN, from_=FROM, body="x")
    httpx.post(inbound, json={"from": CITIZEN, "body": "start", "url": f"{url}/sms"})
    assert client.messages.create(to=CITIZEN, from_=FROM, body="x").status == "queued"


def test_latency_is_added(client: Client, sim_url: str) -> None:
    configure(sim_url, latency=0.3)
    started = time.monotonic()
    client.messages.create(to=CITIZEN, from_=FROM, body="x")
    assert time.monotonic() - started >= 0.3


def test_a_hung_answer_leaves_an_accepted_message_behind(sim_url: str) -> None:
    configure(sim_url, hang_rate=1.0, hang_seconds=2)
    impatient = Client(SID, TOKEN, http_client=TwilioHttpClient(timeout=0.3))
    impatient.api.base_url = sim_url
    with pytest.raises(requests.exceptions.Timeout):
        impatient.messages.create(to=CITIZEN, from_=FROM, body="did it go?")
    # The client cannot know; the provider's list can (the notifier's reconciliation).
    deadline = time.monotonic() + 5
    while not (records := httpx.get(f"{sim_url}/_sim/messages").json()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert [record["body"] for record in records] == ["did it go?"]


def test_config_rejects_unknown_settings(sim_url: str) -> None:
    response = httpx.post(f"{sim_url}/_sim/config", json={"no_such_setting": 1})
    assert response.status_code == 400 and "no_such_setting" in response.text


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "shared-token")
    monkeypatch.setenv("TWILIO_SIM_RATE_LIMIT", "100")
    monkeypatch.setenv("TWILIO_SIM_UNREACHABLE_NUMBERS", "+8490000*,+84911111111")
    config = load_config()
    assert config.auth_token == "shared-token" and config.rate_limit == 100.0
    assert config.unreachable_numbers == ["+8490000*", "+84911111111"]


def test_runs_as_a_module_with_flags() -> None:
    env = {"TWILIO_SIM_RATE_LIMIT": "7"}
    with running_module("simulators.twilio", "--auth-token", "cli", env=env) as url:
        config = httpx.get(f"{url}/_sim/config").json()
        assert config["auth_token"] == "cli" and config["rate_limit"] == 7.0
