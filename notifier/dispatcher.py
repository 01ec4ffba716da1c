"""The sender loop: claim due outbox rows, send each once, record what happened.

Crash safety, step by step (a sender may be SIGKILLed anywhere):

1. *Claim* (one committed transaction): rows become `sending` under this process's lease.
   Killed before the commit: nothing changed. Killed after it: the rows stay `sending`
   until the lease expires, then another sender claims them with `outcome_unknown`.
2. *Reconcile* (only rows with `outcome_unknown`): the previous attempt may have reached
   the provider without its answer being recorded. For Twilio we list the messages sent
   to that number (newest first, and by DateSent since the first attempt) and look for
   the same body under a SID that no outbox row has recorded yet. Order per recipient
   guarantees at most one open row per recipient and body kind (a one-time code may
   overtake status messages; bodies differ), so such a SID can only be this row's
   earlier attempt: it is recorded as sent and nothing is sent again. Found nothing: the
   attempt never got through, and we send. Telegram and Zalo cannot list sent messages;
   there the uncertain attempt is sent again (at-least-once in that narrow case only).
3. *Send* at the provider's configured rate, within the lease (notifier.attempts). 429
   pauses the provider for Retry-After; 5xx and timeouts may have been accepted, so they
   keep `outcome_unknown` for step 2. Permanent errors (21610, 21211, a blocked chat)
   mark the row failed, never retried; 429s and refused credentials are our fault and do
   not count as attempts; a row is given up only by age (`NOTIFY_GIVE_UP_HOURS`).
4. *Record* (one transaction per batch, only for rows still leased to us): sent rows
   get the provider id; retries go back to `pending` with `available_at` pushed back.
   Killed before this commit: step 1's expired lease leads to step 2, which finds the
   accepted messages by their SIDs. A database restart is retried for a while first.

Quiet hours: while the window is on, non-urgent SMS rows are not claimed; they wait in
order and leave when it ends. SMS to numbers that opted out are suppressed at send time
too, in case the opt-out arrived after the row was written.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from notifier.attempts import Attempts
from notifier.clock import Clock, SystemClock
from notifier.config import NotifierConfig
from notifier.metrics import count_outcomes
from notifier.models import ChannelName, OptOut
from notifier.otp_codes import render
from notifier.outbox import ClaimedMessage, claim, known_provider_ids
from notifier.outcomes import Outcome, record
from notifier.ratelimit import RateLimiter
from notifier.senders.base import Sender

__all__ = ["PIPELINE", "Dispatcher"]

log = logging.getLogger("notifier.dispatcher")

# Batches one sender process has claimed and not yet recorded.
PIPELINE = 2
# Longest wait between claims while the database is down (it doubles up to this).
OUTAGE_WAIT_MAX = 5.0


def _log_failure(task: asyncio.Task[None]) -> None:
    """Log a batch that failed unexpectedly; its leases expire and reconciliation follows."""
    if not task.cancelled() and (error := task.exception()) is not None:
        if isinstance(error, SQLAlchemyError):
            log.warning("database unavailable while recording: %s", error)
        else:
            log.error("sender batch failed; continuing", exc_info=error)


class Dispatcher:
    """One sender process's loop over the outbox."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        senders: Mapping[ChannelName, Sender],
        *,
        config: NotifierConfig,
        clock: Clock | None = None,
        owner: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._senders = dict(senders)
        self._config = config
        self._clock = clock or SystemClock()
        self.owner = owner or f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._limiters = {name: RateLimiter(s.rate) for name, s in self._senders.items()}
        self._spacing = {
            name: timedelta(seconds=s.recipient_interval)
            for name, s in self._senders.items()
            if s.recipient_interval > 0
        }
        self._in_flight = asyncio.Semaphore(config.send_concurrency)
        rates = [s.rate for s in self._senders.values() if s.rate > 0]
        # A batch must finish well inside its lease even at the slowest provider's rate.
        slowest = min(rates) if rates else 0.0
        by_rate = (
            int(slowest * config.lease_seconds / 3 / PIPELINE) if slowest else config.batch_size
        )
        self._batch = max(1, min(config.batch_size, by_rate))
        self._otp_secret = config.settings.notify_otp_secret.get_secret_value()
        self._attempts = Attempts(config, self._clock, self._limiters, self._known_async)

    def _claim(self, hold_sms: bool) -> tuple[list[ClaimedMessage], set[str]]:
        """Lease a batch, and read which of its SMS numbers opted out, in one transaction."""
        with self._sessions() as session, session.begin():
            batch = claim(
                session,
                owner=self.owner,
                now=self._clock.now(),
                limit=self._batch,
                lease_seconds=self._config.lease_seconds,
                hold_sms=hold_sms,
            )
            # One-time codes are rendered from their sealed bodies only now (notifier.otp_codes).
            batch = [replace(m, body=render(m.body, self._otp_secret)) for m in batch]
            phones = {m.address for m in batch if m.channel == ChannelName.SMS}
            if not phones:
                return batch, set()
            query = select(OptOut.phone).where(OptOut.phone.in_(phones), OptOut.opted_out)
            return batch, set(session.scalars(query))

    def _known(self, provider_ids: list[str]) -> set[str]:
        with self._sessions() as session:
            return known_provider_ids(session, provider_ids)

    async def _known_async(self, provider_ids: list[str]) -> set[str]:
        return await asyncio.to_thread(self._known, provider_ids)

    def _record(self, outcomes: list[Outcome]) -> None:
        with self._sessions() as session, session.begin():
            lost = record(
                session,
                owner=self.owner,
                outcomes=outcomes,
                now=self._clock.now(),
                spacing=self._spacing,
            )
        if lost:
            log.warning("%d row(s) had been re-leased before their results were recorded", lost)

    async def _handle(self, message: ClaimedMessage, sender: Sender) -> Outcome:
        async with self._in_flight:
            return await self._attempts.handle(message, sender)

    async def run_once(self) -> int:
        """Claim one batch, send it, record it; return how many rows were handled."""
        batch, opted_out = await self._claim_next()
        if batch:
            await self._process(batch, opted_out)
        return len(batch)

    async def _claim_next(self) -> tuple[list[ClaimedMessage], set[str]]:
        hold_sms = self._config.quiet_hours.is_quiet(self._clock.now())
        return await asyncio.to_thread(self._claim, hold_sms)

    async def _process(self, batch: list[ClaimedMessage], opted_out: set[str]) -> None:
        """Send a claimed batch and record its outcomes."""
        outcomes: list[Outcome] = []
        tasks: list[asyncio.Task[Outcome]] = []
        for message in batch:
            sender = self._senders.get(message.channel)
            if message.channel == ChannelName.SMS and message.address in opted_out:
                outcomes.append(Outcome(message.id, "suppressed", error_code="opted-out"))
            elif sender is None:
                log.error(
                    "no sender configured for channel %r (row %d)", message.channel, message.id
                )
                retry = self._attempts.retry(message, None, uncertain=message.outcome_unknown)
                outcomes.append(retry)
            else:
                tasks.append(asyncio.create_task(self._handle(message, sender)))
        outcomes += await asyncio.gather(*tasks)
        count_outcomes(batch, outcomes)
        await self._record_with_retries(outcomes)

    async def _record_with_retries(self, outcomes: list[Outcome]) -> None:
        deadline = self._config.lease_seconds / 2
        delay, waited = 0.2, 0.0
        while True:
            try:
                await asyncio.to_thread(self._record, outcomes)
                return
            except SQLAlchemyError as error:
                if waited >= deadline:
                    # The leases will expire and reconciliation takes over: nothing is lost.
                    log.error("could not record %d outcome(s): %s", len(outcomes), error)
                    raise
                log.warning("recording outcomes failed (%s); retrying", error)
                await asyncio.sleep(delay)
                waited += delay
                delay = min(2.0, delay * 2)

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; the batches in hand are finished and recorded first.

        Up to `PIPELINE` batches are in flight: the next is claimed while the last is
        still sending, so the provider never waits for our database round trips. Order
        per recipient holds regardless, since a row is claimable only once every earlier
        row of its recipient is final.
        """
        in_flight: set[asyncio.Task[None]] = set()
        failed_claims = 0  # in a row: the wait between claims doubles while the database is down
        try:
            while not stop.is_set():
                claimed = False
                wait = self._config.poll_seconds
                if len(in_flight) < PIPELINE:
                    try:
                        batch, opted_out = await self._claim_next()
                        if failed_claims:
                            log.info("database back after %d failed claims", failed_claims)
                            failed_claims = 0
                    except SQLAlchemyError as error:
                        failed_claims += 1
                        wait = self._outage_wait(failed_claims)
                        log.warning("database unavailable: %s; next claim in %.1f s", error, wait)
                        batch, opted_out = [], set()
                    except Exception:
                        # Unforeseen: log it and keep the loop alive; leases make a retry safe.
                        log.exception("claiming failed; continuing")
                        batch, opted_out = [], set()
                    if batch:
                        claimed = True
                        task = asyncio.create_task(self._process(batch, opted_out))
                        task.add_done_callback(_log_failure)
                        in_flight.add(task)
                        task.add_done_callback(in_flight.discard)
                if claimed:
                    continue
                # Nothing to claim, or the pipeline is full: wait for a batch or a poll.
                waiters: set[asyncio.Future[Any]] = {asyncio.ensure_future(stop.wait())}
                await asyncio.wait(
                    waiters | in_flight,
                    timeout=wait,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for waiter in waiters:
                    waiter.cancel()
        finally:
            if in_flight:
                await asyncio.wait(in_flight)

    def _outage_wait(self, failed_claims: int) -> float:
        """Seconds before the next claim after `failed_claims` failures in a row."""
        return min(OUTAGE_WAIT_MAX, self._config.poll_seconds * 2 ** min(failed_claims, 8))

    async def aclose(self) -> None:
        """Close every sender's connections."""
        for sender in self._senders.values():
            await sender.aclose()
