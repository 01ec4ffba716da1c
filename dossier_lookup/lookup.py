"""`DossierLookup`: one citizen message about a dossier → one reply (the action calls it).

Flow (the second factor needs no extra dialogue state beyond the `dossier_code` slot):

1. The code comes from the `dossier_code` entity, else from the message text. With no
   code in the message but 4 digits offered as a second factor ("4 số cuối CCCD 1234"),
   the remembered code (slot `dossier_code`, set by the previous lookup) is used.
2. No code: a near miss gets the format and an example; otherwise the assistant asks for
   the code.
3. `fetch()`: a sender over the failed-lookup limit, or a lookup over the quota of its
   client address, its conversation or everyone (`quota`), gets the limit message and
   nothing is looked up. Every other lookup counts against the quotas, found or not.
4. Unknown code: format and example; counts as a failure for the sender.
5. Found: the basic reply (procedure, status, next step, dates; nothing about the
   person). With the right last 4 digits of the ID number, or from a conversation that
   proved it owns the dossier (`owner`: it texts from the phone on file, or confirmed a
   one-time code), also the initials, history and fees. Wrong digits count against the
   dossier, from whoever sends them, with a growing, capped lock-out (`lockout`); the
   owner's ways in are not subject to it.
6. The system failing or hanging: an apology, within `deadline` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.lockout import DossierLockout
from dossier_lookup.metrics import count_lookup, count_second_factor
from dossier_lookup.privacy import find_second_factor, second_factor_matches
from dossier_lookup.quota import LookupQuota, Scope
from dossier_lookup.replies import (
    render_ask_for_code,
    render_dossier,
    render_factor_locked,
    render_invalid_code,
    render_not_found,
    render_overloaded,
    render_quota_exceeded,
    render_rate_limited,
    render_second_factor_mismatch,
    render_unavailable,
)
from status_client.codes import InvalidDossierCode, canonicalize, find_dossier_code
from status_client.codes import looks_like_code_but_invalid as near_miss
from status_client.exceptions import DossierNotFound, OneStopError
from status_client.models import VIETNAM_TZ, Dossier

__all__ = [
    "DossierFetch",
    "DossierLookup",
    "DossierSource",
    "LookupReply",
    "OwnerCheck",
    "Requester",
]

logger = logging.getLogger(__name__)


class DossierSource(Protocol):
    """What the lookup needs from the client (`OneStopClient` provides it)."""

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        """The dossier, or DossierNotFound / OneStopError."""
        ...


OwnerCheck = Callable[[Dossier], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asks: the conversation (Rasa sender id) and the client address the gateway saw
    (absent: the conversation stands for it)."""

    conversation: str
    client: str | None = None

    @property
    def client_key(self) -> str:
        """The address to count lookups against."""
        return self.client or self.conversation


@dataclass(frozen=True, slots=True)
class DossierFetch:
    """A dossier from the one-stop system, or the reply saying why there is none."""

    dossier: Dossier | None
    refusal: str = ""
    unavailable: bool = False  # the system failed (not a limit, not an unknown code)


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
    """Answers dossier questions; one per process (holds the limits' state)."""

    def __init__(
        self,
        source: DossierSource,
        limiter: FailedLookupLimiter | None = None,
        *,
        quota: LookupQuota | None = None,
        lockout: DossierLockout | None = None,
        deadline: float = 2.5,
        now: Callable[[], datetime] = _vietnam_now,
        office_number: str = "",
    ) -> None:
        self.source = source
        self.limiter = limiter or FailedLookupLimiter()
        self.quota = quota or LookupQuota()
        self.lockout = lockout or DossierLockout()
        self.deadline = deadline
        self._now = now
        self.office_number = office_number  # the office's SMS number, told in lock replies

    async def fetch(self, code: str, requester: Requester, *, fresh: bool = False) -> DossierFetch:
        """The dossier `code` for `requester`, within every limit: the one way to a dossier
        (the lookup reply and the subscription flow both come through here)."""
        sender_key = f"sender:{requester.conversation}"
        minutes = round(self.limiter.window / 60)
        if await self.limiter.blocked(sender_key):
            count_lookup("limited")
            return DossierFetch(None, render_rate_limited(minutes))
        refused = await self.quota.admit(
            code, client=requester.client_key, conversation=requester.conversation
        )
        if refused is not None:
            count_lookup("over_quota")
        if refused is Scope.GLOBAL:
            return DossierFetch(None, render_overloaded())
        if refused is not None:
            return DossierFetch(None, render_quota_exceeded(round(self.quota.window / 60)))
        try:
            async with asyncio.timeout(self.deadline):
                dossier = await self.source.get_dossier(code, fresh=fresh)
        except DossierNotFound:
            count_lookup("not_found")
            blocked = await self.limiter.record_failure(sender_key)
            message = render_not_found(code)
            if blocked:
                message += "\n" + render_rate_limited(minutes)
            return DossierFetch(None, message)
        except (OneStopError, TimeoutError) as error:
            logger.warning("dossier lookup failed: %s", error)
            count_lookup("unavailable")
            return DossierFetch(None, render_unavailable(), unavailable=True)
        count_lookup("found")
        return DossierFetch(dossier)

    async def reply(
        self,
        *,
        sender: str,
        text: str,
        entity_code: str | None = None,
        remembered_code: str | None = None,
        client: str | None = None,
        owner: OwnerCheck | None = None,
    ) -> LookupReply:
        """The reply to `text` from conversation `sender` at `client` (an address).

        `owner`, when given, says whether the conversation has proven it owns a dossier
        (a confirmed one-time code): then the details need no digits.
        """
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
        requester = Requester(sender, client)
        fetched = await self.fetch(code, requester)
        if fetched.dossier is None:
            return LookupReply(fetched.refusal, dossier_code=code if fetched.unavailable else None)
        dossier = fetched.dossier
        if owner is not None and await owner(dossier):
            verified, prefix = True, ""
        elif digits is not None:
            verified, prefix = await self._check_factor(dossier, requester, digits)
        else:
            verified, prefix = False, ""
        text = prefix + render_dossier(dossier, now=self._now(), verified=verified)
        return LookupReply(
            text,
            dossier_code=dossier.code,
            dossier_status=dossier.status.value,
            procedure_code=dossier.procedure_code,
            verified=verified,
        )

    async def _check_factor(
        self, dossier: Dossier, requester: Requester, digits: str
    ) -> tuple[bool, str]:
        """(verified, what to say first) for the digits offered as a second factor."""
        locked = await self.lockout.locked_for(dossier.code)
        if locked:
            count_second_factor("limited")
            return False, self._locked(dossier.code, locked)
        if second_factor_matches(dossier, digits):
            count_second_factor("verified")
            await self.lockout.clear(dossier.code)
            return True, ""
        count_second_factor("mismatch")
        await self.limiter.record_failure(f"sender:{requester.conversation}")
        prefix = render_second_factor_mismatch() + "\n"
        locked = await self.lockout.record_failure(dossier.code)
        if locked:
            prefix += self._locked(dossier.code, locked)
        return False, prefix

    def _locked(self, code: str, seconds: float) -> str:
        return render_factor_locked(code, _minutes(seconds), self.office_number) + "\n"


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def _code_from(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return canonicalize(value)
    except InvalidDossierCode:
        return find_dossier_code(value)
