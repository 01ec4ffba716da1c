"""`action_answer_procedure`: answer what a procedure needs, costs, takes... Thin.

Which procedure: the `procedure_code` entity (buttons) or a national code typed in the
message (a replaced code leads to its successor), else the `procedure` entity and the
message text (fuzzy, `catalog.resolve`), else the `procedure_code` slot (follow-ups such
as "thế lệ phí bao nhiêu?"). Which aspect: the latest intent (the legal basis when the
words ask for it). Which situation: the `procedure_case` entity of a case button, else
the `procedure_case` slot ("<code>:<n>") when it is about the same procedure. A published
FAQ entry that matches the message answers instead when it ranks first
(`actions.faq_answers.faq_wins`). A declined or low-confidence question is kept, masked,
for the clerks (`faq.unanswered`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CatalogView, button
from actions.faq_answers import (
    LOW_CONFIDENCE,
    about_procedure,
    confidence_of,
    faq_wins,
    note_unanswered,
)
from actions.services import services
from catalog.answers import (
    ASK_WHICH_TEXT,
    ASPECT_INTENTS,
    CATALOG_UNAVAILABLE_TEXT,
    UNKNOWN_PROCEDURE_TEXT,
    Aspect,
    aspect_for_text,
)
from catalog.answers_service import ProcedureAnswer
from catalog.errors import CatalogUnavailable
from catalog.successors import current_code
from catalog.textnorm import national_codes
from faq.unanswered import Reason

__all__ = [
    "ActionAnswerProcedure",
    "ProcedureReply",
    "answer_procedure",
    "processing_time_of_named",
]

log = logging.getLogger(__name__)

DEFAULT_INTENT = "ask_documents"
MAX_BUTTONS = 5
MAX_CASE_BUTTONS = 8


@dataclass(frozen=True)
class ProcedureReply:
    """What the action says: text, buttons, and the procedure it is about (if one)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    procedure_code: str | None = None
    case: int | None = None  # the situation the answer is about
    faq_id: int | None = None  # the FAQ entry that answered
    unknown: bool = False  # no procedure found: the question was declined


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
    score: float = 1.0  # how strongly the message names `code` (0: from the slot)
    outright: bool = False  # a button or a typed national code chose it


def _choose(
    view: CatalogView,
    *,
    text: str,
    entities: list[Mapping[str, Any]],
    slot_code: str | None,
    known: Callable[[str], bool],
) -> _Choice:
    """The procedure meant, or what to offer when that is unclear.

    `known(code)` says whether the catalog can answer about `code` (or its successor).
    """
    resolver = view.resolver
    for code in [*_entity_values(entities, "procedure_code"), *national_codes(text)]:
        if known(code):
            return _Choice(code, outright=True)
    mentions = _entity_values(entities, "procedure")
    resolution = resolver.resolve(text, mention=mentions[0] if mentions else None)
    if resolution.best is not None:
        return _Choice(resolution.best.code, score=resolution.best.score)
    offered = tuple((candidate.code, candidate.name) for candidate in resolution.candidates)
    known_slot = slot_code if slot_code and known(slot_code) else None
    if resolution.ambiguous:
        # Ambiguous on its own, but one of the candidates is the remembered procedure.
        if known_slot in {code for code, _ in offered}:
            return _Choice(known_slot, score=0.0)
        return _Choice(offered=offered, ambiguous=True, score=0.0)
    # A follow-up ("thế lệ phí bao nhiêu?") names no procedure: the remembered one is
    # meant. A message that names one we cannot find ("đăng ký xe máy ở đâu" after a
    # question about a death registration) is not about the remembered one, unless the
    # resolver itself offers it: answering it would give another procedure's facts.
    if known_slot is not None and (not mentions or known_slot in {code for code, _ in offered}):
        return _Choice(known_slot, score=0.0)
    return _Choice(offered=offered, score=0.0)


