"""Issue 12's console rows: each console benchmark is a module of its own, run here in turn.

- `bench.console_figures`: the figures page on 10,000 one-stop dossiers
"""

from __future__ import annotations

from bench.console_figures import figures_rows
from bench.context import BenchContext
from bench.table import Row

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "console"
TIMEOUT_SECONDS = 600.0


async def run(context: BenchContext) -> list[Row]:
    """Every console row."""
    return await figures_rows(AREA, context.workdir, quick=context.quick)
