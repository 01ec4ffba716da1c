"""What the subscription actions share: the codes in a message, one transaction, an apology.

`actions.subscriptions` holds the three actions; these are the steps they have in common.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.services import services
from actions.subscription_texts import UNAVAILABLE
from notifier.exceptions import NotifierUnavailable, SubscriptionError
from status_client.codes import find_dossier_code, strip_dossier_codes
from status_client.models import Dossier

__all__ = ["about", "apologising", "dossier_code_of", "in_transaction", "one_time_code_in"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")


def one_time_code_in(text: str) -> str | None:
    """The 6-digit one-time code in a message ("482913", "mã là 482 913"), else None."""
    rest = strip_dossier_codes(text)
    found = _SIX_DIGITS.findall(rest)
    if len(found) == 1:
        return str(found[0])
    digits = re.sub(r"\D", "", rest)
    return digits if not found and len(digits) == 6 else None


def dossier_code_of(tracker: Tracker, *, remembered: bool) -> str | None:
    candidates = [next(tracker.get_latest_entity_values("dossier_code"), None)]
    candidates.append((tracker.latest_message or {}).get("text"))
    if remembered:
        candidates.append(tracker.get_slot("dossier_code"))
    for candidate in candidates:
        code = find_dossier_code(candidate) if candidate else None
        if code:
            return code
    return None


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, committed even when it raises a SubscriptionError
    (a wrong, late or locked code is recorded: attempts count down)."""
    with services().notifier_session() as session:
        try:
            result = work(session)
        except SubscriptionError:
            session.commit()
            raise
        session.commit()
        return result


_Run = Callable[[Any, CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[list[EventType]]]


def apologising(run: _Run) -> _Run:
    """`run`, but a database that cannot be reached gets an apology, not silence."""

    @functools.wraps(run)
    async def guarded(
        action: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            return await run(action, dispatcher, tracker, domain)
        except NotifierUnavailable:
            log.exception("subscriptions unavailable in %s", action.name())
            dispatcher.utter_message(text=UNAVAILABLE)
            return []

    return guarded


def about(dossier_code: str, dossier: Dossier | None = None) -> dict[str, Any]:
    about = {"dossier_code": dossier_code}
    if dossier is not None:
        about |= {"dossier_status": dossier.status.value, "procedure_code": dossier.procedure_code}
    return {"answer_about": about}
