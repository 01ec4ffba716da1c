"""Issue 12's console rows: each console benchmark is a module of its own, run here in turn.

- `bench.console_figures`: the figures page on 10,000 one-stop dossiers
- `bench.console_faq`: FAQ publish-to-answer time, /api/chat with 1,000 entries published
"""

from __future__ import annotations

from bench.console_faq import faq_rows
from bench.console_figures import figures_rows
from bench.context import BenchContext
from bench.table import Row

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "console"
TIMEOUT_SECONDS = 1500.0  # the FAQ rows start the shared stack (and Rasa) if need be


async def run(context: BenchContext) -> list[Row]:
    """Every console row."""
    rows = await figures_rows(AREA, context.workdir, quick=context.quick)
    return rows + await faq_rows(AREA, context)
