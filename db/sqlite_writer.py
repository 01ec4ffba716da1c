"""SQLite's one writer in a gateway process: a thread of its own, never the event loop.

SQLite lets one connection write at a time, and a write transaction holds the file's
lock from its first write to its commit. Run through aiosqlite, each statement and the
commit are separate hand-offs between the event loop and aiosqlite's thread, so the lock
stays held while the loop runs other tasks in between: a synchronous write on the loop's
own thread (a test, a sync ORM call) then waits for a commit that only the blocked loop
could send (5 s, then "database is locked"), and under load every hot INSERT waited a
loop turn per statement behind the conversation work.

Here every write transaction of the process's async side (the webhooks' hot INSERTs and
the workers' claims, renewals and marks) runs whole on one thread, BEGIN to COMMIT in a
single hand-off: the lock is never held while the loop waits. The writes arriving while
a transaction is under way are committed together in the next one (one WAL sync for all
of them, one wake-up of the loop to answer them all): a webhook's INSERT waits for at
most one commit before its own, not one per worker write queued before it.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

__all__ = ["SqliteWriter"]

log = logging.getLogger("db.statements")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str  # compiled for SQLite, positional parameters
    params: tuple[object, ...]
    future: asyncio.Future[Any]


@dataclass(frozen=True, slots=True)
class _Work:
    work: Callable[[Connection], Any]
    future: asyncio.Future[Any]


_Job = _Insert | _Work
_Outcome = tuple[asyncio.Future[Any], BaseException | None, Any]  # its future, error, result
_STOP = object()


def _settle(outcomes: list[_Outcome]) -> None:
    for future, error, result in outcomes:
        if future.done():  # its caller went away (a client that hung up)
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class SqliteWriter:
    """Runs write transactions on `engine` (synchronous SQLite) in its own thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._jobs: queue.SimpleQueue[object] = queue.SimpleQueue()
        # A daemon: an app never shut down (a test's) must not keep the process alive.
        self._thread = threading.Thread(target=self._serve, name="sqlite-writer", daemon=True)
        self._thread.start()
        self._closed = False

    async def insert_returns_row(self, sql: str, params: tuple[object, ...]) -> bool:
        """Run a hot INSERT … RETURNING (`sql` with positional parameters, batched with
        others): True when it returned a row."""
        future = self._future()
        self._jobs.put(_Insert(sql, params, future))
        return bool(await future)

    async def transaction(self, work: Callable[[Connection], T]) -> T:
        """`work(connection)` in one transaction of its own, committed when it returns."""
        future = self._future()
        self._jobs.put(_Work(work, future))
        result: T = await future
        return result

    def _future(self) -> asyncio.Future[Any]:
        if self._closed:
            raise RuntimeError("the SQLite writer is closed")
        return asyncio.get_running_loop().create_future()

    async def aclose(self) -> None:
        """Finish what was submitted, then stop the thread and close the engine."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(_STOP)
        await asyncio.to_thread(self._thread.join)
        self._engine.dispose()

    def _serve(self) -> None:
        while True:
            first = self._jobs.get()
            if first is _STOP:
                return
            jobs = [first]
            stop = False
            while True:  # everything already waiting goes in this round
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                    break
                jobs.append(more)
            self._round(jobs)  # type: ignore[arg-type]
            if stop:
                return

    def _round(self, jobs: list[_Job]) -> None:
        """Every job waiting in one transaction (one commit, one WAL sync for all): when
        one of them fails, the whole transaction was rolled back and each runs alone."""
        outcomes: list[_Outcome]
        try:
            with self._engine.begin() as connection:
                results = [_run(connection, job) for job in jobs]
            outcomes = [
                (job.future, None, result) for job, result in zip(jobs, results, strict=True)
            ]
        except Exception:  # noqa: BLE001 - one failing job must not fail the others
            outcomes = [self._alone(job) for job in jobs]
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, settled in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, settled)
            except RuntimeError:  # that loop has closed: nobody waits any more
                log.debug("SQLite write finished after its event loop closed")

    def _alone(self, job: _Job) -> _Outcome:
        try:
            with self._engine.begin() as connection:
                result = _run(connection, job)
        except Exception as error:  # noqa: BLE001 - handed to the caller, who raises it
            return (job.future, error, None)
        return (job.future, None, result)


def _run(connection: Connection, job: _Job) -> Any:
    if isinstance(job, _Insert):
        return connection.exec_driver_sql(job.sql, job.params).first() is not None
    return job.work(connection)
