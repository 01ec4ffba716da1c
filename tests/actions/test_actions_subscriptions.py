"""Chat subscriptions through the actions: the code goes by SMS to the phone on file, the
right code subscribes the conversation, wrong codes are counted, "hủy theo dõi" ends it.

Real Tracker and CollectingDispatcher, the one-stop simulator over HTTP, a migrated SQLite
database (the catalog fixture's; each test uses its own conversation ids).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.dossiers import ActionLookupDossier
from actions.services import ActionServices, configure, services
from actions.subscription_steps import one_time_code_in
from actions.subscription_texts import UNAVAILABLE
from actions.subscriptions import (
    ActionConfirmSubscription,
    ActionSubscribeDossier,
    ActionUnsubscribeDossier,
)
from notifier.models import OutboxMessage, SubscriptionChallenge
from notifier.otp_codes import render
from notifier.phones import mask_phone, normalize_phone
from notifier.subscriptions import conversation_of, subscriptions_of
from settings import Settings
from simulators.onestop import SimConfig, running_simulator

DOMAIN: dict[str, Any] = {"slots": {"dossier_code": {}, "procedure_code": {}}}


@pytest.fixture(scope="module")
def onestop_url() -> Iterator[str]:
    """A small one-stop simulator for this module."""
    with running_simulator(SimConfig(seed=5, count=300)) as url:
        yield url


@pytest.fixture
def subscription_env(onestop_url: str, catalog_db: str) -> Iterator[str]:
    """The action server's services: the simulator, the test database, 3 tries per code."""
    settings = Settings(
        database_url=catalog_db,
        onestop_base_url=onestop_url,
        notify_otp_attempts=3,
        quiet_hours="",  # codes are refused at night: the tests must not depend on the hour
    )
    configure(ActionServices.from_settings(settings))
    yield onestop_url


def a_dossier_with_phone(base_url: str, nth: int = 0) -> dict[str, Any]:
    items = httpx.get(f"{base_url}/api/dossiers", params={"limit": 50}).json()["items"]
    return [item for item in items if item.get("SoDienThoai")][nth]


def tracker(
    sender: str, text: str, intent: str, *, slot: str | None = None, client: str | None = None
) -> Tracker:
    metadata = {"client": client} if client else {}
    return Tracker(
        sender_id=sender,
        slots={"dossier_code": slot, "procedure_code": None},
        latest_message={
            "text": text,
            "intent": {"name": intent},
            "entities": [],
            "metadata": metadata,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def say(action: Any, sender: str, text: str, intent: str, **kw: Any) -> tuple[str, list]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(sender, text, intent, **kw), DOMAIN)
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    return "\n".join(texts), events


def otp_sent_to(phone: str) -> str:
    with services().sessions() as session:
        bodies = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.purpose == "otp", OutboxMessage.address == phone)
            .order_by(OutboxMessage.id)
        ).all()
    secret = services().settings.notify_otp_secret.get_secret_value()
    match = re.search(r": (\d{6})\.", render(bodies[-1], secret))  # sealed in the outbox
    assert match, bodies
    return match[1]


def follows(channel: str, address: str) -> list[str]:
    with services().sessions() as session:
        return subscriptions_of(session, channel=channel, address=address)


