"""The client against the simulator over real HTTP: reads, faults, retries, breaker, cache."""

from __future__ import annotations

import time

import httpx
import pytest
from status_test_support import set_faults, sim_requests

from simulators.onestop import FaultSettings, SimConfig, running_simulator
from status_client.client import ClientPolicy, OneStopClient
from status_client.exceptions import (
    BadResponse,
    CircuitOpen,
    DossierNotFound,
    OneStopUnavailable,
    TransitionRejected,
)
from status_client.models import DossierStatus
from status_client.resilience import BreakerState
from testing.clock import FakeClock


async def a_code(client: OneStopClient, status: DossierStatus = DossierStatus.PROCESSING) -> str:
    page = await client.list_dossiers(status=status, limit=1)
    return page.dossiers[0].code


async def test_reads_a_dossier_in_any_typed_shape(client: OneStopClient) -> None:
    code = await a_code(client)
    typed = code.lower().replace(".", " ").replace("-", "")
    dossier = await client.get_dossier(typed, fresh=True)
    assert dossier.code == code
    assert dossier.status is DossierStatus.PROCESSING
    assert dossier.procedure_code and dossier.procedure_name
    assert dossier.received_at is not None and dossier.due_at is not None
    assert dossier.due_at > dossier.received_at
    assert dossier.phone is not None and dossier.phone.startswith("+84")
    assert dossier.id_number is not None and len(dossier.id_number) == 12
    assert dossier.steps and dossier.steps[0].at <= dossier.steps[-1].at
    assert dossier.applicant_name not in repr(dossier)  # personal data stays out of logs


async def test_unknown_code_is_not_found(client: OneStopClient) -> None:
    with pytest.raises(DossierNotFound):
        await client.get_dossier("000.00.06.H56-231027-9999")
    assert client.breaker.state is BreakerState.CLOSED


async def test_cache_serves_repeats_until_the_ttl_ends(
    client: OneStopClient, sim: str, clock: FakeClock
) -> None:
    code = await a_code(client)
    before = sim_requests(sim)["normal"]
    await client.get_dossier(code)
    await client.get_dossier(code)
    assert sim_requests(sim)["normal"] == before + 1
    clock.advance(31)
    await client.get_dossier(code)
    assert sim_requests(sim)["normal"] == before + 2


async def test_changes_feed_and_transitions(client: OneStopClient) -> None:
    code = await a_code(client)
    start = (await client.changes(0)).next_cursor
    await client.get_dossier(code)  # cached now; the transition must invalidate it
    waiting = await client.transition(code, DossierStatus.WAITING)
    assert waiting.status is DossierStatus.WAITING and waiting.supplements_requested
    await client.transition(code, DossierStatus.PROCESSING)
    assert (await client.get_dossier(code)).status is DossierStatus.PROCESSING
    page = await client.changes(start)
    assert [(c.old_status, c.new_status) for c in page.changes] == [
        (DossierStatus.PROCESSING, DossierStatus.WAITING),
        (DossierStatus.WAITING, DossierStatus.PROCESSING),
    ]
    assert page.changes[0].cursor < page.changes[1].cursor == page.next_cursor
    current = await client.get_dossier(code, fresh=True)
    contact = page.changes[-1].contact
    assert contact is not None and contact.phone == current.phone
    assert (contact.due_at, contact.procedure_name) == (current.due_at, current.procedure_name)
    assert (await client.changes(page.next_cursor)).changes == ()
    with pytest.raises(TransitionRejected):
        await client.transition(code, DossierStatus.DONE)  # processing → done skips releasing


