"""The owner's way in that a stranger cannot block: the dossier code texted from the phone
on file gets what to add or pay and the latest step (the degraded path, without Rasa);
another number gets the status only. Neither the ID-number lock nor the one-time-code
caps are consulted on this path, so nothing a stranger does can stand in its way."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sms_helpers import KNOWN_CODE, SmsClient

from notifier.gsm7 import segment_count
from status_client.models import DossierStatus, Fee, ProcessingStep
from testing.dossiers import a_dossier

OWNER = "+84901234567"  # the phone on file is 0901234567


def message_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    found = re.search(r"<Message>(.*)</Message>", response.text, re.S)
    return found[1] if found else ""


def paying_dossier() -> object:
    step = ProcessingStep(
        at=datetime(2023, 10, 28, 2, 0, tzinfo=UTC),
        unit="UBND xã Khánh Vĩnh",
        description="Chuyển thu phí",
        handler_title="Cán bộ",
        handler_name="Trần Thị Bình",
    )
    return a_dossier(
        DossierStatus.PAYING,
        code=KNOWN_CODE,
        phone="0901234567",
        fees=(Fee(name="Lệ phí", amount_vnd=20_000, paid=False),),
        steps=(step,),
    )


def test_the_owner_texting_the_code_gets_the_details(sms: SmsClient) -> None:
    sms.dossiers.dossiers[KNOWN_CODE] = paying_dossier()  # type: ignore[assignment]
    for sender in (OWNER, "0901234567", "84901234567"):  # as Twilio or a carrier writes it
        owner = message_of(sms.text(KNOWN_CODE, sender))
        assert KNOWN_CODE in owner and "Can nop 20.000 d (Le phi 20.000 d)" in owner
        assert "Buoc gan nhat (28/10/2023): Chuyen thu phi" in owner
        assert segment_count(owner) <= 3
        # No more personal data than the verified chat reply: no name, no ID, no phone.
        for personal in ("Nguyen", "Binh", "0901234567", "4567"):
            assert personal not in owner
    assert sms.rasa.received == []


def test_another_number_gets_the_status_only(sms: SmsClient) -> None:
    sms.dossiers.dossiers[KNOWN_CODE] = paying_dossier()  # type: ignore[assignment]
    other = message_of(sms.text(KNOWN_CODE, "+84907654321"))
    assert KNOWN_CODE in other and "20.000" not in other and "Buoc gan nhat" not in other
    assert segment_count(other) <= 2
