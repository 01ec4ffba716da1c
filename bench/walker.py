"""Issue 9's walker: how many dossiers a sequential code walker reads from one address.

Dossier codes are unit + date + a dense daily sequence, so a stranger who knows one code
knows the others: `<unit>-<yymmdd>-0001`, `-0002`, … The walker asks `/api/chat` for
each code of a unit's day in turn (the largest days of the one-stop simulator first,
then the next day), as fast as one sequential client can, from one address, with a
fresh sender id and no cookies on every request, so that nothing ties two requests
together but the address. It only asks for codes the simulator has (a real walker
would also spend a request on the miss that ends each day; that only helps us).

A reply "reveals" a dossier when it carries the dossier's status (`dossier_status` in
`/api/chat`'s answer); an answer for an existing dossier that does not (a limit
message, anything else) is a refusal. An HTTP 429 (the per-client rate limit) is not:
the walker waits as told and asks again, so the rate limit only slows it down. The walk
stops at the first of: its time (10 minutes), `refusals_in_a_row` refusals in a row (the
limit holds; the row says how much of the time was left), its lookup budget, or the
simulator's last dossier.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import httpx

__all__ = ["WalkLimits", "WalkResult", "walk", "walk_order", "walker_row_value"]

MESSAGE = "tra cứu hồ sơ {code}"
MAX_BACKOFF_SECONDS = 60.0


@dataclass(frozen=True)
class WalkLimits:
    """When the walk stops."""

    seconds: float = 600.0
    refusals_in_a_row: int = 30
    lookups: int = 300


@dataclass
class WalkResult:
    """What the walker got."""

    lookups: int = 0
    revealed: int = 0
    refused: int = 0
    http_429: int = 0
    errors: int = 0  # answers that are neither a reply nor a 429 (the walk is broken)
    days: int = 0
    seconds: float = 0.0
    stopped: str = ""
    in_a_row: int = 0  # refusals since the last reveal

    def count(self, revealed: bool) -> None:
        self.lookups += 1
        if revealed:
            self.revealed += 1
            self.in_a_row = 0
        else:
            self.refused += 1
            self.in_a_row += 1


def walk_order(codes: Iterable[str]) -> list[list[str]]:
    """The codes by unit-day (`<unit>-<yymmdd>`), in sequence; the largest days first."""
    days: defaultdict[str, list[str]] = defaultdict(list)
    for code in codes:
        day, _, _sequence = code.rpartition("-")
        days[day].append(code)
    ordered = sorted(days.items(), key=lambda item: (-len(item[1]), item[0]))
    return [sorted(day_codes) for _, day_codes in ordered]


def _reason(result: WalkResult, limits: WalkLimits, elapsed: float) -> str:
    if elapsed >= limits.seconds:
        return f"its {limits.seconds:.0f} s were over"
    if result.in_a_row >= limits.refusals_in_a_row:
        return f"{result.in_a_row} refusals in a row"
    if result.lookups >= limits.lookups:
        return f"its budget of {limits.lookups} lookups was spent"
    return ""


def _retry_after(response: httpx.Response) -> float:
    """Seconds a 429 asks to wait (Retry-After), 1 s when it does not say; at most 60."""
    try:
        return min(MAX_BACKOFF_SECONDS, max(0.0, float(response.headers.get("retry-after", 1))))
    except ValueError:
        return 1.0


async def _ask(http: httpx.AsyncClient, code: str) -> httpx.Response:
    http.cookies.clear()  # nothing but the address ties two requests together
    body = {"sender": f"walker-{uuid.uuid4().hex}", "message": MESSAGE.format(code=code)}
    return await http.post("/api/chat", json=body)


async def walk(
    http: httpx.AsyncClient,
    days: list[list[str]],
    limits: WalkLimits,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> WalkResult:
    """Walk `days` (from `walk_order`) through `http`'s `/api/chat` until a limit stops it.

    A 429 (the per-client rate limit) slows the walker down, as it would a real one: it
    waits as told and asks for the same code again. Only lookups answered without the
    dossier count as refusals.
    """
    result = WalkResult()
    started = clock()
    for day in days:
        result.days += 1
        for code in day:
            while not (stopped := _reason(result, limits, clock() - started)):
                response = await _ask(http, code)
                if response.status_code != 429:
                    break
                result.http_429 += 1
                await sleep(_retry_after(response))
            if stopped:
                result.stopped, result.seconds = stopped, clock() - started
                return result
            if not response.is_success:
                result.errors += 1
            status = response.json().get("dossier_status") if response.is_success else None
            result.count(bool(status))
    result.seconds = clock() - started
    result.stopped = _reason(result, limits, result.seconds) or "every dossier was walked"
    return result


def walker_row_value(result: WalkResult, limits: WalkLimits) -> str:
    """What was measured, exactly: no extrapolation to the time the walk did not run."""
    value = (
        f"{result.revealed} of {result.lookups} lookups revealed a dossier "
        f"({result.days} unit-days, {result.seconds:.0f} s"
        + (f", {result.http_429} HTTP 429" if result.http_429 else "")
        + (f", {result.errors} HTTP errors" if result.errors else "")
        + f"); stopped: {result.stopped}"
    )
    left = limits.seconds - result.seconds
    if result.in_a_row >= limits.refusals_in_a_row and left > 1:
        value += f"; the other {left / 60:.1f} min were not run"
    return value
