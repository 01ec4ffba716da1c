"""The catalog's exceptions.

CatalogError
├── CatalogValidationError   YAML content is wrong; names file, entry and field
└── CatalogUnavailable       the catalog's database could not be read
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CatalogError", "CatalogUnavailable", "CatalogValidationError", "ContentProblem"]


class CatalogError(Exception):
    """Base class of every catalog error."""


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong in the YAML content: where it is and what is wrong."""

    file: str
    entry: str | None
    field: str | None
    message: str
    # The same for staff in the console, where the entry-to-entry checks have one.
    vietnamese: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f", entry {self.entry}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class CatalogValidationError(CatalogError):
    """The catalog content failed validation; nothing was imported."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in the catalog content, nothing was imported:"]
        lines += [f"  - {problem}" for problem in problems]
        super().__init__("\n".join(lines))


class CatalogUnavailable(CatalogError):
    """The catalog's database could not be read (down, unreachable, schema missing)."""
