"""The gateway's ASGI app: `create_app()` builds it; `app` is what uvicorn serves.

uvicorn bot.app:app --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI

from bot import health
from bot.channels import channel_routers
from bot.errors import install_error_handlers
from bot.observability import RequestIdMiddleware, configure_logging
from bot.rasa_client import RasaClient, rasa_timeout
from bot.rasa_pool import RasaPool
from db import make_async_engine, make_engine, make_session_factory
from notifier.inbound_log import open_inbound_log
from settings import Settings, get_settings
from status_client.client import OneStopClient

__all__ = ["app", "create_app"]

# Enough keep-alive connections for many concurrent senders without reconnecting.
RASA_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=64, keepalive_expiry=60)


def create_app(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """Build the gateway; `transport` replaces the network to Rasa and the action server (tests)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        # The SMS webhook's statements run on the event loop (see notifier.inbound).
        app.state.async_engine = async_engine = make_async_engine(settings.database_url)
        app.state.inbound_log = await open_inbound_log(settings.database_url, async_engine)
        async with AsyncExitStack() as clients:
            rasa_clients = [
                RasaClient(
                    await clients.enter_async_context(
                        httpx.AsyncClient(
                            base_url=url,
                            timeout=rasa_timeout(settings.rasa_timeout_seconds),
                            limits=RASA_LIMITS,
                            transport=transport,
                        )
                    )
                )
                for url in settings.rasa_url_list()
            ]
            probe_http = await clients.enter_async_context(
                httpx.AsyncClient(
                    timeout=httpx.Timeout(health.PART_TIMEOUT_SECONDS), transport=transport
                )
            )
            app.state.rasa = RasaPool(rasa_clients)
            app.state.health = health.HealthProbe(
                rasa=app.state.rasa,
                http=probe_http,
                action_server_url=settings.action_server_url,
                engine=engine,
            )
            # The database and the one-stop client for the routes that use them directly
            # (SMS, web chat notifications). What a caller put in app.state before
            # start-up (tests: fakes) is kept; only what is made here is closed here.
            own_sessions = getattr(app.state, "sessions", None) is None
            if own_sessions:
                app.state.sessions = make_session_factory(engine)
            onestop: OneStopClient | None = None
            if getattr(app.state, "onestop", None) is None:
                onestop = app.state.onestop = OneStopClient.from_settings(settings)
            # Everything made so far lives as long as the process: keep it out of the
            # collector's full passes, which otherwise stall requests under load.
            gc.freeze()
            try:
                yield
            finally:
                if onestop is not None:
                    await onestop.aclose()
                    # The SMS handler was built around the client just closed.
                    app.state.onestop = app.state.sms_handler = None
                if own_sessions:
                    app.state.sessions = None
                engine.dispose()
                await app.state.inbound_log.aclose()
                await async_engine.dispose()

    app = FastAPI(
        title="Trợ lý một cửa",
        summary="Gateway of the one-stop citizen assistant",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    for router in channel_routers():
        app.include_router(router)
    return app


app = create_app()
