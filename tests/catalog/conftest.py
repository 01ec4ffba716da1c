"""Catalog fixtures: the repository's content, validated once per session."""

from __future__ import annotations

import pytest

from catalog.loader import LoadedEntry, load_content
from catalog.queries import ProcedureNames
from catalog.resolve import ProcedureResolver


@pytest.fixture(scope="session")
def content() -> list[LoadedEntry]:
    """The repository's catalog content, validated."""
    return load_content()


@pytest.fixture(scope="session")
def resolver(content: list[LoadedEntry]) -> ProcedureResolver:
    """A resolver over the repository's catalog content."""
    return ProcedureResolver(
        ProcedureNames(item.entry.code, item.entry.name, tuple(item.entry.aliases))
        for item in content
    )
