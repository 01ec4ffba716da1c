"""The official `twilio` client against the Twilio simulator, over real HTTP.

The client is pointed at the simulator by `client.api.base_url` (see simulators.twilio).
Responses are checked against `api.v2010.account.message` in Twilio's OpenAPI file (see
`testing.specs`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import jsonschema
import pytest
from sim_test_support import SID, TOKEN, configure
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from simulators.common import running_server
from simulators.twilio import TwilioSimConfig, create_app
from testing.specs import load_spec

FROM = "+15005550006"
CITIZEN = "+84901234567"
SPEC = "twilio_api_v2010.json"


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    config = TwilioSimConfig(account_sid=SID, auth_token=TOKEN, unreachable_numbers=["+8490000*"])
    with running_server(create_app(config)) as url:
        yield url


def accepted(sim_url: str) -> list[dict[str, Any]]:
    return httpx.get(f"{sim_url}/_sim/messages").json()


def wait_for_status(sim_url: str, sid: str, status: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(m["sid"] == sid and m["status"] == status for m in accepted(sim_url)):
            return
        time.sleep(0.02)
    raise AssertionError(f"{sid} never reached {status}")


def test_create_answers_a_queued_message_and_the_simulator_records_it(
    client: Client, sim_url: str
) -> None:
    message = client.messages.create(to=CITIZEN, from_=FROM, body="Ho so da co ket qua")
    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert message.status == "queued"
    assert (message.to, message.from_, message.body) == (CITIZEN, FROM, "Ho so da co ket qua")
    assert message.num_segments == "1" and message.direction == "outbound-api"
    assert message.account_sid == SID and message.uri.endswith(f"/Messages/{message.sid}.json")
    assert abs(message.date_created - datetime.now(UTC)) < timedelta(seconds=5)
    [record] = accepted(sim_url)
    assert record["sid"] == message.sid and record["to"] == CITIZEN and record["num_segments"] == 1
    assert record["body"] == "Ho so da co ket qua" and record["from"] == FROM


def test_vietnamese_diacritics_cost_ucs2_segments(client: Client) -> None:
    accented = "Hồ sơ 000.00.06.H56-231027-0361 đã có kết quả, mời ông/bà đến nhận."  # 67 chars
    plain = "Ho so 000.00.06.H56-231027-0361 da co ket qua, moi ong/ba den nhan. " * 2  # 136
    assert client.messages.create(to=CITIZEN, from_=FROM, body=accented).num_segments == "1"
    twice = f"{accented} {accented}"  # 135 characters: 67 + 67 + 1
    assert client.messages.create(to=CITIZEN, from_=FROM, body=twice).num_segments == "3"
    assert client.messages.create(to=CITIZEN, from_=FROM, body=plain).num_segments == "1"


def test_fetch_follows_the_message_to_delivered(client: Client, sim_url: str) -> None:
    sid = client.messages.create(to=CITIZEN, from_=FROM, body="xin chao").sid
    wait_for_status(sim_url, sid, "delivered")
    fetched = client.messages(sid).fetch()
    assert fetched.status == "delivered" and fetched.date_sent is not None
    assert fetched.price is not None and fetched.error_code is None


def test_fetch_of_an_unknown_message_is_20404(client: Client) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.messages("SM" + "0" * 32).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_list_filters_by_recipient_newest_first_across_pages(client: Client) -> None:
    sids = [client.messages.create(to=CITIZEN, from_=FROM, body=f"tin {n}").sid for n in range(5)]
    client.messages.create(to="+84912345678", from_=FROM, body="someone else")
    listed = client.messages.list(to=CITIZEN, page_size=2)
    assert [m.sid for m in listed] == sids[::-1]
    first_page = client.messages.page(to=CITIZEN, page_size=2)
    assert len(list(first_page)) == 2 and first_page.next_page_url is not None
    assert len(list(client.messages.stream(page_size=2, limit=3))) == 3


def test_paging_is_not_shifted_by_new_messages(client: Client) -> None:
    sids = [client.messages.create(to=CITIZEN, from_=FROM, body=f"tin {n}").sid for n in range(4)]
    first = client.messages.page(page_size=2)
    client.messages.create(to=CITIZEN, from_=FROM, body="arrives while paging")
    second = first.next_page()
    assert [m.sid for m in [*first, *second]] == sids[::-1]


def test_list_filters_by_date_sent(client: Client, sim_url: str) -> None:
    sid = client.messages.create(to=CITIZEN, from_=FROM, body="hom nay").sid
    wait_for_status(sim_url, sid, "delivered")
    now = datetime.now(UTC)
    assert [m.sid for m in client.messages.list(date_sent_after=now - timedelta(minutes=1))] == [
        sid
    ]
    assert client.messages.list(date_sent_before=now - timedelta(hours=1)) == []
    assert [m.sid for m in client.messages.list(date_sent=now)] == [sid]


@pytest.mark.parametrize(
    ("to", "code"),
    [
        ("0901234567", 21211),  # not E.164
        ("+15005550001", 21211),  # Twilio's magic invalid number
        ("+15005550004", 21610),  # Twilio's magic blocked (opted-out) number
    ],
)
def test_permanent_errors_carry_twilio_codes(
    client: Client, sim_url: str, to: str, code: int
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=to, from_=FROM, body="x")
    assert (raised.value.status, raised.value.code) == (400, code)
    assert accepted(sim_url) == []


def test_configured_opted_out_numbers_are_refused(client: Client, sim_url: str) -> None:
    configure(sim_url, opted_out_numbers=["+8498*"])
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to="+84981112222", from_=FROM, body="x")
    assert raised.value.code == 21610
    assert "unsubscribed" in raised.value.msg


def test_error_body_has_twilio_shape(sim_url: str) -> None:
    response = httpx.post(
        f"{sim_url}/2010-04-01/Accounts/{SID}/Messages.json",
        data={"To": "nope", "From": FROM, "Body": "x"},
        auth=(SID, TOKEN),
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": 21211,
        "message": "Invalid 'To' Phone Number: nope",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


def test_wrong_credentials_are_401_code_20003(sim_url: str) -> None:
    intruder = Client(SID, "wrong-token")
    intruder.api.base_url = sim_url
    with pytest.raises(TwilioRestException) as raised:
        intruder.messages.create(to=CITIZEN, from_=FROM, body="x")
    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert accepted(sim_url) == []


def test_rate_limit_answers_429_with_retry_after(client: Client, sim_url: str) -> None:
    configure(sim_url, rate_limit=1, rate_burst=1)
    client.messages.create(to=CITIZEN, from_=FROM, body="first")
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=CITIZEN, from_=FROM, body="too soon")
    assert (raised.value.status, raised.value.code) == (429, 20429)
    assert client.http_client._test_only_last_response.headers["Retry-After"] == "1"
    time.sleep(1.05)
    client.messages.create(to=CITIZEN, from_=FROM, body="after waiting")
    assert [m["body"] for m in accepted(sim_url)] == ["first", "after waiting"]


def test_injected_server_errors_are_500_code_20500(client: Client, sim_url: str) -> None:
    configure(sim_url, error_rate=1.0)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=CITIZEN, from_=FROM, body="x")
    assert (raised.value.status, raised.value.code) == (500, 20500)
    assert accepted(sim_url) == []


def _openapi_validator(schema_ref: str) -> Any:
    spec = load_spec(SPEC)

    def to_json_schema(node: Any) -> Any:
        # OpenAPI 3.0 `nullable` is JSON Schema's `type: [T, "null"]`; refs are inlined.
        if isinstance(node, list):
            return [to_json_schema(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return to_json_schema(spec["components"]["schemas"][node["$ref"].split("/")[-1]])
        converted = {key: to_json_schema(value) for key, value in node.items()}
        if converted.pop("nullable", False) and "type" in converted:
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        return converted

    checker = jsonschema.FormatChecker()
    checker.checks("date-time-rfc-2822", raises=ValueError)(
        lambda value: not isinstance(value, str) or parsedate_to_datetime(value) is not None
    )
    schema = to_json_schema({"$ref": schema_ref})
    return jsonschema.Draft7Validator(schema, format_checker=checker)


def test_responses_validate_against_twilios_openapi_schema(sim_url: str) -> None:
    message_schema = _openapi_validator("#/components/schemas/api.v2010.account.message")
    messages_url = f"{sim_url}/2010-04-01/Accounts/{SID}/Messages.json"
    created = httpx.post(
        messages_url, data={"To": CITIZEN, "From": FROM, "Body": "Hồ sơ"}, auth=(SID, TOKEN)
    )
    assert created.status_code == 201
    resource = created.json()
    message_schema.validate(resource)
    assert set(resource) == set(message_schema.schema["properties"])
    wait_for_status(sim_url, resource["sid"], "delivered")
    fetched = httpx.get(f"{sim_url}{resource['uri']}", auth=(SID, TOKEN)).json()
    message_schema.validate(fetched)
    spec = load_spec(SPEC)
    operation = spec["paths"]["/2010-04-01/Accounts/{AccountSid}/Messages.json"]["get"]
    list_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    listing = httpx.get(messages_url, params={"PageSize": 1}, auth=(SID, TOKEN)).json()
    assert set(listing) == set(list_schema["properties"])
    for resource in listing["messages"]:
        message_schema.validate(resource)


# twilio's aiohttp client still passes `auth=` that aiohttp 3.12+ deprecates.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_the_async_client_works_the_same_way(sim_url: str) -> None:
    http_client = AsyncTwilioHttpClient()
    client = Client(SID, TOKEN, http_client=http_client)
    client.api.base_url = sim_url
    try:
        message = await client.messages.create_async(to=CITIZEN, from_=FROM, body="bat dong bo")
        fetched = await client.messages(message.sid).fetch_async()
        assert fetched.body == "bat dong bo"
        with pytest.raises(TwilioRestException) as raised:
            await client.messages.create_async(to="+15005550004", from_=FROM, body="x")
        assert raised.value.code == 21610
    finally:
        await http_client.close()
