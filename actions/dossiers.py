"""`action_lookup_dossier`: answer "where is my dossier?" (intent ask_status). Thin.

The lookup logic lives in `status_client.lookup.DossierLookup`; this module only reads
the tracker, calls it and emits the reply, the `answer_about` JSON message and slots.
One client per process, created lazily on the action server's event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from settings import get_settings
from status_client.client import OneStopClient
from status_client.limiter_redis import redis_limiter
from status_client.lookup import DossierLookup

__all__ = ["ActionLookupDossier", "lookup_service", "reset_lookup_service"]

_service: tuple[asyncio.AbstractEventLoop, DossierLookup] | None = None


def lookup_service() -> DossierLookup:
    """The process's lookup service, bound to the running event loop (built on first use)."""
    global _service
    loop = asyncio.get_running_loop()
    if _service is None or _service[0] is not loop:
        # httpx connections belong to one loop; a new loop (tests) gets a new client.
        settings = get_settings()
        client = OneStopClient.from_settings(settings)
        shared = settings.lookup_limiter_redis_url
        _service = (loop, DossierLookup(client, redis_limiter(shared) if shared else None))
    return _service[1]


def reset_lookup_service() -> None:
    """Forget the service (tests change the settings between runs)."""
    global _service
    _service = None


class ActionLookupDossier(Action):
    """Look up the dossier named in the message (or remembered) and answer."""

    def name(self) -> str:
        return "action_lookup_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply about the dossier; remember its code and procedure in slots."""
        reply = await lookup_service().reply(
            sender=tracker.sender_id,
            text=(tracker.latest_message or {}).get("text") or "",
            entity_code=next(tracker.get_latest_entity_values("dossier_code"), None),
            remembered_code=tracker.get_slot("dossier_code"),
        )
        dispatcher.utter_message(text=reply.text)
        events: list[EventType] = []
        if reply.dossier_code:
            dispatcher.utter_message(json_message={"answer_about": reply.answer_about})
            events.append(SlotSet("dossier_code", reply.dossier_code))
        if reply.procedure_code:
            events.append(SlotSet("procedure_code", reply.procedure_code))
        return events