async def test_subscribe_confirm_and_unsubscribe_in_the_web_chat(subscription_env: str) -> None:
    record = a_dossier_with_phone(subscription_env)
    code, phone = record["MaHoSo"], normalize_phone(record["SoDienThoai"])
    sender = f"web-{uuid.uuid4().hex[:12]}"
    typed = code.lower().replace(".", " ")

    reply, events = await say(
        ActionSubscribeDossier(), sender, f"theo dõi hồ sơ {typed}", "subscribe_dossier"
    )
    assert phone and mask_phone(phone) in reply and phone[-3:] not in reply  # carrier only
    assert code in reply and "6 chữ số" in reply
    assert {"event": "slot", "name": "dossier_code", "value": code} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events
    ]
    otp = otp_sent_to(phone)

    wrong = "000000" if otp != "000000" else "111111"
    reply, _ = await say(ActionConfirmSubscription(), sender, wrong, "confirm_code")
    assert "chưa đúng" in reply and "2 lần" in reply
    with services().sessions() as session:  # the failed try was committed
        challenge = session.scalars(
            select(SubscriptionChallenge).where(SubscriptionChallenge.address == sender)
        ).one()
        assert challenge.attempts_left == 2
    assert follows("webchat", sender) == []

    details, _ = await say(ActionLookupDossier(), sender, code, "ask_status")
    assert "Quá trình xử lý" not in details  # not proven yet
    reply, _ = await say(ActionConfirmSubscription(), sender, f"mã là {otp}", "confirm_code")
    assert "Đã xác nhận" in reply and code in reply
    assert follows("webchat", sender) == [code]
    details, _ = await say(ActionLookupDossier(), sender, code, "ask_status")
    assert "Quá trình xử lý" in details  # the one-time code proved the owner: no digits
    stranger, _ = await say(
        ActionLookupDossier(), f"web-{uuid.uuid4().hex[:12]}", code, "ask_status"
    )
    assert "Quá trình xử lý" not in stranger

    reply, _ = await say(ActionSubscribeDossier(), sender, "theo dõi hồ sơ", "subscribe_dossier",
                         slot=code)  # fmt: skip
    assert "đang theo dõi hồ sơ" in reply

    reply, _ = await say(ActionUnsubscribeDossier(), sender, "hủy theo dõi", "unsubscribe_dossier")
    assert code in reply
    assert follows("webchat", sender) == []
    reply, _ = await say(ActionUnsubscribeDossier(), sender, "hủy theo dõi", "unsubscribe_dossier")
    assert "không theo dõi hồ sơ nào" in reply


async def test_too_many_wrong_codes_lock_the_challenge(subscription_env: str) -> None:
    record = a_dossier_with_phone(subscription_env)
    sender = f"telegram:{uuid.uuid4().int % 10**9}"
    await say(ActionSubscribeDossier(), sender, f"theo doi {record['MaHoSo']}", "subscribe_dossier")
    otp = otp_sent_to(normalize_phone(record["SoDienThoai"]) or "")
    wrong = "000000" if otp != "000000" else "111111"

    replies = [(await say(ActionConfirmSubscription(), sender, wrong, "confirm_code"))[0]
               for _ in range(3)]  # fmt: skip
    assert "sai mã quá nhiều lần" in replies[-1]
    reply, _ = await say(ActionConfirmSubscription(), sender, otp, "confirm_code")
    assert "chưa gửi mã" in reply  # the locked challenge is closed: the right code is too late
    assert follows("telegram", sender.split(":", 1)[1]) == []


async def test_codes_are_capped_per_dossier_and_the_reply_reveals_nothing(
    subscription_env: str,
) -> None:
    record = a_dossier_with_phone(subscription_env, nth=3)
    code, phone = record["MaHoSo"], normalize_phone(record["SoDienThoai"]) or ""
    replies = []
    for _ in range(5):  # five strangers' conversations ask for the same dossier
        sender = f"web-{uuid.uuid4().hex[:12]}"
        replies.append((await say(ActionSubscribeDossier(), sender, f"theo dõi {code}",
                                  "subscribe_dossier"))[0])  # fmt: skip
    assert all("6 chữ số" in reply for reply in replies[:3])
    for refused in replies[3:]:
        assert "chưa thể gửi thêm mã" in refused
        assert phone[-3:] not in refused and code not in refused and "3" not in refused
    with services().sessions() as session:
        sent = session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.purpose == "otp", OutboxMessage.address == phone
            )
        ).all()
    assert len(sent) == 3


