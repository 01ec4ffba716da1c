"""Catalog fixtures: the repository's content, validated once per session."""

from __future__ import annotations

import pytest

from catalog.loader import LoadedEntry, load_content


@pytest.fixture(scope="session")
def content() -> list[LoadedEntry]:
    """The repository's catalog content, validated."""
    return load_content()
