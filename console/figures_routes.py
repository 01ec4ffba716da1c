"""The figures page (`/admin/figures`), its JSON (`/admin/api/figures`) and CSV downloads.

Every route needs a logged-in staff member (viewer or above). The query takes `days`
(the period of the assistant's own figures: 1 to 366, default 30) and `fresh=1` (read
the one-stop system's dossiers now, and wait for them, instead of using the snapshot
kept for `SNAPSHOT_SECONDS`). The first read after start is waited for only
`FIRST_READ_WAIT_SECONDS`; then the page says it is still reading. The dossiers are
read by a client of the figures' own, off the event loop (`office_figures.source`),
not by the citizens' lookup client.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bot.openapi import error_responses as errors
from console.auth import Role, Staff, require
from console.pages import render
from notifier.quiet_hours import QuietHours
from office_figures.board import DEFAULT_DAYS, FIGURE_ORDER, MAX_DAYS, Board, build_board, derive
from office_figures.snapshot import DossierSnapshot
from office_figures.source import one_stop_loader
from office_figures.svg import render_chart
from office_figures.table import Cell, to_csv
from settings import Settings
from status_client.models import VIETNAM_TZ

__all__ = ["SNAPSHOT_SECONDS", "router"]

SNAPSHOT_SECONDS = 120.0
# The very first page waits this long for the first read, then shows what it has.
FIRST_READ_WAIT_SECONDS = 2.0
PERIODS = (7, 30, 90, 365)
BAD_DAYS = f"Số ngày phải là số nguyên từ 1 đến {MAX_DAYS}."
UNKNOWN_FIGURE = "Không có bảng số liệu này."

router = APIRouter(tags=["console"])
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]


def _days(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_DAYS
    if len(raw) > 3 or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise HTTPException(400, BAD_DAYS)
    return int(raw)


# Checked by `_days`, so that a clerk gets the reason in Vietnamese.
Days = Annotated[str | None, Query(description=f"1 to {MAX_DAYS}")]
Fresh = Annotated[bool, Query(description="read the one-stop system now")]


def _snapshot(request: Request) -> DossierSnapshot:
    """The app's dossier snapshot, made on first use (one per app)."""
    snapshot: DossierSnapshot | None = getattr(request.app.state, "figures_snapshot", None)
    if snapshot is None:
        settings: Settings = request.app.state.settings
        secret = settings.onestop_auth_header
        loader = one_stop_loader(
            settings.onestop_base_url,
            auth_header=secret.get_secret_value() if secret else None,
        )
        snapshot = DossierSnapshot(loader, derive, ttl=SNAPSHOT_SECONDS)
        request.app.state.figures_snapshot = snapshot
    return snapshot


async def _board(request: Request, days: int, fresh: bool) -> Board:
    wait = None if fresh else FIRST_READ_WAIT_SECONDS
    snapshot = await _snapshot(request).get(fresh=fresh, wait=wait)
    settings: Settings = request.app.state.settings
    quiet = QuietHours.parse(settings.quiet_hours, settings.timezone)

    def build() -> Board:
        with request.app.state.sessions() as session:
            return build_board(session, snapshot, now=datetime.now(UTC), days=days, quiet=quiet)

    return await run_in_threadpool(build)


@router.get("/admin/api/figures", responses=errors(400, 401, 403))
async def figures_json(
    request: Request, staff: Viewer, days: Days = None, fresh: Fresh = False
) -> dict[str, Any]:
    """Every figure: columns and raw rows, with what they were computed from."""
    board = await _board(request, _days(days), fresh)
    return {
        "days": board.days,
        "since": board.since.isoformat(),
        "generated_at": board.now.isoformat(),
        "dossiers": board.dossiers,
        "dossiers_read_at": board.dossiers_read_at.isoformat() if board.dossiers_read_at else None,
        "problem": board.problem or None,
        "figures": [figure.as_json() for figure in board.figures],
    }


# A download link of the page (anonymous: 303 to the login page, as pages do): like the
# pages, it stays out of the API's description; scripts read `/admin/api/figures`.
@router.get("/admin/figures/{name}.csv", response_class=Response, include_in_schema=False)
async def figure_csv(request: Request, name: str, staff: Viewer, days: Days = None) -> Response:
    """One figure's table as a CSV file (UTF-8 with BOM, for Excel)."""
    if name not in FIGURE_ORDER:
        raise HTTPException(404, UNKNOWN_FIGURE)
    board = await _board(request, _days(days), fresh=False)
    figure = board.figure(name)
    if figure is None:  # the one-stop system could not be read yet
        raise HTTPException(503, board.problem or UNKNOWN_FIGURE)
    stamp = board.now.strftime("%Y%m%d")
    return Response(
        to_csv(figure),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/admin/figures", response_class=Response, include_in_schema=False)
async def figures_page(
    request: Request, staff: Viewer, days: Days = None, fresh: Fresh = False
) -> Response:
    """The figures page: a chart and its table per figure, each with a CSV link."""
    try:
        period = _days(days)
    except HTTPException:
        return render(request, "figures.html", _context(None, DEFAULT_DAYS, BAD_DAYS), 400)
    board = await _board(request, period, fresh)
    return render(request, "figures.html", _context(board, period, None))


def _context(board: Board | None, days: int, error: str | None) -> dict[str, Any]:
    items = [
        {
            "figure": figure,
            "chart": render_chart(figure),
            "rows": figure.text_rows(),
            "numeric": [_numeric(figure.rows, column) for column in range(len(figure.columns))],
        }
        for figure in (board.figures if board else [])
    ]
    return {
        "board": board,
        "items": items,
        "days": days,
        "periods": sorted({*PERIODS, days}),
        "read_at": _local(board.dossiers_read_at) if board and board.dossiers_read_at else "",
        "since": _local(board.since) if board else "",
        "now": _local(board.now) if board else "",
        "error": error or (board.problem if board else None),
    }


def _numeric(rows: list[tuple[Cell, ...]], column: int) -> bool:
    cells = [row[column] for row in rows if row[column] is not None]
    return bool(cells) and all(isinstance(cell, int | float) for cell in cells)


def _local(moment: datetime) -> str:
    return moment.astimezone(VIETNAM_TZ).strftime("%H:%M %d/%m/%Y")
