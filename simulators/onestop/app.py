"""The one-stop system simulator's HTTP API (FastAPI).

- `GET /api/dossiers/{code}` → the record, or 404 `{"error": {"code", "message"}}`
- `GET /api/dossiers?status=&limit=&offset=` → `{"items", "total", "limit", "offset"}`
- `GET /api/changes?since=&limit=` → `{"changes": [{"cursor", "MaHoSo", "MaTTHC",
  "TrangThaiCu", "TrangThaiMoi", "ThoiDiem", "TenTTHC", "SoDienThoai", "NgayHenTra"}],
  "next_cursor"}` (the last three as the change left the dossier)
- `POST /api/dossiers/{code}/transition {"status"}` → the record; 404, 409 (not allowed
  from the current status) or 422 (unknown status)
- `GET /health`; admin: `GET|POST /_sim/faults`, `POST /_sim/reset`, `GET /_sim/stats`
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from simulators.onestop.config import SimConfig
from simulators.onestop.faults import FaultInjector, FaultSettings, Outcome
from simulators.onestop.records import STATUSES, VIETNAM_TZ
from simulators.onestop.store import DossierStore, TransitionError

__all__ = ["create_app"]


class TransitionBody(BaseModel):
    """`POST /api/dossiers/{code}/transition`."""

    status: str


class FaultBody(BaseModel):
    """`POST /_sim/faults`: the whole fault configuration (missing fields: no fault)."""

    latency_ms: int = Field(0, ge=0)
    error_rate: float = Field(0.0, ge=0, le=1)
    hang_rate: float = Field(0.0, ge=0, le=1)
    malformed_rate: float = Field(0.0, ge=0, le=1)
    hang_ms: int = Field(30_000, ge=0)
    seed: int = 0


def _error(status_code: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status_code)


async def _hang(request: Request, seconds: float) -> None:
    """Hold the request for `seconds`, or until a GET's client gives up and disconnects."""
    deadline = asyncio.get_running_loop().time() + seconds
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        await asyncio.sleep(min(0.1, left))
        # Only a GET can be polled: on a POST, polling would swallow the request body.
        if request.method == "GET" and await request.is_disconnected():
            return


def create_app(config: SimConfig | None = None) -> FastAPI:
    """Seed the dossiers and build the app."""
    config = config or SimConfig()
    anchor = config.anchor or datetime.now(VIETNAM_TZ)
    store = DossierStore(seed=config.seed, count=config.count, anchor=anchor)
    faults = FaultInjector(config.faults)
    app = FastAPI(title="One-stop system simulator", docs_url="/_sim/docs", redoc_url=None)
    app.state.store = store
    app.state.faults = faults
    app.middleware("http")(_api_guard(config, faults))
    app.include_router(_api_routes(store, anchor))
    app.include_router(_sim_routes(store, faults, config))
    return app


Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def _api_guard(config: SimConfig, faults: FaultInjector) -> Middleware:
    """Authentication and injected faults in front of `/api/`."""

    async def guard_api(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not request.url.path.startswith("/api/"):
            return await call_next(request)
        if config.auth_header is not None:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), config.auth_header.encode()):
                return _error(401, "unauthorized", "Thiếu hoặc sai thông tin xác thực")
        current = faults.settings
        if current.latency_ms:
            await asyncio.sleep(current.latency_ms / 1000)
        outcome = faults.draw()
        if outcome is Outcome.ERROR:
            return _error(500, "internal_error", "Lỗi hệ thống (mô phỏng)")
        if outcome is Outcome.HANG:
            await _hang(request, current.hang_ms / 1000)
        response = await call_next(request)
        if outcome is Outcome.MALFORMED:
            body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
            return Response(body[: max(1, len(body) // 2)], 200, media_type="application/json")
        return response

    return guard_api


def _api_routes(store: DossierStore, anchor: datetime) -> APIRouter:
    """The one-stop system's own API, and `/health`."""
    router = APIRouter()

    @router.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "dossiers": store.count, "anchor": anchor.isoformat()}

    @router.get("/api/dossiers/{code}", response_model=None)
    async def get_dossier(code: str) -> dict[str, Any] | JSONResponse:
        record = store.get(code)
        if record is None:
            return _error(404, "not_found", f"Không tìm thấy hồ sơ {code}")
        return record

    @router.get("/api/dossiers", response_model=None)
    async def list_dossiers(
        status: str | None = None,
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any] | JSONResponse:
        if status is not None and status not in STATUSES:
            return _error(422, "unknown_status", f"Trạng thái không hợp lệ: {status}")
        items, total = store.page(status=status, limit=limit, offset=offset)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @router.get("/api/changes")
    async def changes(
        since: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)
    ) -> dict[str, Any]:
        page, next_cursor = store.changes(since=since, limit=limit)
        return {"changes": page, "next_cursor": next_cursor}

    @router.post("/api/dossiers/{code}/transition", response_model=None)
    async def transition(code: str, body: TransitionBody) -> dict[str, Any] | JSONResponse:
        if store.get(code) is None:
            return _error(404, "not_found", f"Không tìm thấy hồ sơ {code}")
        try:
            return store.transition(code, body.status)
        except TransitionError as error:
            if error.unknown_status:
                return _error(422, "unknown_status", str(error))
            return _error(409, "transition_not_allowed", str(error))

    return router


def _sim_routes(store: DossierStore, faults: FaultInjector, config: SimConfig) -> APIRouter:
    """The tests' and the bench's controls: faults, reset, stats."""
    router = APIRouter(prefix="/_sim")

    @router.get("/faults")
    async def get_faults() -> dict[str, Any]:
        return faults.settings.to_json()

    @router.post("/faults", response_model=None)
    async def set_faults(body: FaultBody) -> dict[str, Any] | JSONResponse:
        try:
            faults.configure(FaultSettings(**body.model_dump()))
        except ValueError as error:
            return _error(422, "invalid_faults", str(error))
        return faults.settings.to_json()

    @router.post("/reset")
    async def reset() -> dict[str, Any]:
        store.reset()
        faults.configure(config.faults)
        faults.counts.clear()
        return {"status": "reset", "faults": faults.settings.to_json()}

    @router.get("/stats")
    async def stats() -> dict[str, Any]:
        return {"requests": dict(faults.counts), "changes": store.latest_cursor}

    return router
