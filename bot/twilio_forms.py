"""The form bodies Twilio posts to our webhooks, checked at the boundary.

Each field's bounds are what the database and the handlers can take (a MessageSid is at
most 64 characters, a phone number 32, no NUL anywhere, which PostgreSQL refuses), so
that a malformed or hostile form is a 400 before anything runs, and the OpenAPI
description (`bot.openapi.form_body`) says exactly what is accepted. Twilio sends more
fields than these (AccountSid, To, NumSegments, …): they are allowed and ignored.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["SIGNATURE_HEADER", "InboundSmsForm", "StatusCallbackForm", "checked_form"]

SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_DESCRIPTION = (
    "Base64 HMAC-SHA1 of PUBLIC_BASE_URL + path and the sorted form fields, keyed with "
    "TWILIO_AUTH_TOKEN (Twilio's request signature); missing or wrong: 403"
)
# Letters and digits only: Twilio's ids look like SM + 32 hex digits.
_SID = r"^[A-Za-z0-9]{1,64}$"
# Printable text: no ASCII control characters (a phone number, a Twilio status).
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
# Any text but NUL (an SMS may hold line breaks; PostgreSQL cannot store NUL).
_NO_NUL = r"^[^\x00]*$"
MAX_SMS_BODY_CHARS = 1_600

log = logging.getLogger("bot.sms")

FormT = TypeVar("FormT", bound=BaseModel)


class _TwilioForm(BaseModel):
    # Twilio posts many more fields than we read; they are strings like the rest.
    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str]


class InboundSmsForm(_TwilioForm):
    """`POST /webhooks/twilio/sms`: a text a citizen sent to our number."""

    MessageSid: str = Field(pattern=_SID, description="Twilio's id of the message")
    From: str = Field(max_length=32, pattern=_PRINTABLE, description="The sender's number")
    Body: str = Field(
        default="", max_length=MAX_SMS_BODY_CHARS, pattern=_NO_NUL, description="The text"
    )


class StatusCallbackForm(_TwilioForm):
    """`POST /webhooks/twilio/status`: what became of a message we sent."""

    MessageSid: str = Field(pattern=_SID, description="Twilio's id of our message")
    MessageStatus: str = Field(
        pattern=r"^[a-z_]{1,16}$", description="queued, sent, delivered, undelivered, failed…"
    )
    ErrorCode: str = Field(
        default="", pattern=r"^[A-Za-z0-9_-]{0,32}$", description="Twilio's error code, if any"
    )


def checked_form(model: type[FormT], form: dict[str, str]) -> FormT:
    """`form` as `model`, or 400 naming the fields that are missing or out of bounds."""
    try:
        return model.model_validate(form)
    except ValidationError as error:
        fields = sorted({str(item["loc"][0]) for item in error.errors() if item["loc"]})
        log.warning("Twilio webhook with missing or invalid %s", ", ".join(fields))
        raise HTTPException(
            status_code=400, detail=f"missing or invalid {', '.join(fields) or 'form'}"
        ) from None
