"""FAQ entries in the actions' answers, ranked so that an FAQ never hides a better answer.

The rule (`faq_wins`): a published entry that matches the message (at least
`faq.matcher.MATCH_SCORE`) answers it, unless the message also resolves to a procedure
at least as strongly as the entry matches and the entry is not about that procedure.
So "bộ phận một cửa làm việc mấy giờ" gets the office-hours entry; "đăng ký khai sinh
cần gì" gets the catalog's answer even beside a general entry about filing online; and
an entry a clerk linked to that very procedure ("khai sinh cho con ở nước ngoài về")
answers the message it matches, since it is the clerk's word on that procedure.
A procedure chosen outright (a button, a typed national code) is never second-guessed.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from catalog.successors import current_code
from faq.matcher import FaqMatch
from faq.unanswered import Reason

__all__ = ["LOW_CONFIDENCE", "about_procedure", "confidence_of", "faq_wins", "note_unanswered"]

# An answer given on an intent guessed below this confidence is worth a clerk's look
# (the NLU's own fallback threshold, config.yml, is 0.45).
LOW_CONFIDENCE = 0.6


def faq_wins(match: FaqMatch, procedure_code: str | None, procedure_score: float) -> bool:
    """Whether the FAQ entry `match` answers rather than the procedure resolved.

    `procedure_code` is the procedure the message resolved to (None: none) and
    `procedure_score` how strongly (the resolver's score, 0-1; 0 when the procedure
    came only from the conversation's earlier turns).
    """
    if procedure_code is None:
        return True
    if match.procedure_code and current_code(match.procedure_code) == current_code(procedure_code):
        return True
    return match.score > procedure_score


def note_unanswered(tracker: Tracker, reason: Reason | None) -> None:
    """Keep the latest message as unanswered for `reason` (none: nothing to keep)."""
    if reason is None:
        return
    text = (tracker.latest_message or {}).get("text") or ""
    services().unanswered.note(text=text, sender_id=tracker.sender_id, reason=reason)


def confidence_of(tracker: Tracker) -> float:
    """The NLU's confidence in the latest message's intent (1.0 when not given)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    value = intent.get("confidence")
    return float(value) if isinstance(value, int | float) else 1.0


def about_procedure(dispatcher: CollectingDispatcher, code: str | None) -> list[EventType]:
    """Tell the channel which procedure the answer was about and remember it in the slot
    (for follow-ups such as "thế lệ phí bao nhiêu?"); nothing when it was about none."""
    if code is None:
        return []
    dispatcher.utter_message(json_message={"answer_about": {"procedure_code": code}})
    return [SlotSet("procedure_code", code)]
