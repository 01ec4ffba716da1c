"""`action_answer_procedure`: answer what a procedure needs, costs, takes... Thin.

Which procedure: the `procedure_code` entity (buttons), else the `procedure` entity and
the message text (fuzzy, `catalog.resolve`), else the `procedure_code` slot (follow-ups
such as "thế lệ phí bao nhiêu?"). Which aspect: the latest intent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import CatalogView, button
from actions.services import services
from catalog.answers import (
    ASK_WHICH_TEXT,
    ASPECT_INTENTS,
    CATALOG_UNAVAILABLE_TEXT,
    UNKNOWN_PROCEDURE_TEXT,
    Aspect,
    aspect_for_intent,
    render_answer,
)
from catalog.errors import CatalogUnavailable
from catalog.queries import find_procedure

__all__ = [
    "ActionAnswerProcedure",
    "ProcedureReply",
    "answer_procedure",
    "processing_time_of_named",
]

log = logging.getLogger(__name__)

DEFAULT_INTENT = "ask_documents"
MAX_BUTTONS = 5


@dataclass(frozen=True)
class ProcedureReply:
    """What the action says: text, buttons, and the procedure it is about (if one)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    procedure_code: str | None = None


def _entity_values(entities: Iterable[Mapping[str, Any]], name: str) -> list[str]:
    return [
        str(entity["value"])
        for entity in entities
        if entity.get("entity") == name and entity.get("value")
    ]


@dataclass(frozen=True)
class _Choice:
    code: str | None = None
    offered: tuple[tuple[str, str], ...] = ()  # (code, name) to offer as buttons
    ambiguous: bool = False


def _choose(
    view: CatalogView,
    *,
    text: str,
    entities: list[Mapping[str, Any]],
    slot_code: str | None,
) -> _Choice:
    """The procedure meant, or what to offer when that is unclear."""
    resolver = view.resolver
    for code in _entity_values(entities, "procedure_code"):
        if code in resolver.codes:
            return _Choice(code)
    mentions = _entity_values(entities, "procedure")
    resolution = resolver.resolve(text, mention=mentions[0] if mentions else None)
    if resolution.best is not None:
        return _Choice(resolution.best.code)
    offered = tuple((candidate.code, candidate.name) for candidate in resolution.candidates)
    known_slot = slot_code if slot_code in resolver.codes else None
    if resolution.ambiguous:
        # Ambiguous on its own, but one of the candidates is the remembered procedure.
        if known_slot in {code for code, _ in offered}:
            return _Choice(known_slot)
        return _Choice(offered=offered, ambiguous=True)
    if known_slot is not None:
        return _Choice(known_slot)
    return _Choice(offered=offered)


def _rendered(session: Session, view: CatalogView, code: str, aspect: Aspect) -> str | None:
    """The answer about `aspect` of `code`, rendered once per catalog version."""
    answer = view.answers.get((code, aspect))
    if answer is None:
        procedure = find_procedure(session, code=code)
        if procedure is not None:
            answer = view.answers[(code, aspect)] = render_answer(procedure, aspect)
    return answer


def processing_time_of_named(text: str, entities: list[Mapping[str, Any]]) -> ProcedureReply | None:
    """The processing time of the procedure `text` names outright (no slot, no guess).

    For "hồ sơ khai sinh nộp thứ hai xong chưa" without a dossier code: while the citizen
    looks for the code, the usual processing time already answers half the question.
    """
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
        choice = _choose(view, text=text, entities=entities, slot_code=None)
        if choice.code is None:
            return None
        answer = _rendered(session, view, choice.code, Aspect.TIME)
    return ProcedureReply(text=answer, procedure_code=choice.code) if answer else None


def answer_procedure(
    *,
    intent: str | None,
    text: str,
    entities: list[Mapping[str, Any]],
    slot_code: str | None,
) -> ProcedureReply:
    """Resolve the procedure and render the answer for the intent's aspect."""
    intent = intent if intent in ASPECT_INTENTS else DEFAULT_INTENT
    aspect = aspect_for_intent(intent)
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
        choice = _choose(view, text=text, entities=entities, slot_code=slot_code)
        if choice.code is not None:
            answer = _rendered(session, view, choice.code, aspect)
            if answer is not None:
                return ProcedureReply(text=answer, procedure_code=choice.code)
    if choice.ambiguous:
        buttons = [button(name, intent, code) for code, name in choice.offered]
        return ProcedureReply(text=ASK_WHICH_TEXT, buttons=buttons[:MAX_BUTTONS])
    suggestions = list(dict.fromkeys([*choice.offered, *view.popular]))[:MAX_BUTTONS]
    return ProcedureReply(
        text=UNKNOWN_PROCEDURE_TEXT,
        buttons=[button(name, intent, code) for code, name in suggestions],
    )


class ActionAnswerProcedure(Action):
    """Answer an ask_* question about a procedure, or ask which procedure is meant."""

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply, tell the channel which procedure it was about, remember it in a slot."""
        latest = tracker.latest_message or {}
        try:
            reply = await asyncio.to_thread(
                answer_procedure,
                intent=(latest.get("intent") or {}).get("name"),
                text=latest.get("text") or "",
                entities=list(latest.get("entities") or []),
                slot_code=tracker.get_slot("procedure_code"),
            )
        except CatalogUnavailable:
            log.exception("catalog unavailable while answering a question")  # no text: personal
            reply = ProcedureReply(text=CATALOG_UNAVAILABLE_TEXT)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
        if reply.procedure_code is None:
            return []
        dispatcher.utter_message(
            json_message={"answer_about": {"procedure_code": reply.procedure_code}}
        )
        return [SlotSet("procedure_code", reply.procedure_code)]
