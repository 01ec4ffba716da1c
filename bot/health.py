"""`GET /health`: 200 only when every Rasa process, the action server and the database answer.

The public answer says only which parts are up or down. Latencies and why a part is down
(exception texts, Rasa's greeting with its version) are for operators: they send the
`HEALTH_TOKEN` setting's value in the `X-Health-Token` header.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, SecretStr
from sqlalchemy import Engine, text

from bot.rasa_client import RasaClient
from bot.rasa_pool import RasaPool

__all__ = [
    "OPERATOR_HEADER",
    "HealthProbe",
    "HealthReport",
    "PartStatus",
    "PublicHealth",
    "PublicPart",
    "router",
]

log = logging.getLogger("bot.health")
router = APIRouter(tags=["health"])

# Each part must answer well within a load balancer's probe interval.
PART_TIMEOUT_SECONDS = 2.0
OPERATOR_HEADER = "X-Health-Token"


class PartStatus(BaseModel):
    """One dependency's state: up or down, how long it took, why it is down."""

    status: str
    latency_ms: float
    detail: str | None = None


class HealthReport(BaseModel):
    """Every part's state; `down` names the parts that did not answer (operators' view)."""

    status: str
    parts: dict[str, PartStatus]
    down: list[str]

    def public(self) -> PublicHealth:
        """The same answer without latencies and reasons."""
        parts = {name: PublicPart(status=part.status) for name, part in self.parts.items()}
        return PublicHealth(status=self.status, parts=parts, down=self.down)


class PublicPart(BaseModel):
    """One dependency's state as anyone may see it: up or down."""

    status: str


class PublicHealth(BaseModel):
    """What `/health` tells a caller without the operator token."""

    status: str
    parts: dict[str, PublicPart]
    down: list[str]


@dataclass
class HealthProbe:
    """Checks the gateway's dependencies with short timeouts, all at once."""

    rasa: RasaPool
    http: httpx.AsyncClient
    action_server_url: str
    engine: Engine
    timeout_seconds: float = PART_TIMEOUT_SECONDS
    # Callers presenting it (OPERATOR_HEADER) get the detailed report; None: nobody does.
    operator_token: SecretStr | None = None

    def is_operator(self, presented: str | None) -> bool:
        """True when `presented` is the operator token (compared in constant time)."""
        if self.operator_token is None or not presented:
            return False
        expected = self.operator_token.get_secret_value().encode()
        return hmac.compare_digest(presented.encode(), expected)

    async def report(self) -> HealthReport:
        """Probe every part concurrently."""
        checks: dict[str, Callable[[], Awaitable[str | None]]] = {
            name: self._rasa_check(client)
            for name, client in zip(self.rasa.part_names(), self.rasa.clients, strict=True)
        }
        checks["action_server"] = self._action_server
        checks["database"] = self._database
        results = await asyncio.gather(*(self._timed(check) for check in checks.values()))
        parts = dict(zip(checks, results, strict=True))
        down = [name for name, part in parts.items() if part.status != "up"]
        return HealthReport(status="down" if down else "ok", parts=parts, down=down)

    async def _timed(self, check: Callable[[], Awaitable[str | None]]) -> PartStatus:
        started = time.perf_counter()
        try:
            detail = await asyncio.wait_for(check(), self.timeout_seconds)
            status = "up"
        except TimeoutError:
            status, detail = "down", f"no answer within {self.timeout_seconds:g} s"
        except Exception as error:  # noqa: BLE001 - any failure means this part is down
            status, detail = "down", f"{type(error).__name__}: {error}"[:300]
        latency = round((time.perf_counter() - started) * 1000, 1)
        return PartStatus(status=status, latency_ms=latency, detail=detail)

    def _rasa_check(self, client: RasaClient) -> Callable[[], Awaitable[str | None]]:
        async def check() -> str | None:
            return await client.ping(timeout=self.timeout_seconds)

        return check

    async def _action_server(self) -> str | None:
        response = await self.http.get(f"{self.action_server_url.rstrip('/')}/health")
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return None

    async def _database(self) -> str | None:
        await asyncio.to_thread(_select_one, self.engine)
        return None


def _select_one(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@router.get(
    "/health",
    response_model=PublicHealth | HealthReport,
    responses={503: {"model": PublicHealth | HealthReport}},
    openapi_extra={
        "parameters": [
            {
                "name": OPERATOR_HEADER,
                "in": "header",
                "required": False,
                "description": "HEALTH_TOKEN: latencies and reasons (the operators' view)",
                "schema": {"type": "string", "maxLength": 256},
            }
        ]
    },
)
async def health(request: Request) -> JSONResponse:
    """Report each dependency; 503 naming the parts that are down (details for operators)."""
    probe: HealthProbe = request.app.state.health
    report = await probe.report()
    if report.down:
        log.warning("health check failed: %s down", ", ".join(report.down))
    operator = probe.is_operator(request.headers.get(OPERATOR_HEADER))
    body = report if operator else report.public()
    return JSONResponse(body.model_dump(), status_code=503 if report.down else 200)
