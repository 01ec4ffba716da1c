"""FAQ entries as a clerk leaves them, for tests and the bench (published or draft), and
the matcher's CPU time per message."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from faq.matcher import FaqIndex
from faq.models import FaqEntry, FaqState

__all__ = ["add_entries", "matcher_cpu_ms", "remove_entries"]


def add_entries(
    sessions: sessionmaker[Session],
    entries: Sequence[tuple[Sequence[str], str]],
    *,
    procedure_code: str | None = None,
    published: bool = True,
) -> list[int]:
    """Add (questions, answer) entries in one transaction; their ids."""
    now = datetime.now(UTC)
    state = FaqState.PUBLISHED if published else FaqState.DRAFT
    rows = [
        FaqEntry(
            questions=list(questions),
            answer=answer,
            procedure_code=procedure_code,
            state=state,
            version=1,
            created_at=now,
            created_by="test",
            updated_at=now,
            updated_by="test",
        )
        for questions, answer in entries
    ]
    with sessions.begin() as session:
        session.add_all(rows)
    return [row.id for row in rows]


def remove_entries(sessions: sessionmaker[Session]) -> None:
    """Delete every FAQ entry."""
    with sessions.begin() as session:
        session.execute(delete(FaqEntry))


def matcher_cpu_ms(index: FaqIndex, texts: Sequence[str], rounds: int = 5) -> float:
    """CPU milliseconds `index` takes per message of `texts` (its word cache warmed first,
    as a running server's is)."""
    for text in texts:
        index.match(text)
    started = time.process_time()
    for _ in range(rounds):
        for text in texts:
            index.match(text)
    return (time.process_time() - started) / (rounds * len(texts)) * 1000
