"""What the watcher reads: status transitions, with what it needs to tell people.

`ChangeFeed` is the watcher's view of the one-stop system; `OneStopFeed` implements it
over `status_client.client.OneStopClient`: the changes feed, which carries each
dossier's phone on file and due date as the change left them; for changes without them,
the dossier is read (once per dossier per page).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from notifier.exceptions import FeedError
from status_client.client import OneStopClient
from status_client.exceptions import DossierNotFound, OneStopError
from status_client.models import ChangeContact, Dossier, DossierStatus, StatusChange

__all__ = ["ChangeFeed", "FeedPage", "OneStopFeed", "Transition"]


@dataclass(frozen=True)
class Transition:
    """One status change of one dossier, with its contact and due date."""

    change_id: str
    dossier_code: str
    status: DossierStatus
    previous_status: DossierStatus | None
    phone: str | None
    due_at: datetime | None
    procedure_name: str | None = None


@dataclass(frozen=True)
class FeedPage:
    """Transitions after a cursor, oldest first, and the cursor after them."""

    transitions: list[Transition]
    next_cursor: str


class ChangeFeed(Protocol):
    """A source of transitions, read from a cursor (None = from the start)."""

    async def read(self, since: str | None, limit: int) -> FeedPage:
        """Transitions after `since`; raises FeedError when the source cannot answer."""
        ...


def _with_contact(change: StatusChange, contact: ChangeContact) -> Transition:
    return Transition(
        change_id=str(change.cursor),
        dossier_code=change.code,
        status=change.new_status,
        previous_status=change.old_status,
        phone=contact.phone,
        due_at=contact.due_at,
        procedure_name=contact.procedure_name,
    )


class OneStopFeed:
    """The one-stop system's `GET /api/changes` plus each changed dossier's contact data."""

    def __init__(self, client: OneStopClient, *, lookups_in_flight: int = 32) -> None:
        self._client = client
        self._limit = asyncio.Semaphore(lookups_in_flight)

    async def _dossier(self, code: str) -> Dossier | None:
        async with self._limit:
            try:
                return await self._client.get_dossier(code, fresh=True)
            except DossierNotFound:
                return None

    async def read(self, since: str | None, limit: int) -> FeedPage:
        """Transitions after `since` with phone and due date; FeedError on any failure."""
        try:
            page = await self._client.changes(since=int(since or 0), limit=limit)
            bare = (change.code for change in page.changes if change.contact is None)
            codes = list(dict.fromkeys(bare))
            dossiers = dict(
                zip(codes, await asyncio.gather(*map(self._dossier, codes)), strict=True)
            )
        except OneStopError as error:
            raise FeedError(f"the one-stop changes feed could not be read: {error}") from error
        transitions = []
        for change in page.changes:
            if change.contact is not None:
                transitions.append(_with_contact(change, change.contact))
                continue
            dossier = dossiers.get(change.code)
            transitions.append(
                Transition(
                    change_id=str(change.cursor),
                    dossier_code=change.code,
                    status=change.new_status,
                    previous_status=change.old_status,
                    phone=dossier.phone if dossier else None,
                    due_at=dossier.due_at if dossier else None,
                    procedure_name=dossier.procedure_name if dossier else None,
                )
            )
        return FeedPage(transitions=transitions, next_cursor=str(page.next_cursor))
