"""Where the dossier figures come from: the one-stop system, read off the gateway's loop.

Reading 10,000 dossiers means some 28 MB of JSON to decode and parse. Done on the
gateway's event loop, that would stall every chat for the length of each page; so the
read runs on a (daemon) thread of its own, with its own event loop and its own client. Its own
client also has its own circuit breaker and a patient policy: a slow listing must
neither fail the figures at the citizens' 0.75 s timeout nor open the breaker that
citizens' lookups go through.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence

import httpx

from office_figures.snapshot import Load
from status_client.client import OneStopClient
from status_client.listing import LISTING_POLICY, all_dossiers
from status_client.models import Dossier

__all__ = ["one_stop_loader"]


def one_stop_loader(
    base_url: str,
    *,
    auth_header: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Load:
    """A `DossierSnapshot` loader reading every dossier at `base_url` on a worker thread."""

    async def read() -> Sequence[Dossier]:
        async with httpx.AsyncClient(transport=transport, timeout=LISTING_POLICY.timeout) as http:
            client = OneStopClient(http, base_url, auth_header=auth_header, policy=LISTING_POLICY)
            return await all_dossiers(client)

    async def load() -> Sequence[Dossier]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Sequence[Dossier]] = loop.create_future()

        def work() -> None:
            try:
                outcome: tuple[Sequence[Dossier] | None, Exception | None] = (
                    asyncio.run(read()), None,
                )  # fmt: skip
            except Exception as error:  # noqa: BLE001 - handed to the waiting coroutine
                outcome = (None, error)
            with contextlib.suppress(RuntimeError):  # the gateway's loop has closed: no one waits
                loop.call_soon_threadsafe(_settle, done, *outcome)

        # A daemon thread, not the loop's executor: a gateway stopping mid-read does not
        # wait for the read (the executor's threads are joined at shut-down).
        threading.Thread(target=work, name="figures-dossier-read", daemon=True).start()
        return await done

    return load


def _settle(
    done: asyncio.Future[Sequence[Dossier]],
    result: Sequence[Dossier] | None,
    error: Exception | None,
) -> None:
    if done.cancelled():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result or ())