async def test_unknown_dossier_missing_code_and_no_challenge(subscription_env: str) -> None:
    sender = f"web-{uuid.uuid4().hex[:12]}"
    unknown = "000.00.06.H56-231027-9999"
    reply, events = await say(
        ActionSubscribeDossier(), sender, f"theo dõi hồ sơ {unknown}", "subscribe_dossier"
    )
    assert "Không tìm thấy hồ sơ" in reply and events == []
    reply, _ = await say(ActionSubscribeDossier(), sender, "theo dõi hồ sơ", "subscribe_dossier")
    assert "hồ sơ nào" in reply
    reply, _ = await say(ActionConfirmSubscription(), sender, "123456", "confirm_code")
    assert "chưa gửi mã" in reply
    reply, _ = await say(ActionConfirmSubscription(), sender, "mã gì cơ", "confirm_code")
    assert "6 chữ số" in reply


async def test_subscribing_counts_against_the_client_address_quota(subscription_env: str) -> None:
    items = httpx.get(f"{subscription_env}/api/dossiers", params={"limit": 30}).json()["items"]
    client = f"198.51.100.{uuid.uuid4().int % 250}"
    replies = [
        (await say(ActionSubscribeDossier(), f"web-{uuid.uuid4().hex[:12]}",
                   f"theo dõi hồ sơ {item['MaHoSo']}", "subscribe_dossier", client=client))[0]
        for item in items[:21]
    ]  # fmt: skip
    assert not any("nhiều hồ sơ khác nhau" in reply for reply in replies[:20])
    assert "nhiều hồ sơ khác nhau" in replies[20]  # one address, 1 sender each: 20 at most
    looked, _ = await say(ActionLookupDossier(), "web-x", items[25]["MaHoSo"], "ask_status",
                          client=client)  # fmt: skip
    assert "nhiều hồ sơ khác nhau" in looked  # the same quota as the lookups'


async def test_an_sms_conversation_is_told_sms_updates_are_automatic(subscription_env: str) -> None:
    reply, _ = await say(
        ActionSubscribeDossier(), "sms:+84901234567", "theo doi ho so", "subscribe_dossier"
    )
    assert "SMS" in reply and "tự động" in reply


def test_one_time_codes_are_six_digits_outside_dossier_codes() -> None:
    assert one_time_code_in("482913") == "482913"
    assert one_time_code_in("mã xác nhận là 482 913 nhé") == "482913"
    assert one_time_code_in("０４８２９１") == "048291"
    assert one_time_code_in("1234") is None
    assert one_time_code_in("hồ sơ 000.00.06.H56-231027-0361") is None
    assert one_time_code_in("123456 hay 654321") is None


def test_conversations_are_named_by_the_sender_id() -> None:
    assert conversation_of("web-3f2a9c1d") == ("webchat", "web-3f2a9c1d")
    assert conversation_of("telegram:4242") == ("telegram", "4242")
    assert conversation_of("zalo:abc") == ("zalo", "abc")
    assert conversation_of("other:1") == ("webchat", "other:1")
    assert conversation_of("telegram:") is None
    assert conversation_of("web-" + "a" * 80) is None


async def test_a_database_that_cannot_be_reached_gets_an_apology(
    subscription_env: str, tmp_path: Any
) -> None:
    record = a_dossier_with_phone(subscription_env)
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'assistant.db'}"
    settings = Settings(database_url=unreachable, onestop_base_url=subscription_env)
    configure(ActionServices.from_settings(settings))
    sender = f"web-{uuid.uuid4().hex[:12]}"
    turns = [
        (ActionSubscribeDossier(), f"theo dõi hồ sơ {record['MaHoSo']}", "subscribe_dossier"),
        (ActionConfirmSubscription(), "482913", "confirm_code"),
        (ActionUnsubscribeDossier(), "hủy theo dõi", "unsubscribe_dossier"),
    ]
    for action, text, intent in turns:
        reply, events = await say(action, sender, text, intent)
        assert reply == UNAVAILABLE and events == []
