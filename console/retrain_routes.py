"""Retraining the Rasa model from the console (admins only): start it, watch it, see the verdict.

`POST /admin/api/model/retrain` starts a run (202; 409 while one runs), `GET` says how it
goes; the page `/admin/model` does the same with a button and refreshes itself while a run
goes on (a meta refresh: the console's pages run no script).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.responses import Response

from bot.openapi import error_responses as errors
from console.audit import record
from console.auth import require
from console.pages import render
from console.retrain import Retrainer, RetrainRun, load_everywhere
from console.roles import Role, Staff
from launcher.model import MODELS_DIR

__all__ = ["router"]

router = APIRouter(tags=["console: model"])
Admin = Annotated[Staff, Depends(require(Role.ADMIN))]
RUNNING = ("training", "testing", "loading")


def _retrainer(request: Request) -> Retrainer:
    """The app's one retrainer, made on first use from the gateway's settings."""
    found: Retrainer | None = getattr(request.app.state, "retrainer", None)
    if found is not None:
        return found
    settings = request.app.state.settings
    urls, token = settings.rasa_url_list(), settings.rasa_auth_token.get_secret_value()

    async def load(model: Path) -> list[str]:
        async with httpx.AsyncClient(timeout=30.0) as client:
            return await load_everywhere(client, urls, model, token)

    async def serving() -> Path | None:
        async with httpx.AsyncClient(timeout=30.0) as client:
            status = await client.get(f"{urls[0]}/status", params={"token": token})
        name = Path(str(status.json().get("model_file") or "")).name if status.is_success else ""
        return MODELS_DIR / name if name and (MODELS_DIR / name).exists() else None

    found = Retrainer(lambda model: asyncio.run(load(model)))
    found.serving = lambda: asyncio.run(serving())
    request.app.state.retrainer = found
    return found


def _start(request: Request, staff: Staff) -> RetrainRun:
    """Start a run and log who started it (a training cannot be undone from the log)."""
    run = _retrainer(request).start()
    with request.app.state.sessions.begin() as session:
        after = {"model": run.model, "started_at": run.started_at.isoformat()}
        record(session, actor=staff, entity="rasa_model", entity_id="retrain", action="retrain",
               before=None, after=after)  # fmt: skip
    return run


@router.get("/admin/api/model/retrain", responses=errors(401, 403))
def retrain_status(request: Request, staff: Admin) -> JSONResponse:
    """The last retraining run (`null` when none ran since the gateway started)."""
    run = _retrainer(request).run
    return JSONResponse({"run": run.as_json() if run else None})


@router.post("/admin/api/model/retrain", status_code=202, responses=errors(401, 403, 409))
def retrain_start(request: Request, staff: Admin) -> JSONResponse:
    """Start retraining: train, test on the held-out set, load only if not worse."""
    try:
        run = _start(request, staff)
    except RuntimeError as error:
        return JSONResponse({"detail": str(error)}, status_code=409)
    return JSONResponse({"run": run.as_json()}, status_code=202)


@router.get("/admin/model", include_in_schema=False)
def model_page(request: Request, staff: Admin) -> Response:
    """The retraining page: the last run's progress and verdict, and the start button."""
    run = _retrainer(request).run
    context = {"run": run.as_json() if run else None, "running": bool(run and run.phase in RUNNING)}
    return render(request, "model.html", context)


@router.post("/admin/model/retrain", include_in_schema=False)
def model_form(request: Request, staff: Admin) -> Response:
    """The page's start button."""
    try:
        _start(request, staff)
    except RuntimeError as error:
        return render(request, "model.html", {"run": None, "error": str(error)}, status_code=409)
    return RedirectResponse("/admin/model", status_code=303)
