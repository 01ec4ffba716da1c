"""The watcher: turns the one-stop changes feed into outbox rows, exactly once.

For each page of transitions it decides who is told (the phone on file unless opted
out, every chat conversation subscribed to the dossier, and once per returned dossier
the satisfaction question), then writes those outbox rows *and* the new cursor in one
transaction. A crash before the commit leaves the cursor where it was and the page is
read again; a crash after it loses nothing. The cursor row is locked for the
transaction, so a second watcher by mistake cannot write the same page twice (and the
outbox's unique idempotency keys would refuse it anyway).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.dialects import insert_ignoring_conflicts
from notifier.clock import Clock, SystemClock
from notifier.config import NotifierConfig
from notifier.exceptions import FeedError
from notifier.feed import ChangeFeed, FeedPage, Transition
from notifier.models import (
    ChannelName,
    MessagePurpose,
    NotifierCursor,
    OptOut,
    Subscription,
    SurveyRequest,
)
from notifier.outbox import NewMessage, enqueue
from notifier.phones import normalize_phone
from notifier.templates import survey_question
from status_client.models import DossierStatus
from wording.status import chat_status_message, sms_status_message

__all__ = ["Watcher", "plan_messages"]

log = logging.getLogger("notifier.watcher")

# Rows written between two ANALYZEs of the outbox on PostgreSQL (see Watcher._analyze).
ANALYZE_AFTER_ROWS = 2000


def _status_messages(
    transition: Transition,
    phone: str | None,
    chats: list[tuple[ChannelName, str]],
    config: NotifierConfig,
) -> list[NewMessage]:
    urgent = transition.status in config.urgent_statuses

    def message(channel: ChannelName, address: str, body: str) -> NewMessage:
        key = f"change:{transition.change_id}:{channel}:{address}"
        return NewMessage(
            channel,
            address,
            body,
            key,
            dossier_code=transition.dossier_code,
            dossier_status=transition.status,
            urgent=urgent,
        )

    code, status, due = transition.dossier_code, transition.status, transition.due_at
    messages = []
    if phone:
        sms = sms_status_message(code, status, due, diacritics=config.sms_diacritics)
        messages.append(message(ChannelName.SMS, phone, sms))
    if chats:
        # The same text for every chat conversation that follows the dossier.
        chat = chat_status_message(code, status, due, procedure_name=transition.procedure_name)
        messages += [message(channel, address, chat) for channel, address in chats]
    return messages


def _subscribers(session: Session, codes: set[str]) -> dict[str, list[tuple[ChannelName, str]]]:
    """The chat conversations following each of `codes`, oldest subscription first."""
    chats: dict[str, list[tuple[ChannelName, str]]] = defaultdict(list)
    for sub in session.scalars(
        select(Subscription)
        .where(Subscription.dossier_code.in_(codes), Subscription.active)
        .order_by(Subscription.id)
    ):
        chats[sub.dossier_code].append((sub.channel, sub.address))
    return chats


def plan_messages(
    session: Session, transitions: list[Transition], *, config: NotifierConfig
) -> tuple[list[NewMessage], list[tuple[str, str, str]]]:
    """The outbox rows for `transitions`, and the surveys to open (code, channel, address)."""
    phones = {t.change_id: normalize_phone(t.phone) if t.phone else None for t in transitions}
    opted_out = set(
        session.scalars(
            select(OptOut.phone).where(
                OptOut.phone.in_({p for p in phones.values() if p}), OptOut.opted_out
            )
        )
    )
    chats = _subscribers(session, {t.dossier_code for t in transitions})
    done_codes = {t.dossier_code for t in transitions if t.status is DossierStatus.DONE}
    surveyed = set(
        session.scalars(
            select(SurveyRequest.dossier_code).where(SurveyRequest.dossier_code.in_(done_codes))
        )
    )
    messages: list[NewMessage] = []
    surveys: list[tuple[str, str, str]] = []
    for transition in transitions:
        phone = phones[transition.change_id]
        if phone in opted_out:
            phone = None
        chat_list = chats.get(transition.dossier_code, [])
        messages += _status_messages(transition, phone, chat_list, config)
        code = transition.dossier_code
        if (
            transition.status is not DossierStatus.DONE
            or not config.survey_enabled
            or code in surveyed
        ):
            continue
        # Ask in the chat they used when there is one, else by SMS.
        target = chat_list[0] if chat_list else (ChannelName.SMS, phone) if phone else None
        if target is None:
            continue
        channel, address = target
        sms = channel == ChannelName.SMS
        body = survey_question(code, sms=sms, diacritics=config.sms_diacritics)
        messages.append(
            NewMessage(
                channel,
                address,
                body,
                f"survey:{code}",
                purpose=MessagePurpose.SURVEY,
                dossier_code=code,
            )
        )
        surveys.append((code, channel, address))
        surveyed.add(code)
    return messages, surveys


class Watcher:
    """Reads the feed from the persisted cursor and fills the outbox."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        feed: ChangeFeed,
        *,
        config: NotifierConfig,
        clock: Clock | None = None,
        name: str = "onestop",
    ) -> None:
        self._sessions = sessions
        self._feed = feed
        self._config = config
        self._clock = clock or SystemClock()
        self.name = name
        self._written_since_analyze = 0

    def cursor(self) -> str | None:
        """Where the watcher will read from next (None: from the start)."""
        with self._sessions() as session:
            return session.scalar(
                select(NotifierCursor.position).where(NotifierCursor.name == self.name)
            )

    def _commit(self, since: str | None, page: FeedPage) -> bool:
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            dialect = session.get_bind().dialect
            session.execute(
                insert_ignoring_conflicts(NotifierCursor, dialect, conflict=["name"]).values(
                    name=self.name, position=since or "0", updated_at=now
                )
            )
            cursor = session.execute(
                select(NotifierCursor).where(NotifierCursor.name == self.name).with_for_update()
            ).scalar_one()
            if cursor.position != (since or "0"):
                log.warning(
                    "cursor moved from %s to %s under us; another watcher is running",
                    since,
                    cursor.position,
                )
                return False
            messages, surveys = plan_messages(session, page.transitions, config=self._config)
            enqueue(session, messages, now=now)
            for code, channel, address in surveys:
                session.add(
                    SurveyRequest(dossier_code=code, channel=channel, address=address, asked_at=now)
                )
            cursor.position = page.next_cursor
            cursor.updated_at = now
        self._written_since_analyze += len(messages)
        if self._written_since_analyze >= ANALYZE_AFTER_ROWS:
            self._analyze()
        return True

    def _analyze(self) -> None:
        """Refresh PostgreSQL's statistics of the outbox after a burst of new rows.

        The senders' claim query (oldest due rows whose recipient has no earlier open
        row) is planned from these statistics. Planned on those of a nearly empty table,
        a burst of 10,000 rows (a backlog, the morning after quiet hours) made each claim
        a nested loop over every open row: 3.7 s a claim instead of 9 ms, until
        autovacuum analyzed the table a minute or more later. Takes milliseconds.
        """
        self._written_since_analyze = 0
        with self._sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("ANALYZE notifier_outbox"))

    async def run_once(self) -> int:
        """Read one page and commit it; return how many transitions it held."""
        since = await asyncio.to_thread(self.cursor)
        page = await self._feed.read(since, self._config.feed_page_size)
        if not page.transitions and page.next_cursor == (since or "0"):
            return 0
        committed = await asyncio.to_thread(self._commit, since, page)
        return len(page.transitions) if committed else 0

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; feed outages are logged and retried with backoff."""
        backoff = self._config.poll_seconds
        while not stop.is_set():
            try:
                count = await self.run_once()
                backoff = self._config.poll_seconds
            except FeedError as error:
                log.warning("%s; retrying in %.1f s", error, backoff)
                count = 0
                backoff = min(30.0, backoff * 2)
            except SQLAlchemyError as error:
                log.warning("database unavailable: %s; retrying in %.1f s", error, backoff)
                count = 0
                backoff = min(30.0, backoff * 2)
            if count == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)
