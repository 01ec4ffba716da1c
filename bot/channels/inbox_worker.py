"""The worker that answers stored webhook updates (`db.inbox`), one per channel and process.

The webhook stores an update and wakes the worker of its own process (`wake`); updates
stored through another replica are found by polling every `poll_seconds`. Up to
`concurrency` updates are processed at once, in arrival order within one conversation
(a citizen's two quick messages reach Rasa in the order written). The leases of rows
under way are renewed while they last; a row whose processing failed for a passing
reason (the provider unreachable) is given back and tried again later with growing
delays, up to `MAX_ATTEMPTS` times, then marked done and failed (`failed_at`). A
processor can hand back what is left to do (`Retry(payload)`: the replies not yet
sent), so a retry does not ask Rasa again. Finished rows are purged after the retention.

Delivery is at least once: a row is marked done after its reply was sent, so a process
killed between the send and that mark leaves the row to be processed again once its
lease runs out (the citizen then gets that reply twice). Killed any earlier, the reply
is sent once, by whichever process claims the row next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Protocol

from db.inbox import Inbox, StoredUpdate

__all__ = [
    "MAX_ATTEMPTS",
    "InboxWorker",
    "KeyedLocks",
    "Outcome",
    "Retry",
    "UpdateProcessor",
    "process_owner",
    "retry_delay",
]

log = logging.getLogger("bot.inbox")

MAX_ATTEMPTS = 6
LONGEST_RETRY = timedelta(minutes=5)
PURGE_EVERY = timedelta(hours=1)
SHUTDOWN_GRACE_SECONDS = 5.0


def process_owner() -> str:
    """This process's name in leases: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{secrets.token_hex(4)}"


class Outcome(Enum):
    """How processing a stored update ended, for good."""

    DONE = "done"
    FAILED = "failed"  # not to be tried again (recorded with `failed_at`)


@dataclass(frozen=True, slots=True)
class Retry:
    """Try the update again later; from `payload` (what is left to do) when given."""

    payload: str | None = None


class UpdateProcessor(Protocol):
    """What a channel does with its stored updates."""

    def conversation(self, update: StoredUpdate) -> Hashable | None:
        """The conversation whose order the update keeps (None: no order to keep)."""
        ...

    async def process(self, update: StoredUpdate) -> Outcome | Retry:
        """Answer the update (its payload: the update, or what a `Retry` left)."""
        ...


class KeyedLocks:
    """One FIFO lock per key while anyone holds or waits for it (then forgotten)."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable | None) -> AsyncIterator[None]:
        """Run the block after every earlier holder of `key` (at once for None)."""
        if key is None:
            yield
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


def retry_delay(first: timedelta, attempts: int) -> timedelta:
    """The wait before try `attempts + 1`: `first`, doubling each time, at most 5 minutes."""
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


class InboxWorker:
    """Claims, processes and finishes the rows of one inbox."""

    def __init__(
        self,
        inbox: Inbox,
        processor: UpdateProcessor,
        *,
        name: str,
        retention: timedelta,
        concurrency: int = 4,
        poll_seconds: float = 1.0,
        first_retry: timedelta = timedelta(seconds=2),
    ) -> None:
        self.inbox = inbox
        self.processor = processor
        self.name = name
        self.retention = retention
        self.concurrency = concurrency
        self.poll_seconds = poll_seconds
        self.first_retry = first_retry
        self._nudge = asyncio.Event()
        self._order = KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished: list[tuple[object, ...]] = []  # answered, not yet marked done
        self._failed: list[tuple[object, ...]] = []  # given up, not yet marked
        self._loop: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Look for new rows now (one was just stored)."""
        self._nudge.set()

    def start(self, ready: asyncio.Event | None = None) -> None:
        """Run in the background (once `ready` is set, when given)."""
        self._loop = asyncio.create_task(self._run(ready))

    async def _run(self, ready: asyncio.Event | None) -> None:
        if ready is not None:
            await ready.wait()
        now = datetime.now(UTC)
        renew_at, purge_at = now + self.inbox.lease / 3, now
        while not self._stopping:
            self._nudge.clear()
            try:
                await self._mark_done()
                await self._claim_more()
                now = datetime.now(UTC)
                if now >= renew_at:
                    renew_at = now + self.inbox.lease / 3
                    if self._tasks:
                        await self.inbox.renew()
                if now >= purge_at:
                    purge_at = now + PURGE_EVERY
                    purged = await self.inbox.purge(now - self.retention)
                    log.info("%s: %d finished update(s) purged", self.name, purged)
            except Exception as error:  # the database away: try again at the next poll
                log.warning("%s: stored updates not claimed: %s", self.name, error)
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudge.wait(), self.poll_seconds)

    async def _mark_done(self) -> None:
        """Mark the rows answered (or given up) since the last round done, in one
        statement each.

        The round follows at once (a finishing task nudges the loop): the window in which
        a crash makes an answered update be answered again stays a few milliseconds.
        """
        for failed in (False, True):
            keys = self._failed if failed else self._finished
            if not keys:
                continue
            if failed:
                self._failed = []
            else:
                self._finished = []
            try:
                await self.inbox.finish(keys, failed=failed)
            except Exception as error:  # their leases run out: answered again (at least once)
                log.error("%s: %d update(s) not marked done: %s", self.name, len(keys), error)

    async def _claim_more(self) -> None:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return  # a finishing task nudges the loop
        for update in await self.inbox.claim(free):
            task = asyncio.create_task(self._answer(update))
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._nudge.set()

    async def _answer(self, update: StoredUpdate) -> None:
        async with self._order.hold(self.processor.conversation(update)):
            outcome: Outcome | Retry
            try:
                outcome = await self.processor.process(update)
            except Exception:  # a bug or a payload we cannot read: logged, retried, given up
                log.exception("%s: stored update could not be processed", self.name)
                outcome = Retry()
            if isinstance(outcome, Retry) and update.attempts >= MAX_ATTEMPTS:
                log.error("%s: update given up after %d tries", self.name, update.attempts)
                outcome = Outcome.FAILED
            if outcome is Outcome.DONE:
                self._finished.append(update.key)
                return
            if outcome is Outcome.FAILED:
                self._failed.append(update.key)
                return
            assert isinstance(outcome, Retry)
            delay = retry_delay(self.first_retry, update.attempts)
            try:
                await self.inbox.retry_later(update.key, delay, payload=outcome.payload)
            except Exception as error:  # the lease runs out: processed again then
                log.error("%s: update not given back: %s", self.name, error)

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop claiming; let updates under way finish for `grace` s; give back the rest."""
        # The loop is asked to stop, not cancelled: a task cancelled inside a statement can
        # leave its connection's transaction open, holding the row locks that the release
        # below then waits for (seen on PostgreSQL as a shut-down that never ended).
        self._stopping = True
        self._nudge.set()
        if self._loop is not None:
            done, _ = await asyncio.wait({self._loop}, timeout=grace)
            if not done:
                self._loop.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._loop
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._mark_done()
        try:
            released = await asyncio.wait_for(self.inbox.release(), grace)
        except Exception as error:  # their leases run out instead (a timeout included)
            log.warning("%s: updates under way not given back: %s", self.name, error)
            return
        if released:
            log.warning("%s: %d update(s) cut short by shut-down: left", self.name, released)
