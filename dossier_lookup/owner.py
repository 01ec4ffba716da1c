"""The owner's way in that no stranger can block: a text from the phone on file.

A stranger who has a dossier's code can lock its ID-number factor (wrong digits) and use
up the one-time codes sent to its phone (the notifier's caps), but cannot send a text
from the owner's phone. A conversation `sms:+84…` is only ever made by the Twilio-signed
SMS webhook (the web chat refuses `:` in a sender), from the `From` number Twilio saw;
so a dossier code texted from the phone on file proves ownership the way a confirmed
one-time code does, with no lock-out, no code and no cap in the way.

Both SMS paths use it: the lookup action (`actions.dossiers.owner_check`, for texts that
go through Rasa) and the degraded path that answers texted codes without Rasa
(`bot.channels.sms.inbound`, with `sms_owner_details`: a short SMS, never more than the verified
chat reply shows).
"""

from __future__ import annotations

from dossier_lookup.replies import format_money
from notifier.phones import normalize_phone
from status_client.models import VIETNAM_TZ, Dossier, DossierStatus

__all__ = ["is_phone_on_file", "sms_owner_details", "sms_phone_of"]

_SMS_PREFIX = "sms:"


def sms_phone_of(conversation: str) -> str | None:
    """The sender's number of an SMS conversation (`sms:+84…`), else None."""
    if not conversation.startswith(_SMS_PREFIX):
        return None
    return normalize_phone(conversation.removeprefix(_SMS_PREFIX))


def is_phone_on_file(dossier: Dossier, phone: str | None) -> bool:
    """Whether `phone` (a texting number) is the dossier's phone on file."""
    if not phone or not dossier.phone:
        return False
    on_file = normalize_phone(dossier.phone)
    return on_file is not None and on_file == normalize_phone(phone)


def sms_owner_details(dossier: Dossier) -> str:
    """What the owner texting from the phone on file gets beyond the status: what to add,
    what to pay, and the latest step (plain Vietnamese; the caller folds and cuts it)."""
    parts: list[str] = []
    if dossier.status is DossierStatus.WAITING and dossier.supplements_requested:
        parts.append("Cần bổ sung: " + "; ".join(dossier.supplements_requested) + ".")
    if dossier.status is DossierStatus.PAYING and dossier.fees_due:
        total = sum(fee.amount_vnd for fee in dossier.fees_due)
        items = ", ".join(f"{fee.name} {format_money(fee.amount_vnd)}" for fee in dossier.fees_due)
        parts.append(f"Cần nộp {format_money(total)} ({items}).")
    if dossier.steps:
        step = max(dossier.steps, key=lambda each: each.at)
        stamp = step.at.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y")
        parts.append(f"Bước gần nhất ({stamp}): {step.description}.")
    return " ".join(parts)
