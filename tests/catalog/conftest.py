"""Catalog fixtures: the repository's content, validated once per session."""

from __future__ import annotations

import pytest
from catalog_builders import FACTS_CODES

from catalog.loader import LoadedEntry, load_content
from catalog.queries import ProcedureNames
from catalog.resolve import ProcedureResolver


@pytest.fixture(scope="session")
def content() -> list[LoadedEntry]:
    """The repository's catalog content, validated."""
    return load_content()


@pytest.fixture(scope="session")
def resolver(content: list[LoadedEntry]) -> ProcedureResolver:
    """A resolver over the province's own procedures (the 22 of its layer with details).

    The layer's other entries only name national procedures; without the rest of the
    national catalog around them they would stand for it unevenly (the national part is
    tested over the whole snapshot in test_catalog_resolve_national.py and the bench).
    """
    return ProcedureResolver(
        ProcedureNames(item.entry.code, item.entry.name, tuple(item.entry.aliases))
        for item in content
        if item.entry.code in FACTS_CODES
    )
