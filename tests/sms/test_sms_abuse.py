"""Abuse of the SMS webhook: a flooding number, forgeries, replays."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from forgeries import forgeries
from sms_helpers import KNOWN_CODE, SmsClient
from sqlalchemy import Engine, func, select

from bot.channels.sms.keywords import OPT_OUT_REPLY
from db import make_session_factory
from notifier.models import InboundSms, OptOut, OutboxMessage, SurveyRequest

FLOODER = "+84987654321"
VICTIM = "+84912345678"


def twiml_message(response) -> str | None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    found = re.search(r"<Message>(.*)</Message>", response.text, re.S)
    return found[1] if found else None


def stored_texts(engine: Engine, phone: str) -> int:
    with make_session_factory(engine)() as session:
        query = select(func.count()).select_from(InboundSms).where(InboundSms.from_number == phone)
        return session.scalar(query) or 0


def test_a_number_over_twenty_a_minute_gets_one_polite_reply_then_nothing(
    sms: SmsClient, engine: Engine
) -> None:
    answers = [twiml_message(sms.text(f"cau hoi {n}", FLOODER)) for n in range(20)]
    assert all(answer and "cau hoi" in answer for answer in answers)
    assert len(sms.rasa.received) == 20

    warning = twiml_message(sms.text("cau hoi 21", FLOODER))
    assert warning is not None and "nhanh qua" in warning and "mot phut" in warning
    later = [twiml_message(sms.text(body, FLOODER)) for body in ("cau hoi 22", KNOWN_CODE, "1")]
    assert later == [None, None, None]  # empty TwiML: no reply at all
    assert len(sms.rasa.received) == 20  # Rasa never asked
    assert stored_texts(engine, FLOODER) == 20  # nothing processed, nothing stored
    assert "cau hoi" in (twiml_message(sms.text("cau hoi", "+84900000001")) or "")

    sms.clock.advance(60)
    assert "cau hoi 23" in (twiml_message(sms.text("cau hoi 23", FLOODER)) or "")


def test_stop_is_honoured_even_over_the_limit(sms: SmsClient, engine: Engine) -> None:
    for n in range(22):
        sms.text(f"cau hoi {n}", FLOODER)
    assert twiml_message(sms.text("STOP", FLOODER)) == OPT_OUT_REPLY
    with make_session_factory(engine)() as session:
        assert session.get_one(OptOut, FLOODER).opted_out


def _add_sent_message(engine: Engine) -> None:
    now = datetime.now(UTC)
    with make_session_factory(engine)() as session, session.begin():
        session.add(
            OutboxMessage(
                idempotency_key="abuse", channel="sms", address=VICTIM,
                recipient_key=f"sms:{VICTIM}", body="x", purpose="status", urgent=False,
                state="sent", attempts=1, outcome_unknown=False, available_at=now,
                created_at=now, provider_id="SMsentbyus",
            )
        )  # fmt: skip


def _stored(engine: Engine) -> tuple[int, int, int, str | None]:
    with make_session_factory(engine)() as session:
        count = select(func.count())
        return (
            session.scalar(count.select_from(InboundSms)) or 0,
            session.scalar(count.select_from(OptOut)) or 0,
            session.scalar(count.select_from(SurveyRequest)) or 0,
            session.scalar(select(OutboxMessage.delivery_status)),
        )


def test_a_thousand_varied_forgeries_are_all_refused_and_change_nothing(
    sms: SmsClient, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _add_sent_message(engine)
    made = forgeries(1_200, victim=VICTIM)
    assert len({forgery.kind for forgery in made}) >= 12

    caplog.set_level(logging.INFO)
    wrong = [
        (forgery.kind, status)
        for forgery in made
        if (status := sms.http.post(forgery.path, content=forgery.content,
                                    headers=forgery.headers).status_code) != forgery.expected
    ]  # fmt: skip
    assert wrong == []
    assert _stored(engine) == (0, 0, 0, None)  # no text, opt-out, survey answer or report
    assert sms.rasa.received == [] and sms.dossiers.asked == []
    assert not any(VICTIM in record.getMessage() for record in caplog.records)
    # Forgeries never spend the victim's rate limit: the real number is answered at once.
    assert KNOWN_CODE in (twiml_message(sms.text(KNOWN_CODE, VICTIM)) or "")


def test_a_replayed_request_is_processed_once(sms: SmsClient, engine: Engine) -> None:
    params = {"MessageSid": "SM" + "7" * 32, "From": VICTIM, "To": "+15005550006", "Body": ""}
    replies = []
    for body in ("giay to lam khai sinh", KNOWN_CODE, "STOP"):
        params = dict(params, MessageSid=params["MessageSid"][:-1] + str(len(replies)), Body=body)
        replies += [twiml_message(sms.post("/webhooks/twilio/sms", params)) for _ in range(5)]
    assert len(set(replies[0:5])) == len(set(replies[5:10])) == len(set(replies[10:15])) == 1
    assert len(sms.rasa.received) == 1  # the conversation's turn is taken once
    # A code is read-only: a replay may read the dossier again, but stores nothing new.
    assert set(sms.dossiers.asked) == {KNOWN_CODE}
    assert _stored(engine)[:2] == (3, 1)  # three texts, one opt-out
