"""The Twilio simulator's ASGI app: Twilio's Messages API plus the `/_sim` test routes."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from simulators import sim_admin
from simulators.sim_app import simulator_app
from simulators.twilio import admin, api
from simulators.twilio.config import TwilioSimConfig, load_config
from simulators.twilio.state import SimulatorState

__all__ = ["create_app"]


def create_app(
    config: TwilioSimConfig | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """Build the simulator app; settings from the environment unless given.

    `transport` replaces the network its webhooks and callbacks go out on (a test's own).
    """
    state = SimulatorState(config or load_config())

    app = simulator_app(
        "Twilio Messages API simulator",
        state,
        [api.router, admin.router, sim_admin.router],
        with_client=lambda app, client: setattr(app.state, "http", client),
        transport=transport,
    )

    @app.exception_handler(StarletteHTTPException)
    async def twilio_shaped_http_error(
        request: Request, error: StarletteHTTPException
    ) -> JSONResponse:
        if request.url.path.startswith("/_sim"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        if error.status_code == 404:
            message = f"The requested resource {request.url.path} was not found"
            return api.twilio_error(404, 20404, message)
        return api.twilio_error(error.status_code, 20000 + error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # The errors carry the input, which may be bytes (a body that is not JSON at all).
        return JSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=400)

    return app
