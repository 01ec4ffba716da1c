"""Reading every dossier page by page, and the filing channel, against the simulator."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from status_test_support import sim_requests

from status_client.client import OneStopClient
from status_client.exceptions import BadResponse
from status_client.listing import LISTING_POLICY, MAX_PAGE, all_dossiers
from status_client.models import DossierStatus, FilingChannel
from status_client.parsing import parse_dossier, parse_timestamp


@pytest.fixture
async def client(sim: str) -> AsyncIterator[OneStopClient]:
    """A listing client of the simulator (its own patient policy)."""
    async with httpx.AsyncClient() as http:
        yield OneStopClient(http, sim, policy=LISTING_POLICY)


async def test_reads_every_dossier_once_in_submission_order(
    client: OneStopClient, sim: str
) -> None:
    total = httpx.get(f"{sim}/api/dossiers", params={"limit": 1}).json()["total"]
    before = sum(sim_requests(sim).values())
    dossiers = await all_dossiers(client, page_size=300)
    assert len(dossiers) == total == 2000
    assert len({dossier.code for dossier in dossiers}) == total
    submitted = [d.submitted_at for d in dossiers]
    assert submitted == sorted(submitted)  # type: ignore[type-var]
    # 7 pages of 300 (the 7th short): no page read twice, none past a short one.
    assert sum(sim_requests(sim).values()) - before == 7


async def test_a_total_that_fills_the_last_page_exactly_reads_one_empty_page(
    client: OneStopClient, sim: str
) -> None:
    before = sum(sim_requests(sim).values())
    dossiers = await all_dossiers(client, page_size=500)
    assert len(dossiers) == 2000
    assert sum(sim_requests(sim).values()) - before == 5  # 4 full pages and an empty one


async def test_one_status_only(client: OneStopClient) -> None:
    waiting = await all_dossiers(client, status=DossierStatus.WAITING, page_size=50)
    page = await client.list_dossiers(status=DossierStatus.WAITING, limit=1)
    assert len(waiting) == page.total > 0
    assert {d.status for d in waiting} == {DossierStatus.WAITING}


async def test_every_dossier_says_how_it_was_filed(client: OneStopClient) -> None:
    dossiers = await all_dossiers(client)
    channels = Counter(d.channel for d in dossiers)
    assert None not in channels
    assert channels[FilingChannel.ONLINE] > 0.25 * len(dossiers)  # the simulator's 35 %
    assert 0 < channels[FilingChannel.POST] < channels[FilingChannel.IN_PERSON]


async def test_finished_dossiers_carry_the_moment_the_result_was_ready(
    client: OneStopClient,
) -> None:
    done = await all_dossiers(client, status=DossierStatus.DONE)
    assert all(d.finished_at is not None and d.returned_at is not None for d in done)
    assert all(d.finished_at <= d.returned_at for d in done)  # type: ignore[operator]
    assert any(d.finished_at > d.due_at for d in done)  # type: ignore[operator]  # some late


async def test_records_without_a_known_channel_stay_readable(sim: str) -> None:
    record = httpx.get(f"{sim}/api/dossiers", params={"limit": 1}).json()["items"][0]
    for value, expected in ((1, FilingChannel.IN_PERSON), ("2", FilingChannel.ONLINE),
                            (3, FilingChannel.POST), (None, None), (9, None), ("x", None),
                            (True, None)):  # fmt: skip
        assert parse_dossier({**record, "KenhThucHien": value}).channel is expected
    del record["KenhThucHien"]
    assert parse_dossier(record).channel is None  # records from before the field existed


@pytest.mark.parametrize("page_size", [0, MAX_PAGE + 1])
async def test_page_size_outside_what_the_system_answers_is_refused(
    client: OneStopClient, page_size: int
) -> None:
    with pytest.raises(ValueError, match="page_size"):
        await all_dossiers(client, page_size=page_size)


def test_timestamps_are_read_strictly() -> None:
    moment = parse_timestamp("20261125093005")
    assert moment is not None and moment.isoformat() == "2026-11-25T09:30:05+07:00"
    assert isinstance(moment, datetime)
    for bad in (
        "20261325093005",
        "2026112509300",
        "2026-11-25T09:30",
        "２０２６１１２５０９３００５",
        20261125093005,
    ):
        with pytest.raises(BadResponse):
            parse_timestamp(bad)
