"""The Zalo channel as a citizen meets it, through the simulator's signed webhooks."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from zalo_helpers import USER, ZaloWorld, signed, text_event

from bot.channels.sender_limit import SLOW_DOWN
from bot.channels.zalo_events import GREETING, PLEASE_TYPE
from bot.conversation import BUSY_APOLOGY
from notifier.models import ChannelName, Subscription


def test_follow_is_greeted(zalo: ZaloWorld) -> None:
    delivery = zalo.simulator.post(f"/_sim/users/{USER}/follow").json()
    assert delivery["statuses"] == [200]
    (greeting,) = zalo.replies()
    assert greeting["message"] == {"text": GREETING}


def test_text_is_a_turn_whose_choices_become_quick_replies(zalo: ZaloWorld) -> None:
    zalo.rasa.answers["giấy tờ làm sổ đỏ"] = {
        "messages": [
            {
                "text": "Bạn muốn hỏi thủ tục nào?",
                "buttons": [
                    {
                        "title": "Cấp sổ đỏ lần đầu",
                        "payload": '/ask_documents{"procedure_code":"1.0001"}',
                    },
                    {
                        "title": "Cấp đổi sổ đỏ",
                        "payload": '/ask_documents{"procedure_code":"1.0002"}',
                    },
                ],
            }
        ],
        "intent": "ask_documents",
        "confidence": 0.9,
        "answer_about": {},
    }
    assert zalo.write("giấy tờ làm sổ đỏ")["statuses"] == [200]
    (reply,) = zalo.replies()
    template = reply["message"]["attachment"]["payload"]
    assert template["text"] == "Bạn muốn hỏi thủ tục nào?"
    assert [b["type"] for b in template["buttons"]] == ["oa.query.show"] * 2
    payload = template["buttons"][0]["payload"]
    zalo.simulator.post(f"/_sim/users/{USER}/button", json={"payload": payload})
    zalo.replies(after=1)
    asked = zalo.rasa.received[-1]
    assert asked["message"] == payload
    assert asked["sender"] == f"zalo:{USER}"
    assert asked["metadata"]["client"] == f"zalo:{USER}"


def test_a_sticker_gets_please_type_and_never_reaches_rasa(zalo: ZaloWorld) -> None:
    zalo.simulator.post(f"/_sim/users/{USER}/attachment/sticker")
    (reply,) = zalo.replies()
    assert reply["message"] == {"text": PLEASE_TYPE}
    assert zalo.rasa.received == []


def test_rasa_down_is_an_apology(zalo: ZaloWorld) -> None:
    zalo.rasa.mode = "down"
    zalo.write("lệ phí khai sinh")
    (reply,) = zalo.replies()
    assert reply["message"] == {"text": BUSY_APOLOGY}


def test_unfollow_ends_the_users_chat_notifications(zalo: ZaloWorld) -> None:
    now = datetime.now(UTC)
    with zalo.sessions() as session, session.begin():
        for code in ("000.00.01.H01-261201-0001", "000.00.01.H01-261201-0002"):
            session.add(
                Subscription(
                    dossier_code=code, channel=ChannelName.ZALO, address=USER, created_at=now
                )
            )
        session.add(
            Subscription(
                dossier_code="000.00.01.H01-261201-0003",
                channel=ChannelName.ZALO,
                address="77",
                created_at=now,
            )
        )
    zalo.simulator.post(f"/_sim/users/{USER}/unfollow")
    deadline = datetime.now(UTC).timestamp() + 10
    active: list[str] = ["?"]
    while active and datetime.now(UTC).timestamp() < deadline:
        with zalo.sessions() as session:
            active = list(session.scalars(select(Subscription.address).where(Subscription.active)))
        if active == ["77"]:
            break
    assert active == ["77"]


def test_a_replayed_event_is_processed_once(zalo: ZaloWorld) -> None:
    raw, headers = signed(text_event("lệ phí khai sinh"))
    zalo.state.user(USER).last_interaction = datetime.now(UTC).timestamp()
    answers = [
        httpx.post(zalo.gateway_url + "/webhooks/zalo", content=raw, headers=headers)
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [200] * 5
    zalo.replies()
    assert len(zalo.rasa.received) == 1
    assert zalo.events_stored() == 1


def test_zalo_retries_until_the_gateway_answers_200(zalo: ZaloWorld) -> None:
    zalo.state.config = type(zalo.state.config)(
        **{**zalo.state.config.__dict__, "webhook_url": zalo.gateway_url + "/not-yet"}
    )
    delivery = zalo.write("xin chào")
    assert delivery["statuses"] == [404]
    zalo.state.config = type(zalo.state.config)(
        **{**zalo.state.config.__dict__, "webhook_url": zalo.gateway_url + "/webhooks/zalo"}
    )
    zalo.replies()
    (record,) = zalo.simulator.get("/_sim/deliveries").json()["deliveries"]
    assert record["statuses"] == [404, 200]


def test_a_flooding_sender_gets_one_slow_down_and_then_nothing(zalo: ZaloWorld) -> None:
    for number in range(25):
        zalo.write(f"câu hỏi {number}")
    messages = zalo.replies(count=21)
    texts = [m["message"].get("text") for m in messages]
    assert texts.count(SLOW_DOWN) == 1
    assert len(zalo.rasa.received) == 20
    assert len(messages) == 21


def test_a_users_replies_keep_the_order_of_their_messages(zalo: ZaloWorld) -> None:
    questions = [f"câu hỏi số {n}" for n in range(8)]
    for question in questions:
        zalo.write(question)
    replies = zalo.replies(count=len(questions))
    assert [r["message"]["text"] for r in replies] == [f"Bạn đã hỏi: {q}" for q in questions]
