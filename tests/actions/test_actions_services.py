"""The actions' services object: one per process, replaceable, its lookup bound to a loop."""

from __future__ import annotations

import asyncio

from actions.services import ActionServices, build_lookup, configure, services
from dossier_lookup.lookup import DossierLookup
from settings import Settings


def test_configured_services_are_the_ones_the_actions_get(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mine = ActionServices.from_settings(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}"))
    configure(mine)
    try:
        assert services() is mine
    finally:
        configure(None)
    assert services() is not mine


def test_the_lookup_is_built_once_per_event_loop() -> None:
    built: list[DossierLookup] = []

    def make_lookup(settings: Settings) -> DossierLookup:
        built.append(build_lookup(settings))
        return built[-1]

    shared = ActionServices.from_settings(Settings())
    shared.make_lookup = make_lookup

    async def twice() -> bool:
        return shared.lookup() is shared.lookup()

    assert asyncio.run(twice())
    assert asyncio.run(twice())
    assert len(built) == 2  # a new loop (httpx connections belong to one) gets a new one