async def test_latency_is_tolerated(client: OneStopClient, sim: str) -> None:
    code = await a_code(client)
    set_faults(sim, latency_ms=300)
    started = time.monotonic()
    await client.get_dossier(code, fresh=True)
    assert 0.3 <= time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("fault", "error", "counted"),
    [("error_rate", OneStopUnavailable, "error"), ("malformed_rate", BadResponse, "malformed")],
)
async def test_a_fault_on_every_answer_is_retried_then_reported(
    client: OneStopClient, sim: str, fault: str, error: type[Exception], counted: str
) -> None:
    # A server error is OneStopUnavailable, malformed JSON is BadResponse: both retried.
    code = await a_code(client)
    set_faults(sim, **{fault: 1.0})
    with pytest.raises(error):
        await client.get_dossier(code, fresh=True)
    assert sim_requests(sim)[counted] == client.policy.attempts


async def test_some_errors_are_absorbed_by_retries(client: OneStopClient, sim: str) -> None:
    codes = [d.code for d in (await client.list_dossiers(limit=30)).dossiers]
    set_faults(sim, error_rate=0.3, malformed_rate=0.1, seed=3)
    for code in codes:
        assert (await client.get_dossier(code)).code == code
    assert sim_requests(sim)["error"] > 0


async def test_a_hang_gives_up_within_the_deadline(client: OneStopClient, sim: str) -> None:
    code = await a_code(client)
    set_faults(sim, hang_rate=1.0)
    started = time.monotonic()
    with pytest.raises(OneStopUnavailable, match="within"):
        await client.get_dossier(code, fresh=True)
    assert time.monotonic() - started < client.policy.deadline + 0.3


async def test_circuit_opens_after_failures_and_closes_after_cooldown(
    client: OneStopClient, sim: str, clock: FakeClock
) -> None:
    code = await a_code(client)
    set_faults(sim, error_rate=1.0)
    for _ in range(client.policy.failure_threshold):
        with pytest.raises(OneStopUnavailable):
            await client.get_dossier(code, fresh=True)
    assert client.breaker.state is BreakerState.OPEN
    seen = sim_requests(sim)
    started = time.monotonic()
    with pytest.raises(CircuitOpen):
        await client.get_dossier(code, fresh=True)
    assert time.monotonic() - started < 0.05
    assert sim_requests(sim) == seen  # no request went out
    clock.advance(client.policy.cooldown)
    assert client.breaker.state is BreakerState.HALF_OPEN
    with pytest.raises(OneStopUnavailable):  # the trial call fails: open again
        await client.get_dossier(code, fresh=True)
    assert client.breaker.state is BreakerState.OPEN
    set_faults(sim)  # the system recovers
    clock.advance(client.policy.cooldown)
    assert (await client.get_dossier(code, fresh=True)).code == code
    assert client.breaker.state is BreakerState.CLOSED


async def test_open_circuit_still_serves_cached_dossiers(client: OneStopClient, sim: str) -> None:
    code = await a_code(client)
    await client.get_dossier(code)
    set_faults(sim, error_rate=1.0)
    for _ in range(client.policy.failure_threshold):
        with pytest.raises(OneStopUnavailable):
            await client.list_dossiers(limit=1)
    assert client.breaker.state is BreakerState.OPEN
    assert (await client.get_dossier(code)).code == code


async def test_connection_refused_is_unavailable() -> None:
    async with httpx.AsyncClient() as http:
        client = OneStopClient(http, "http://127.0.0.1:9", policy=ClientPolicy(backoff_base=0.01))
        with pytest.raises(OneStopUnavailable):
            await client.get_dossier("000.00.06.H56-231027-0361")


async def test_auth_header_is_sent_when_configured() -> None:
    config = SimConfig(seed=2, count=20, auth_header="Bearer s3cret", faults=FaultSettings())
    with running_simulator(config) as url:
        async with httpx.AsyncClient() as http:
            good = OneStopClient(http, url, auth_header="Bearer s3cret")
            page = await good.list_dossiers(limit=1)
            assert page.total == 20
            bad = OneStopClient(http, url)
            with pytest.raises(OneStopUnavailable, match="credentials"):
                await bad.list_dossiers(limit=1)
