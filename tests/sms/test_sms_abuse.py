"""Abuse of the SMS webhook: a flooding number, forgeries, replays."""

from __future__ import annotations

import re

from sms_helpers import KNOWN_CODE, SmsClient
from sqlalchemy import Engine, func, select

from db import make_session_factory
from notifier.models import InboundSms, OptOut
from notifier.optouts import OPT_OUT_REPLY

FLOODER = "+84987654321"


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
