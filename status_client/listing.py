"""Every dossier of the one-stop system, read page by page (for staff figures, not citizens).

`GET /api/dossiers?limit=&offset=` lists dossiers oldest submission first, at most
`MAX_PAGE` a page. `all_dossiers` reads the first page to learn the total, then the
rest a few pages at a time. The listing can move while it is read (a dossier filed
meanwhile shifts the pages): a code seen twice is kept once, and pages past the end are
read until one comes back short, so nothing filed before the read began is missed.
"""

from __future__ import annotations

import asyncio

from status_client.client import ClientPolicy, OneStopClient
from status_client.models import Dossier, DossierStatus

__all__ = ["LISTING_POLICY", "MAX_PAGE", "all_dossiers"]

MAX_PAGE = 500  # the most the system answers in one page
# For a client that lists (its own: not the one citizens' lookups go through). A page of
# 500 records can take the system seconds to serialise under load, far beyond the
# lookups' 0.75 s; and failed listings must not open the lookups' circuit breaker.
LISTING_POLICY = ClientPolicy(
    connect_timeout=2.0,
    read_timeout=20.0,
    deadline=45.0,
    attempts=3,
    failure_threshold=3,
    cooldown=30.0,
    cache_size=1,
)


async def all_dossiers(
    client: OneStopClient,
    *,
    status: DossierStatus | None = None,
    page_size: int = MAX_PAGE,
    concurrency: int = 4,
) -> tuple[Dossier, ...]:
    """Every dossier (optionally of one status), oldest submission first, each code once.

    Give it a client with `LISTING_POLICY`. Raises what `OneStopClient.list_dossiers`
    raises (`OneStopError` subclasses): a listing with a page missing would be silently
    wrong figures.
    """
    if not 1 <= page_size <= MAX_PAGE:
        raise ValueError(f"page_size must be 1 to {MAX_PAGE}, not {page_size}")
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    first = await client.list_dossiers(status=status, limit=page_size, offset=0)
    pages = [first.dossiers]
    offset = len(first.dossiers)
    gate = asyncio.Semaphore(concurrency)

    async def page_at(start: int) -> tuple[Dossier, ...]:
        async with gate:
            return (
                await client.list_dossiers(status=status, limit=page_size, offset=start)
            ).dossiers

    while len(pages[-1]) == page_size:
        # The total may have grown since the first page: ask up to it, then one more page.
        starts = list(range(offset, max(first.total, offset + page_size), page_size))
        batch = await asyncio.gather(*(page_at(start) for start in starts))
        pages += batch
        offset = starts[-1] + len(batch[-1])
        if any(len(page) < page_size for page in batch):
            break
    unique: dict[str, Dossier] = {}
    for page in pages:
        for dossier in page:
            unique[dossier.code] = dossier
    return tuple(unique.values())
