"""`action_default_fallback`: a helpful answer when the message was not understood. Thin.

A published FAQ entry that matches the message answers it (unless the message names a
procedure more strongly: `actions.faq_answers.faq_wins`); else a message that names one
procedure outright (the resolver is sure, though the NLU took it for out of scope or was
unsure of the intent: "chấm dứt giám hộ cần nộp những gì") is answered about it, the
aspect read from its words; otherwise the reply is a rephrase hint with procedure
buttons, and the message is kept, masked, as unanswered.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import button
from actions.faq_answers import about_procedure, faq_wins, note_unanswered
from actions.procedures import ProcedureReply, answer_procedure
from actions.services import services
from catalog.answers import CATALOG_UNAVAILABLE_TEXT, FALLBACK_TEXT, intent_for_words
from catalog.errors import CatalogUnavailable
from faq.matcher import FaqMatch
from faq.unanswered import Reason

__all__ = ["ActionDefaultFallback", "FallbackReply", "fallback_reply"]

log = logging.getLogger(__name__)

MAX_BUTTONS = 5
FALLBACK_INTENT = "ask_documents"


@dataclass(frozen=True)
class FallbackReply:
    """An FAQ entry's answer, or the procedures the message may be about as buttons."""

    faq: FaqMatch | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    procedure_code: str | None = None  # the procedure the message names outright


def fallback_reply(text: str) -> FallbackReply:
    """The FAQ entry that answers `text`, else procedures it may be about (weak matches
    first), then popular ones."""
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
        faq = shared.faq.match(session, text)
    resolution = view.resolver.resolve(text)
    best = resolution.best
    code, score = (best.code, best.score) if best else (None, 0.0)
    if faq is not None and faq_wins(faq, code, score):
        return FallbackReply(faq=faq)
    if code is not None:
        return FallbackReply(procedure_code=code)
    guessed = [(candidate.code, candidate.name) for candidate in resolution.candidates]
    offered = list(dict.fromkeys([*guessed, *view.popular]))[:MAX_BUTTONS]
    return FallbackReply(buttons=[button(name, FALLBACK_INTENT, code) for code, name in offered])


class ActionDefaultFallback(Action):
    """Say what the assistant can do, with examples and popular procedures as buttons."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with an FAQ entry's answer, else the procedure the message names, else a
        rephrase hint, examples and buttons."""
        text = (tracker.latest_message or {}).get("text") or ""
        try:
            reply = await asyncio.to_thread(fallback_reply, text)
        except CatalogUnavailable:
            # The hint still helps without buttons.
            log.exception("catalog unavailable for the fallback's buttons")
            reply = FallbackReply()
        if reply.procedure_code is not None:
            return await _answer_named(dispatcher, tracker, text)
        if reply.faq is None:
            dispatcher.utter_message(text=FALLBACK_TEXT, buttons=reply.buttons or None)
            note_unanswered(tracker, Reason.FALLBACK)
            return []
        dispatcher.utter_message(text=reply.faq.answer)
        return about_procedure(dispatcher, reply.faq.procedure_code)


async def _answer_named(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType]:
    """Answer the procedure `text` names as `action_answer_procedure` would, the question's
    aspect read from its words (no follow-up context: the NLU did not see a question)."""
    try:
        reply = await asyncio.to_thread(
            answer_procedure, intent=intent_for_words(text), text=text, entities=[], slot_code=None
        )
    except CatalogUnavailable:
        log.exception("catalog unavailable while answering a named procedure")
        reply = ProcedureReply(text=CATALOG_UNAVAILABLE_TEXT)
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    if reply.unknown:
        note_unanswered(tracker, Reason.FALLBACK)
    events = about_procedure(dispatcher, reply.procedure_code)
    if reply.case is not None:
        events.append(SlotSet("procedure_case", f"{reply.procedure_code}:{reply.case}"))
    return events
