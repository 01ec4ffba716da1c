"""`DossierLookup`: one citizen message about a dossier → one reply (the action calls it).

Flow (the second factor needs no extra dialogue state beyond the `dossier_code` slot):

1. A sender over the failed-lookup limit gets the limit message; nothing is looked up.
2. The code comes from the `dossier_code` entity, else from the message text. With no
   code in the message but 4 digits offered as a second factor ("4 số cuối CCCD 1234"),
   the remembered code (slot `dossier_code`, set by the previous lookup) is used.
3. No code: a near miss gets the format and an example; otherwise the assistant asks for
   the code.
4. Unknown code: format and example; counts as a failure for the sender.
5. Found: the basic reply (procedure, status, next step, dates, masked name). With the
   right 4 digits, also history and fees; wrong digits count as a failure for the
   sender and for the dossier (so rotating senders cannot brute-force one dossier).
6. The system failing or hanging: an apology, within `deadline` seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.metrics import count_lookup, count_second_factor
from dossier_lookup.privacy import find_second_factor, second_factor_matches
from dossier_lookup.replies import (
    render_ask_for_code,
    render_dossier,
    render_invalid_code,
    render_not_found,
    render_rate_limited,
    render_second_factor_mismatch,
    render_unavailable,
)
from status_client.codes import InvalidDossierCode, canonicalize, find_dossier_code
from status_client.codes import looks_like_code_but_invalid as near_miss
from status_client.exceptions import DossierNotFound, OneStopError
from status_client.models import VIETNAM_TZ, Dossier

__all__ = ["DossierLookup", "DossierSource", "LookupReply"]

logger = logging.getLogger(__name__)


class DossierSource(Protocol):
    """What the lookup needs from the client (`OneStopClient` provides it)."""

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        """The dossier, or DossierNotFound / OneStopError."""
        ...


@dataclass(frozen=True, slots=True)
class LookupReply:
    """The text to send and what it was about (for the `answer_about` message)."""

    text: str
    dossier_code: str | None = None
    dossier_status: str | None = None
    procedure_code: str | None = None
    verified: bool = False
    asked_for_code: bool = False  # no code in the message: the reply asks for one

    @property
    def answer_about(self) -> dict[str, str]:
        """`{"dossier_code", "dossier_status", "procedure_code"}`, keys only when known."""
        about = {
            "dossier_code": self.dossier_code,
            "dossier_status": self.dossier_status,
            "procedure_code": self.procedure_code,
        }
        return {key: value for key, value in about.items() if value is not None}


def _vietnam_now() -> datetime:
    return datetime.now(VIETNAM_TZ)


class DossierLookup:
    """Answers dossier questions; one per process (holds the limiter's state)."""

    def __init__(
        self,
        source: DossierSource,
        limiter: FailedLookupLimiter | None = None,
        *,
        deadline: float = 2.5,
        now: Callable[[], datetime] = _vietnam_now,
    ) -> None:
        self.source = source
        self.limiter = limiter or FailedLookupLimiter()
        self.deadline = deadline
        self._now = now

    async def reply(
        self,
        *,
        sender: str,
        text: str,
        entity_code: str | None = None,
        remembered_code: str | None = None,
    ) -> LookupReply:
        """The reply to `text` from `sender`."""
        sender_key = f"sender:{sender}"
        minutes = round(self.limiter.window / 60)
        if await self.limiter.blocked(sender_key):
            count_lookup("limited")
            return LookupReply(render_rate_limited(minutes))
        code = _code_from(entity_code) or find_dossier_code(text)
        digits = find_second_factor(text)
        if code is None and digits is not None and remembered_code:
            code = _code_from(remembered_code)
        if code is None:
            if near_miss(text) or (entity_code and near_miss(entity_code)):
                count_lookup("invalid")
                return LookupReply(render_invalid_code())
            count_lookup("no_code")
            return LookupReply(render_ask_for_code(), asked_for_code=True)
        try:
            async with asyncio.timeout(self.deadline):
                dossier = await self.source.get_dossier(code)
        except DossierNotFound:
            blocked = await self.limiter.record_failure(sender_key)
            count_lookup("not_found")
            message = render_not_found(code)
            return LookupReply(message + ("\n" + render_rate_limited(minutes) if blocked else ""))
        except (OneStopError, TimeoutError) as error:
            logger.warning("dossier lookup failed: %s", error)
            count_lookup("unavailable")
            return LookupReply(render_unavailable(), dossier_code=code)
        return await self._found(dossier, sender_key, digits)

    async def _found(self, dossier: Dossier, sender_key: str, digits: str | None) -> LookupReply:
        count_lookup("found")
        dossier_key = f"dossier:{dossier.code}"
        verified = False
        prefix = ""
        if digits is not None:
            if await self.limiter.blocked(dossier_key):
                count_second_factor("limited")
                prefix = render_rate_limited(round(self.limiter.window / 60)) + "\n"
            elif second_factor_matches(dossier, digits):
                count_second_factor("verified")
                verified = True
            else:
                count_second_factor("mismatch")
                await self.limiter.record_failure(sender_key, dossier_key)
                prefix = render_second_factor_mismatch() + "\n"
        text = prefix + render_dossier(dossier, now=self._now(), verified=verified)
        return LookupReply(
            text,
            dossier_code=dossier.code,
            dossier_status=dossier.status.value,
            procedure_code=dossier.procedure_code,
            verified=verified,
        )


def _code_from(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return canonicalize(value)
    except InvalidDossierCode:
        return find_dossier_code(value)
