"""Questions the assistant could not answer, kept (masked) for clerks to act on.

The action server notes a message that hit the fallback, named a procedure the catalog
does not know, or was answered with low intent confidence. What is kept: the text with
personal data masked (`faq.masking`), the channel (from the sender id's prefix), the
reason and the day (office time zone); never the sender id. Notes go to the database
from a background thread in batches, so a turn never waits for a write; a note that
cannot be written is logged (without its text) and dropped: these are statistics.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Date, Index, Integer, String, insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from db.base import Base
from db.types import StrEnumType
from faq.masking import mask_personal

__all__ = [
    "PREFIXED_CHANNELS",
    "WEBCHAT",
    "Reason",
    "QuestionState",
    "UnansweredLog",
    "UnansweredQuestion",
    "channel_of",
]

log = logging.getLogger(__name__)

# Channel names as the notifier's `ChannelName` spells them; only these channels make
# conversation ids with their name as prefix ("telegram:…"); the web chat's are "web-…".
PREFIXED_CHANNELS = ("telegram", "zalo", "sms")
WEBCHAT = "webchat"
QUEUE_SIZE = 10_000
BATCH = 200


class Reason(StrEnum):
    FALLBACK = "fallback"  # not understood, or out of scope
    UNKNOWN_PROCEDURE = "unknown_procedure"  # asked about a procedure nobody found
    LOW_CONFIDENCE = "low_confidence"  # answered, but the intent was a guess


class QuestionState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    FAQ = "faq"  # turned into an FAQ draft
    VARIANT = "variant"  # added to an FAQ entry's questions
    ALIAS = "alias"  # added as a procedure's local alias


class UnansweredQuestion(Base):
    """One message the assistant could not answer well, masked, without its sender."""

    __tablename__ = "unanswered_question"
    __table_args__ = (Index("ix_unanswered_question_state_day", "state", "day"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    text: Mapped[str] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(16))
    reason: Mapped[Reason] = mapped_column(StrEnumType(Reason, 24))
    day: Mapped[date] = mapped_column(Date)
    state: Mapped[QuestionState] = mapped_column(
        StrEnumType(QuestionState, 16), default=QuestionState.OPEN
    )


def channel_of(sender_id: str) -> str:
    """The channel a conversation id belongs to: telegram, zalo, sms or webchat."""
    prefix, colon, _ = sender_id.partition(":")
    return prefix if colon and prefix in PREFIXED_CHANNELS else WEBCHAT


class UnansweredLog:
    """Takes notes on the caller's thread (masking only); a daemon thread writes them."""

    def __init__(self, sessions: sessionmaker[Session], timezone: str = "Asia/Ho_Chi_Minh"):
        self._sessions = sessions
        self._zone = ZoneInfo(timezone)
        self._queue: queue.Queue[dict[str, object]] = queue.Queue(QUEUE_SIZE)
        self._writer: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def note(self, *, text: str, sender_id: str, reason: Reason) -> None:
        """Keep `text` (masked) as unanswered for `reason`; never blocks, never raises."""
        masked = mask_personal(text)
        if not masked or masked.startswith("/"):
            return  # nothing typed, or a button's payload
        row = {
            "text": masked,
            "channel": channel_of(sender_id),
            "reason": reason,
            "day": datetime.now(self._zone).date(),
            "state": QuestionState.OPEN,
        }
        self._ensure_writer()
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            log.warning("unanswered-question queue full: one note dropped")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every note taken so far is written (or dropped); False on timeout."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def _ensure_writer(self) -> None:
        with self._start_lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(
                    target=self._write_forever, name="unanswered-writer", daemon=True
                )
                self._writer.start()
                atexit.register(self.flush, 2.0)

    def _write_forever(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with self._sessions.begin() as session:
                    session.execute(insert(UnansweredQuestion), batch)
            except Exception:  # noqa: BLE001 - statistics: log and go on
                log.exception("could not keep %d unanswered question(s)", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()
