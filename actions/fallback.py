"""`action_default_fallback`: a helpful answer when the message was not understood. Thin."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import button
from actions.services import services
from catalog.answers import FALLBACK_TEXT
from catalog.errors import CatalogUnavailable

__all__ = ["ActionDefaultFallback", "fallback_buttons"]

log = logging.getLogger(__name__)

MAX_BUTTONS = 5
FALLBACK_INTENT = "ask_documents"


def fallback_buttons(text: str) -> list[dict[str, str]]:
    """Procedures the message may be about (weak matches first), then popular ones."""
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
    resolution = view.resolver.resolve(text)
    guessed = [(candidate.code, candidate.name) for candidate in resolution.candidates]
    offered = list(dict.fromkeys([*guessed, *view.popular]))[:MAX_BUTTONS]
    return [button(name, FALLBACK_INTENT, code) for code, name in offered]


class ActionDefaultFallback(Action):
    """Say what the assistant can do, with examples and popular procedures as buttons."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with a rephrase hint, examples and buttons; change no slot."""
        text = (tracker.latest_message or {}).get("text") or ""
        try:
            buttons = await asyncio.to_thread(fallback_buttons, text)
        except CatalogUnavailable:
            # The hint still helps without buttons.
            log.exception("catalog unavailable for the fallback's buttons")
            buttons = []
        dispatcher.utter_message(text=FALLBACK_TEXT, buttons=buttons or None)
        return []
