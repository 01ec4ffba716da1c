"""Inbound SMS, answered without Rasa where possible (the SMS degraded path).

Order of interpretation for one text: a keyword (STOP/HUY/TU CHOI, START/DK, HELP/TRO
GIUP) → a survey answer 1–5 when a question is open for the number → a dossier code (its
status, looked up with `status_client`, in at most two segments) → anything else goes to
the conversation (`converse`, the gateway's path to Rasa, which apologises on its own
when Rasa is down).

Each MessageSid is handled once: the first request inserts it into `notifier_inbound_sms`
(in the same transaction as a keyword's or a survey answer's effect) and stores the
reply; a replay gets the stored reply back and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Protocol

import psycopg
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from bot.channels.sms.inbound_log import (
    CLAIM_COLUMNS,
    InboundLog,
    claim_statement,
    reconnecting,
)
from bot.channels.sms.keywords import (
    HELP_REPLY,
    OPT_IN_REPLY,
    OPT_OUT_REPLY,
    Keyword,
    parse_keyword,
)
from db import make_async_session_factory
from dossier_lookup.owner import is_phone_on_file, sms_owner_details
from dossier_lookup.quota import LookupQuota, Scope
from notifier.clock import Clock
from notifier.exceptions import NotifierUnavailable
from notifier.gsm7 import truncate_to_segments
from notifier.models import ChannelName, InboundSms
from notifier.optouts import set_consent
from notifier.phones import normalize_phone
from notifier.survey import parse_rating, record_answer
from notifier.templates import survey_thanks
from status_client.codes import EXAMPLE_CODE, find_dossier_code, looks_like_code_but_invalid
from status_client.exceptions import DossierNotFound, OneStopError
from status_client.models import Dossier
from vntext import fold
from wording.status import format_due, sms_lookup_text

__all__ = ["DossierSource", "InboundSmsHandler", "sms_dossier_reply"]

Converse = Callable[[str, str], Awaitable[str]]

NOT_FOUND_REPLY = "Khong tim thay ho so {code}. Vui long kiem tra lai ma tren giay hen."
INVALID_CODE_REPLY = f"Ma ho so chua dung. Ma co dang {EXAMPLE_CODE}. Vui long kiem tra lai."
UNAVAILABLE_REPLY = "He thong tra cuu dang ban, vui long thu lai sau it phut."
QUOTA_REPLY = (
    "Ban da tra cuu nhieu ho so khac nhau trong thoi gian ngan. De bao ve thong tin cua "
    "nguoi dan, vui long thu lai sau {minutes} phut."
)


class DossierSource(Protocol):
    """What the SMS path needs from the one-stop client."""

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        """The dossier, or DossierNotFound / OneStopError."""
        ...


def sms_dossier_reply(
    dossier: Dossier, *, now: datetime, diacritics: bool = False, owner: bool = False
) -> str:
    """A dossier's status as an SMS of at most two segments; to its `owner` (texting from
    the phone on file) also what to add or pay and the latest step, in at most three."""
    text = sms_lookup_text(
        dossier.code,
        dossier.procedure_name,
        dossier.status,
        format_due(dossier.due_at),
        overdue=dossier.is_overdue(now),
        diacritics=diacritics,
    )
    details = sms_owner_details(dossier) if owner else ""
    if not details:
        return _two_segments(text)
    details = details if diacritics else fold(details, lower=False)
    return truncate_to_segments(f"{_two_segments(text)} {details}", 3)


@lru_cache(maxsize=4096)
def _two_segments(text: str) -> str:
    # Cached (as is the text): the webhook answers the same few popular codes over and
    # over, and folding and segment counting were a tenth of its time.
    return truncate_to_segments(text, 2)


@dataclass
class InboundSmsHandler:
    """Answers inbound texts; one instance per gateway process.

    Its database work runs on an asyncio engine (`db.make_async_engine`): the
    webhook's few statements are cheap, and under 50 concurrent senders a thread hop per
    statement cost several times what the statements did. The ORM helpers shared with
    the rest of the notifier (opt-outs, survey answers) run unchanged through `run_sync`.
    """

    engine: AsyncEngine
    claims: InboundLog
    dossiers: DossierSource
    clock: Clock
    diacritics: bool = False
    # Distinct dossiers per From number (its client and conversation quotas), shared with
    # the chat's lookups when both use one Redis (`dossier_lookup.build.quota_from_settings`).
    quota: LookupQuota = field(default_factory=LookupQuota)

    def __post_init__(self) -> None:
        self._sessions = make_async_session_factory(self.engine)
        self._claim_statement = claim_statement(self.engine.dialect.name)

    def _claim(
        self, session: Session, sid: str, sender: str, body: str, reply: str | None = None
    ) -> bool:
        values = (sid, sender, body, reply, self.clock.now())
        params = dict(zip(CLAIM_COLUMNS, values, strict=True))
        return session.execute(self._claim_statement, params).first() is not None

    async def _stored_reply(self, sid: str) -> str | None:
        async def read() -> str | None:
            async with self._sessions() as session:
                stored: str | None = await session.scalar(
                    select(InboundSms.reply).where(InboundSms.message_sid == sid)
                )
                return stored

        return await reconnecting(read)

    async def _store_reply(self, sid: str, reply: str) -> None:
        async def write() -> None:
            async with self._sessions() as session, session.begin():
                row = await session.get(InboundSms, sid)
                if row is not None:
                    row.reply = reply

        await reconnecting(write)

    def _local_reply(
        self, session: Session, phone: str, body: str, keyword: Keyword | None, now: datetime
    ) -> str | None:
        if keyword is Keyword.OPT_OUT or keyword is Keyword.OPT_IN:
            opted_out = keyword is Keyword.OPT_OUT
            set_consent(session, phone=phone, opted_out=opted_out, keyword=body, now=now)
            return OPT_OUT_REPLY if opted_out else OPT_IN_REPLY
        if keyword is Keyword.HELP or not body.strip():
            return HELP_REPLY
        if parse_rating(body) is not None:
            answer = record_answer(
                session, channel=ChannelName.SMS, address=phone, text=body, now=now
            )
            if answer is not None:
                return survey_thanks(answer.rating, sms=not self.diacritics)
        return None

    def _handle_locally(self, session: Session, sid: str, sender: str, body: str) -> str | None:
        phone = normalize_phone(sender) or sender
        if not self._claim(session, sid, phone, body):
            raise _Replay
        reply = self._local_reply(session, phone, body, parse_keyword(body), self.clock.now())
        if reply is not None:
            session.get_one(InboundSms, sid).reply = reply
        return reply

    async def handle_locally(self, sid: str, sender: str, body: str) -> tuple[bool, str | None]:
        """Claim `sid` and answer keywords and survey answers in one transaction.

        Returns (claimed, reply): claimed False means a replay (reply = the stored one);
        reply None with claimed True means the text needs the slower path.
        """

        async def transaction() -> str | None:
            async with self._sessions() as session, session.begin():
                return await session.run_sync(self._handle_locally, sid, sender, body)

        try:
            reply = await reconnecting(transaction)
        except _Replay:
            return False, await self._stored_reply(sid)
        return True, reply

    async def _dossier_reply(self, code: str, sender: str) -> str:
        who = f"sms:{normalize_phone(sender) or sender}"
        refused = await self.quota.admit(code, client=who, conversation=who)
        if refused is Scope.GLOBAL:
            return UNAVAILABLE_REPLY
        if refused is not None:
            return QUOTA_REPLY.format(minutes=round(self.quota.window / 60))
        try:
            dossier = await self.dossiers.get_dossier(code)
        except DossierNotFound:
            return NOT_FOUND_REPLY.format(code=code)
        except OneStopError:
            return UNAVAILABLE_REPLY
        # From the phone on file: its owner, whatever locks or code caps a stranger caused.
        owner = is_phone_on_file(dossier, who.removeprefix("sms:"))
        return sms_dossier_reply(
            dossier, now=self.clock.now(), diacritics=self.diacritics, owner=owner
        )

    async def _claim_with_reply(self, sid: str, sender: str, body: str, reply: str) -> str | None:
        """Claim `sid` with `reply` in one statement; a replay gets the stored reply."""
        phone = normalize_phone(sender) or sender
        if await self.claims.claim(sid, phone, body, reply, self.clock.now()):
            return reply
        return await self._stored_reply(sid)

    async def answer(self, sid: str, sender: str, body: str, converse: Converse) -> str | None:
        """The reply to one inbound text (None: nothing to say, e.g. a replay in flight).

        Raises NotifierUnavailable when the database cannot be used.
        """
        try:
            return await self._answer(sid, sender, body, converse)
        except (SQLAlchemyError, psycopg.Error) as error:
            raise NotifierUnavailable(f"database unavailable: {type(error).__name__}") from error

    async def _answer(self, sid: str, sender: str, body: str, converse: Converse) -> str | None:
        claimed = False
        if parse_keyword(body) is not None or not body.strip() or parse_rating(body) is not None:
            claimed, reply = await self.handle_locally(sid, sender, body)
            if not claimed or reply is not None:
                return reply
        code = find_dossier_code(body)
        if code is not None or looks_like_code_but_invalid(body):
            # Read-only answers: look up first, then claim and store in one transaction.
            reply = await self._dossier_reply(code, sender) if code else INVALID_CODE_REPLY
            if claimed:
                await self._store_reply(sid, reply)
                return reply
            return await self._claim_with_reply(sid, sender, body, reply)
        if not claimed:
            claimed, stored = await self.handle_locally(sid, sender, body)
            if not claimed:
                return stored
        # The conversation has effects (Rasa's tracker): claimed before, so a replay never
        # reaches Rasa twice.
        phone = normalize_phone(sender) or sender
        reply = await converse(f"sms:{phone}", body)
        if not self.diacritics:
            reply = fold(reply, lower=False)
        reply = truncate_to_segments(reply, 4)
        await self._store_reply(sid, reply)
        return reply


class _Replay(Exception):
    """Raised inside a transaction to roll it back: the MessageSid was handled before."""
