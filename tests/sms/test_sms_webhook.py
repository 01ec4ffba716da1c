"""POST /webhooks/twilio/sms and /webhooks/twilio/status, signed with Twilio's RequestValidator."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pg_admin import admin_engine, drop_connections, refusing_connections
from sms_helpers import KNOWN_CODE, SmsClient, dossier
from sqlalchemy import Engine, make_url, select

from bot.conversation import BUSY_APOLOGY
from db import make_session_factory
from notifier.gsm7 import segment_count
from notifier.models import InboundSms, OptOut, OutboxMessage, SurveyRequest
from status_client.models import DossierStatus
from vntext import fold


def message_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    found = re.search(r"<Message>(.*)</Message>", response.text, re.S)
    return found[1] if found else ""


def test_dossier_code_in_any_shape_gets_its_status_in_two_segments(sms: SmsClient) -> None:
    for typed in (KNOWN_CODE, "000 00 06 h56 231027 0361", "tra cuu 000.00.06.H56-231027-0361"):
        text = message_of(sms.text(typed))
        assert KNOWN_CODE in text and "dang duoc xu ly" in text and "30/10/2099" in text
        assert segment_count(text) <= 2
    assert sms.rasa.received == []


def test_one_number_reads_at_most_its_quota_of_dossiers(sms: SmsClient) -> None:
    walker = "+84911111111"
    walked = [message_of(sms.text(f"000.00.06.H56-231027-{n:04d}", walker)) for n in range(1, 12)]
    assert all("Khong tim thay" in text for text in walked[:10])  # unknown codes count too
    assert "nhieu ho so khac nhau" in walked[10] and "60 phut" in walked[10]
    assert "nhieu ho so khac nhau" in message_of(sms.text(KNOWN_CODE, walker))
    assert "Khong tim thay" in message_of(sms.text("000.00.06.H56-231027-0001", walker))
    assert "dang duoc xu ly" in message_of(sms.text(KNOWN_CODE))  # another number
    assert sms.rasa.received == []


def test_unknown_and_near_miss_codes(sms: SmsClient) -> None:
    assert "Khong tim thay" in message_of(sms.text("000.00.06.H56-231027-0999"))
    assert "chua dung" in message_of(sms.text("000.00.06.H56-23102-0361"))


def test_other_text_goes_to_rasa_and_apologises_when_it_is_down(sms: SmsClient) -> None:
    assert "khai sinh" in message_of(sms.text("giay to lam khai sinh"))
    assert sms.rasa.received[0]["sender"] == "sms:+84901234567"
    # Where the text came from, for the lookup limits in actions (the phone, not an IP).
    assert sms.rasa.received[0]["metadata"] == {"client": "sms:+84901234567"}
    sms.rasa.mode = "down"
    assert "vui long thu lai sau" in message_of(sms.text("giay to lam khai sinh")).lower()
    # Dossier codes and keywords are still answered without Rasa.
    assert KNOWN_CODE in message_of(sms.text(KNOWN_CODE))
    assert "START" in message_of(sms.text("TRO GIUP"))


def test_opt_out_round_trip(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    sessions = make_session_factory(engine)

    def opted_out() -> bool | None:
        with sessions() as session:
            return session.scalar(select(OptOut.opted_out).where(OptOut.phone == "+84901234567"))

    for keyword in ("STOP", "huy", "Tu chối", "UNSUBSCRIBE"):
        assert "ngung nhan" in message_of(sms.text(keyword))
        assert opted_out() is True
        back = "START" if keyword != "huy" else "dk"
        assert "dang ky nhan lai" in message_of(sms.text(back))
        assert opted_out() is False
    assert "DK/START" in message_of(sms.text("HELP"))


def test_survey_answer_after_done(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        session.add(
            SurveyRequest(
                dossier_code=KNOWN_CODE,
                channel="sms",
                address="+84901234567",
                asked_at=datetime.now(UTC),
            )
        )
    assert "4/5" in message_of(sms.text("4"))
    with sessions() as session:
        assert session.scalar(select(SurveyRequest.rating)) == 4
    # A second digit is no longer a survey answer: it goes to the conversation.
    message_of(sms.text("5"))
    assert sms.rasa.received[-1]["message"] == "5"


def test_replayed_message_sid_is_processed_once(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    first = message_of(sms.text("STOP", sid="SMreplay"))
    again = message_of(sms.text("START", sid="SMreplay"))
    assert first == again
    with make_session_factory(engine)() as session:
        assert session.scalar(select(OptOut.opted_out)) is True
        assert len(session.scalars(select(InboundSms)).all()) == 1
    message_of(sms.text("hello", sid="SMchat"))
    message_of(sms.text("hello", sid="SMchat"))
    assert len(sms.rasa.received) == 1


def test_forged_missing_and_wrong_url_signatures_are_refused(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    params = {"MessageSid": "SMforged", "From": "+84901234567", "Body": "STOP"}
    path = "/webhooks/twilio/sms"
    assert sms.post(path, params, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert sms.post(path, params, signature="").status_code == 403
    internal = sms.sign(path, params, base="http://testserver")
    assert sms.post(path, params, signature=internal).status_code == 403
    tampered = dict(params, Body="START")
    assert sms.post(path, tampered, signature=sms.sign(path, params)).status_code == 403
    with make_session_factory(engine)() as session:
        assert session.scalars(select(InboundSms)).all() == []
        assert session.scalars(select(OptOut)).all() == []


def test_malformed_and_oversized_bodies_get_400(sms: SmsClient) -> None:
    path = "/webhooks/twilio/sms"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}
    huge = "Body=" + "a" * 20_000
    assert sms.http.post(path, content=huge, headers=headers).status_code == 400
    assert sms.http.post(path, content=b"\xff\xfe=\x00", headers=headers).status_code == 400
    json_headers = dict(headers, **{"Content-Type": "application/json"})
    assert sms.http.post(path, content=b"{}", headers=json_headers).status_code == 400
    # Signed, but without the fields Twilio always sends.
    assert sms.post(path, {"Body": "hi"}).status_code == 400
    long_text = sms.text("x" * 1_700)
    assert long_text.status_code == 400


def test_status_callback_records_delivery(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    with sessions() as session, session.begin():
        session.add(
            OutboxMessage(
                idempotency_key="k1", channel="sms", address="+84901234567",
                recipient_key="sms:+84901234567", body="x", purpose="status", urgent=False,
                state="sent", attempts=1, outcome_unknown=False, available_at=now,
                created_at=now, provider_id="SMdelivered",
            )
        )  # fmt: skip
    path = "/webhooks/twilio/status"
    for status in ("sent", "undelivered", "sent"):
        params = {"MessageSid": "SMdelivered", "MessageStatus": status, "ErrorCode": "30003"}
        assert sms.post(path, params).status_code == 204
    assert sms.post(path, {"MessageSid": "SMx", "MessageStatus": "sent"}, "bad").status_code == 403
    with sessions() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert (row.delivery_status, row.error_code) == ("undelivered", "30003")


def test_statuses_render_within_two_segments(sms: SmsClient) -> None:
    for status in DossierStatus:
        sms.dossiers.dossiers[KNOWN_CODE] = dossier(status)
        assert segment_count(message_of(sms.text(KNOWN_CODE))) <= 2


def test_code_text_is_logged_once_with_its_reply_and_utc_time(sms: SmsClient, engine) -> None:  # type: ignore[no-untyped-def]
    before = datetime.now(UTC)
    first = message_of(sms.text(KNOWN_CODE, sid="SMcodeonce"))
    sms.dossiers.dossiers[KNOWN_CODE] = dossier(DossierStatus.RELEASING)
    again = message_of(sms.text(KNOWN_CODE, sid="SMcodeonce"))
    assert again == first, "a replay gets the stored reply, not a fresh lookup"
    with make_session_factory(engine)() as session:
        row = session.scalars(
            select(InboundSms).where(InboundSms.message_sid == "SMcodeonce")
        ).one()
    assert row.reply == first and row.body == KNOWN_CODE and row.from_number == "+84901234567"
    assert before.replace(microsecond=0) <= row.received_at <= datetime.now(UTC)


# Dropping or refusing connections is a PostgreSQL server action: these run on it only.
postgres_only = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@postgres_only
def test_texts_are_answered_after_the_database_drops_every_connection(
    sms: SmsClient, engine: Engine, database_url: str
) -> None:
    """A PostgreSQL restart kills the gateway's pooled connections; the next text reconnects."""
    before = message_of(sms.text(KNOWN_CODE, sid="SMbeforedrop"))
    message_of(sms.text("STOP", sid="SMstopbefore", sender="+84907777777"))
    admin = admin_engine()
    with admin.connect() as connection:
        dropped = drop_connections(connection, make_url(database_url).database or "")
    admin.dispose()
    assert dropped, "the gateway's pools held connections to drop"

    after = message_of(sms.text(KNOWN_CODE, sid="SMafterdrop"))  # the MessageSid claim
    confirm = message_of(sms.text("START", sid="SMstartafter", sender="+84907777777"))

    assert after == before
    assert confirm
    with make_session_factory(engine)() as session:
        logged = set(session.scalars(select(InboundSms.message_sid)))
        opted_out = session.scalar(select(OptOut.opted_out).where(OptOut.phone == "+84907777777"))
    assert {"SMbeforedrop", "SMafterdrop", "SMstopbefore", "SMstartafter"} <= logged
    assert opted_out is False


@postgres_only
def test_a_text_while_the_database_is_down_gets_an_apology_not_an_error(
    sms: SmsClient, database_url: str
) -> None:
    name = make_url(database_url).database
    assert name is not None
    with refusing_connections(name):
        while_down = sms.text(KNOWN_CODE, sid="SMwhiledown")

    assert fold(message_of(while_down)) == fold(BUSY_APOLOGY)
    again = message_of(sms.text(KNOWN_CODE, sid="SMwhiledown"))  # Twilio's same text, later
    assert KNOWN_CODE in again
