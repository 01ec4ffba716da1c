"""The whole figures page: the dossier figures of a snapshot and our own tables' figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from notifier.quiet_hours import QuietHours
from office_figures.dossiers import dossier_figures
from office_figures.notices import notifications_by_channel, satisfaction
from office_figures.questions import questions_by_channel, questions_by_day
from office_figures.snapshot import Snapshot
from office_figures.table import Figure
from status_client.models import VIETNAM_TZ, Dossier

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "Board", "FIGURE_ORDER", "build_board", "derive"]

DEFAULT_DAYS = 30
MAX_DAYS = 366
# The page's order: what the office is judged by first, the long list last.
FIGURE_ORDER = (
    "dung-han",
    "truc-tuyen-theo-thu-tuc",
    "truc-tuyen-theo-thang",
    "hai-long",
    "thong-bao",
    "cau-hoi-theo-ngay",
    "cau-hoi-theo-kenh",
    "qua-han",
)


@dataclass(frozen=True)
class Board:
    """Every figure, and what they were computed from."""

    figures: list[Figure]
    days: int
    since: datetime
    now: datetime
    dossiers: int
    dossiers_read_at: datetime | None
    problem: str

    def figure(self, name: str) -> Figure | None:
        """The figure called `name`, or None."""
        return next((figure for figure in self.figures if figure.name == name), None)


def derive(dossiers: Sequence[Dossier], now: datetime) -> list[Figure]:
    """The dossier figures (`DossierSnapshot`'s `derive`)."""
    return dossier_figures(dossiers, now)


def build_board(
    session: Session, snapshot: Snapshot, *, now: datetime, days: int, quiet: QuietHours
) -> Board:
    """The page's figures: the snapshot's, then ours over the last `days` days."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1 to {MAX_DAYS}")
    since = now - timedelta(days=days)
    first_day = since.astimezone(VIETNAM_TZ).date()
    ours = [
        satisfaction(session, since=since),
        notifications_by_channel(session, since=since, quiet=quiet, now=now),
        questions_by_day(session, first_day),
        questions_by_channel(session, first_day),
    ]
    by_name = {figure.name: figure for figure in [*snapshot.figures, *ours]}
    figures = [by_name[name] for name in FIGURE_ORDER if name in by_name]
    return Board(
        figures=figures,
        days=days,
        since=since,
        now=now,
        dossiers=snapshot.dossiers,
        dossiers_read_at=snapshot.read_at,
        problem=snapshot.problem,
    )
