"""`action_lookup_dossier`: answer "where is my dossier?" (intent ask_status). Thin.

The lookup logic lives in `dossier_lookup.lookup.DossierLookup`; this module only reads
the tracker (text, entities, slots, the client address in the message metadata), calls
it and emits the reply, the `answer_about` JSON message and slots.
The service comes from `actions.services` (one per process, bound to the event loop).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import processing_time_of_named
from actions.services import services
from catalog.errors import CatalogUnavailable
from dossier_lookup.lookup import LookupReply, OwnerCheck
from dossier_lookup.owner import is_phone_on_file, sms_phone_of
from notifier.exceptions import NotifierUnavailable
from notifier.subscriptions import conversation_of, subscriptions_of
from status_client.models import Dossier

__all__ = ["ActionLookupDossier", "client_of", "owner_check"]

log = logging.getLogger(__name__)


def client_of(tracker: Tracker) -> str | None:
    """The client address the gateway put in the message's metadata (None: not given)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    client = metadata.get("client") if isinstance(metadata, dict) else None
    return str(client) if client else None


def owner_check(sender_id: str) -> OwnerCheck | None:
    """Whether the conversation proved it owns a dossier: it texts from the phone on file
    (an SMS conversation, `dossier_lookup.owner`), or it follows the dossier, which took
    the one-time code sent to that phone (`actions.subscriptions`)."""
    phone = sms_phone_of(sender_id)
    if phone is not None:

        async def texted_from_file(dossier: Dossier) -> bool:
            return is_phone_on_file(dossier, phone)

        return texted_from_file
    conversation = conversation_of(sender_id)
    if conversation is None:
        return None
    channel, address = conversation

    def followed() -> list[str]:
        with services().notifier_session() as session:
            return subscriptions_of(session, channel=channel, address=address)

    async def proven(dossier: Dossier) -> bool:
        try:
            return dossier.code in await asyncio.to_thread(followed)
        except NotifierUnavailable:
            log.exception("subscriptions unavailable; ownership not proven this time")
            return False

    return proven


class ActionLookupDossier(Action):
    """Look up the dossier named in the message (or remembered) and answer."""

    def name(self) -> str:
        return "action_lookup_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply about the dossier; remember its code and procedure in slots."""
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        reply = (
            await services()
            .lookup()
            .reply(
                sender=tracker.sender_id,
                text=text,
                entity_code=next(tracker.get_latest_entity_values("dossier_code"), None),
                remembered_code=tracker.get_slot("dossier_code"),
                client=client_of(tracker),
                owner=owner_check(tracker.sender_id),
            )
        )
        if reply.asked_for_code:
            reply = await _with_processing_time(reply, text, list(latest.get("entities") or []))
        dispatcher.utter_message(text=reply.text)
        events: list[EventType] = []
        if reply.dossier_code or reply.procedure_code:
            dispatcher.utter_message(json_message={"answer_about": reply.answer_about})
        if reply.dossier_code:
            events.append(SlotSet("dossier_code", reply.dossier_code))
        if reply.procedure_code:
            events.append(SlotSet("procedure_code", reply.procedure_code))
        return events


async def _with_processing_time(
    reply: LookupReply, text: str, entities: list[Mapping[str, Any]]
) -> LookupReply:
    """The request for a code, plus the usual processing time of the procedure named."""
    try:
        hint = await asyncio.to_thread(processing_time_of_named, text, entities)
    except CatalogUnavailable:
        log.exception("catalog unavailable; asking for the code only")
        return reply
    if hint is None:
        return reply
    return replace(
        reply,
        text=f"{reply.text}\n\n{hint.text}",
        procedure_code=hint.procedure_code,
    )