def _case_of(entities: list[Mapping[str, Any]], slot_case: str | None, code: str) -> int | None:
    """The situation chosen: a case button's entity, else the remembered one for `code`."""
    for value in _entity_values(entities, "procedure_case"):
        if value.isdigit():
            return int(value)
    remembered_code, _, number = (slot_case or "").partition(":")
    return int(number) if remembered_code == code and number.isdigit() else None


def _reply(answer: ProcedureAnswer, intent: str) -> ProcedureReply:
    buttons = [
        _case_button(case.name, intent, answer.code, case.number)
        for case in answer.cases[:MAX_CASE_BUTTONS]
    ]
    return ProcedureReply(answer.text, buttons, answer.code, answer.case)


def _case_button(title: str, intent: str, code: str, number: int) -> dict[str, str]:
    made = button(title, intent, code)
    payload = json.dumps({"procedure_code": code, "procedure_case": str(number)})
    return {"title": made["title"], "payload": f"/{intent}{payload}"}


def processing_time_of_named(text: str, entities: list[Mapping[str, Any]]) -> ProcedureReply | None:
    """The processing time of the procedure `text` names outright (no slot, no guess).

    For "hồ sơ khai sinh nộp thứ hai xong chưa" without a dossier code: while the citizen
    looks for the code, the usual processing time already answers half the question.
    """
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
        known = shared.answers.knows(session, view.version, view.resolver.codes)
        choice = _choose(view, text=text, entities=entities, slot_code=None, known=known)
        if choice.code is None:
            return None
        answer = shared.answers.answer(session, view.version, choice.code, Aspect.TIME, None)
    return ProcedureReply(text=answer.text, procedure_code=answer.code) if answer else None


def answer_procedure(
    *,
    intent: str | None,
    text: str,
    entities: list[Mapping[str, Any]],
    slot_code: str | None,
    slot_case: str | None = None,
) -> ProcedureReply:
    """Resolve the procedure and render the answer for the intent's aspect."""
    intent = intent if intent in ASPECT_INTENTS else DEFAULT_INTENT
    aspect = aspect_for_text(intent, text)
    shared = services()
    with shared.catalog_session() as session:
        view = shared.catalog_view(session)
        known = shared.answers.knows(session, view.version, view.resolver.codes)
        choice = _choose(view, text=text, entities=entities, slot_code=slot_code, known=known)
        faq = None if choice.outright else shared.faq.match(session, text)
        if faq is not None and faq_wins(faq, choice.code, choice.score):
            return ProcedureReply(
                faq.answer, procedure_code=faq.procedure_code, faq_id=faq.entry_id
            )
        if choice.code is not None:
            case = _case_of(entities, slot_case, current_code(choice.code))
            answer = shared.answers.answer(session, view.version, choice.code, aspect, case)
            if answer is not None:
                return _reply(answer, intent)
    if choice.ambiguous:
        buttons = [button(name, intent, code) for code, name in choice.offered]
        return ProcedureReply(text=ASK_WHICH_TEXT, buttons=buttons[:MAX_BUTTONS])
    suggestions = list(dict.fromkeys([*choice.offered, *view.popular]))[:MAX_BUTTONS]
    return ProcedureReply(
        text=UNKNOWN_PROCEDURE_TEXT,
        buttons=[button(name, intent, code) for code, name in suggestions],
        unknown=True,
    )


def _unanswered_reason(reply: ProcedureReply, confidence: float) -> Reason | None:
    if reply.unknown:
        return Reason.UNKNOWN_PROCEDURE
    if reply.faq_id is None and confidence < LOW_CONFIDENCE:
        return Reason.LOW_CONFIDENCE
    return None


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
                slot_case=tracker.get_slot("procedure_case"),
            )
        except CatalogUnavailable:
            log.exception("catalog unavailable while answering a question")  # no text: personal
            reply = ProcedureReply(text=CATALOG_UNAVAILABLE_TEXT)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
        note_unanswered(tracker, _unanswered_reason(reply, confidence_of(tracker)))
        events = about_procedure(dispatcher, reply.procedure_code)
        if reply.case is not None:
            events.append(SlotSet("procedure_case", f"{reply.procedure_code}:{reply.case}"))
        return events
