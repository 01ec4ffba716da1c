"""Stored updates on SQLite: the webhook's INSERTs and the worker's claims never leave a
write transaction open while the event loop runs something else; a worker claims only
the rows it is for (its own bot's).

SQLite holds its write lock from a transaction's first write to its commit. Had the
commit to wait for the event loop (aiosqlite: one hand-off per statement), a synchronous
write made on the loop's own thread in between would wait for a commit that only the
blocked loop could send: 5 s (the busy timeout), then "database is locked".
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram.runtime import telegram_inbox
from bot.channels.zalo_inbox import event_key, zalo_inbox
from db import make_async_engine, make_engine, upgrade_to_head
from db.inbox import Inbox
from db.statements import StatementPool, open_statement_pool

ROWS = 150


def an_event(number: int) -> dict[str, object]:
    return {
        "app_id": "1",
        "event_name": "user_send_text",
        "timestamp": str(1_700_000_000_000 + number),
        "sender": {"id": str(8400000000 + number % 7)},
        "message": {"msg_id": f"m{number}", "text": f"câu hỏi {number}"},
    }


def _values(event: dict[str, object]) -> dict[str, object]:
    return {
        "event_key": event_key(event),
        "event_name": "user_send_text",
        "received_at": datetime.now(UTC),
        "payload": json.dumps(event),
    }


def _zalo_inbox(async_engine: AsyncEngine, statements: StatementPool) -> Inbox:
    return zalo_inbox(async_engine, statements, owner="test:1", lease=timedelta(seconds=30))


async def _exercise(database_url: str) -> tuple[list[bool], list[float], int]:
    async_engine = make_async_engine(database_url)
    statements = await open_statement_pool(database_url, async_engine)
    inbox = _zalo_inbox(async_engine, statements)
    # Another writer on the loop's own thread, as a test or a sync ORM call would be.
    other = make_engine(database_url)
    waits: list[float] = []
    answered = 0

    def store(number: int) -> asyncio.Task[bool]:
        return asyncio.create_task(inbox.store(_values(an_event(number))))

    async def work() -> None:
        nonlocal answered
        while answered < ROWS:
            claimed = await inbox.claim(8)
            await inbox.renew()
            if claimed:
                await inbox.finish([update.key for update in claimed])
                answered += len(claimed)
            await asyncio.sleep(0)

    async def write_beside() -> None:
        number = 0
        while answered < ROWS:
            number += 1
            started = time.perf_counter()
            with other.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO zalo_follower (user_id, following, updated_at)"
                        " VALUES (:user, 1, '2026-12-01 00:00:00')"
                    ),
                    {"user": f"beside-{number}"},
                )
            waits.append(time.perf_counter() - started)
            await asyncio.sleep(0.002)

    try:
        # Every event twice (Zalo's retry racing the first delivery): stored once each.
        stores = [store(number % ROWS) for number in range(2 * ROWS)]
        await asyncio.gather(work(), write_beside(), *stores)
        stored = [task.result() for task in stores]
    finally:
        await statements.aclose()
        await async_engine.dispose()
        other.dispose()
    return stored, waits, answered


def test_a_synchronous_write_on_the_loop_never_waits_for_the_inbox(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    upgrade_to_head(database_url)
    stored, waits, answered = asyncio.run(_exercise(database_url))
    assert sum(stored) == ROWS  # each event stored once, its replay refused
    assert answered == ROWS
    assert max(waits) < 1.0, f"a write on the loop's thread waited {max(waits):.1f} s"


async def _claims_by_bot(database_url: str) -> dict[int, list[int]]:
    async_engine = make_async_engine(database_url)
    statements = await open_statement_pool(database_url, async_engine)

    def inbox(bot_id: int) -> Inbox:
        lease = timedelta(seconds=30)
        return telegram_inbox(
            async_engine, statements, bot_id=bot_id, owner=f"test:{bot_id}", lease=lease
        )

    bots = {bot_id: inbox(bot_id) for bot_id in (111, 222)}
    try:
        for update_id in range(1, 7):
            bot_id = 111 if update_id % 2 else 222
            values = {"bot_id": bot_id, "update_id": update_id, "claimed_at": datetime.now(UTC)}
            await bots[bot_id].store(values | {"payload": "{}"})
        return {
            bot_id: [update.key[1] for update in await each.claim(16)]
            for bot_id, each in bots.items()
        }
    finally:
        await statements.aclose()
        await async_engine.dispose()


def test_a_worker_claims_only_its_own_bots_updates(tmp_path: Path) -> None:
    # Two bots' gateways on one database (the bench's beside `make run`'s): each answers
    # its own updates, with its own token, never the other's.
    database_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    upgrade_to_head(database_url)
    assert asyncio.run(_claims_by_bot(database_url)) == {111: [1, 3, 5], 222: [2, 4, 6]}


async def _one_round_with_a_failure(database_url: str) -> tuple[list[object], int]:
    async_engine = make_async_engine(database_url)
    statements = await open_statement_pool(database_url, async_engine)
    inbox = _zalo_inbox(async_engine, statements)

    def follower(user: str) -> Callable[[Connection], int]:
        def write(connection: Connection) -> int:
            insert = (
                "INSERT INTO zalo_follower (user_id, following, updated_at) VALUES (:u, 1, :at)"
            )
            return connection.execute(text(insert), {"u": user, "at": "2026-12-01"}).rowcount

        return write

    def broken(connection: Connection) -> int:
        connection.execute(text("INSERT INTO zalo_follower (user_id) VALUES (NULL)"))
        return 0

    try:
        # Submitted together, so that the writer takes them in one round.
        jobs = [
            statements.transaction(follower("a")),
            statements.transaction(broken),
            inbox.store(_values(an_event(1))),
            statements.transaction(follower("b")),
        ]
        outcomes: list[object] = list(await asyncio.gather(*jobs, return_exceptions=True))
        counted = await statements.transaction(
            lambda connection: connection.execute(
                text("SELECT count(*) FROM zalo_follower WHERE user_id IN ('a', 'b')")
            ).scalar_one()
        )
    finally:
        await statements.aclose()
        await async_engine.dispose()
    return outcomes, counted


def test_one_failing_write_fails_alone(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    upgrade_to_head(database_url)
    outcomes, counted = asyncio.run(_one_round_with_a_failure(database_url))
    assert outcomes[0] == 1 and outcomes[2] is True and outcomes[3] == 1
    assert isinstance(outcomes[1], IntegrityError)
    assert counted == 2  # the others were committed
