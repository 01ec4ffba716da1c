"""The gateway's ASGI app: `create_app(settings, *, ...)` builds it; `app` is what uvicorn serves.

uvicorn bot.app:app --host 127.0.0.1 --port 8000

Everything the routes use is made here and handed to them through `app.state` (read by
`bot.deps`): the Rasa pool, the database session factory, the one-stop client, the
inbound SMS handler, the Telegram channel (python-telegram-bot, started and stopped with
the app), the web chat's cookie identity, client addresses and rate limiters.
A caller (a test, another host) passes its own through `create_app`'s keyword
arguments; what it does not pass is built from `settings` (and what is built at start-up
is closed at shut-down). Routes never build anything themselves.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from bot import health, metrics
from bot.channels import channel_routers
from bot.channels.sender_limit import SenderLimit
from bot.channels.sms.inbound import DossierSource, InboundSmsHandler
from bot.channels.sms.inbound_log import open_inbound_log
from bot.channels.telegram import telegram_channel
from bot.channels.turn import TurnRunner
from bot.channels.zalo_inbox import zalo_events
from bot.channels.zalo_oa_client import ZaloOutbound
from bot.chat_limits import ChatRateLimiter
from bot.client_address import ClientAddresses
from bot.errors import install_error_handlers
from bot.observability import RequestIdMiddleware, configure_logging
from bot.openapi import install_openapi
from bot.rasa_client import RasaClient, rasa_timeout
from bot.rasa_pool import RasaPool
from bot.web_identity import WebIdentity
from console.routes import console_routers
from console.startup import create_first_admin
from db import make_async_engine, make_engine, make_session_factory
from db.statements import StatementPool, open_statement_pool
from dossier_lookup.build import quota_from_settings
from notifier.clock import SystemClock
from office_figures.questions import question_flusher
from settings import Settings, get_settings
from status_client.client import OneStopClient

__all__ = ["app", "create_app"]

# Enough keep-alive connections for many concurrent senders without reconnecting.
RASA_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=64, keepalive_expiry=60)


async def _rasa_pool(
    settings: Settings, clients: AsyncExitStack, transport: httpx.AsyncBaseTransport | None
) -> RasaPool:
    """One keep-alive client per Rasa process, closed with `clients`."""
    rasa_clients = []
    for url in settings.rasa_url_list():
        http = httpx.AsyncClient(
            base_url=url,
            timeout=rasa_timeout(settings.rasa_timeout_seconds),
            limits=RASA_LIMITS,
            transport=transport,
        )
        rasa_clients.append(RasaClient(await clients.enter_async_context(http)))
    return RasaPool(rasa_clients)


async def _health_probe(
    settings: Settings,
    clients: AsyncExitStack,
    transport: httpx.AsyncBaseTransport | None,
    *,
    rasa: RasaPool,
    engine: Engine,
) -> health.HealthProbe:
    """The /health probe, on its own short-timeout client (closed with `clients`)."""
    timeout = httpx.Timeout(health.PART_TIMEOUT_SECONDS)
    http = await clients.enter_async_context(
        httpx.AsyncClient(timeout=timeout, transport=transport)
    )
    return health.HealthProbe(
        rasa=rasa,
        http=http,
        action_server_url=settings.action_server_url,
        engine=engine,
        operator_token=settings.health_token,
    )


def _one_stop(
    settings: Settings, clients: AsyncExitStack, onestop: DossierSource | None
) -> DossierSource:
    """The caller's one-stop source, else a client made from `settings` (closed with `clients`)."""
    if onestop is not None:
        return onestop
    own = OneStopClient.from_settings(settings)
    clients.push_async_callback(own.aclose)
    return own


async def _chat_channels(
    app: FastAPI,
    settings: Settings,
    clients: AsyncExitStack,
    *,
    engine: AsyncEngine,
    statements: StatementPool,
) -> None:
    """Zalo and Telegram, each with the worker answering its stored updates (all of it
    stopped with `clients`: the workers first, then the Zalo client)."""
    app.state.zalo = ZaloOutbound.from_settings(settings, app.state.sessions)
    clients.push_async_callback(app.state.zalo.aclose)
    app.state.zalo_events = await clients.enter_async_context(
        zalo_events(
            settings,
            turns=app.state.turns,
            outbound=app.state.zalo,
            engine=engine,
            statements=statements,
        )
    )
    app.state.telegram = await clients.enter_async_context(
        telegram_channel(settings, engine=engine, statements=statements, turns=app.state.turns)
    )


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def _lifespan(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None,
    sessions: sessionmaker[Session] | None,
    onestop: DossierSource | None,
) -> Lifespan:
    """What the app opens at start-up and closes at shut-down (see `create_app`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        # The webhooks' statements run on the event loop (see bot.channels.sms.inbound),
        # each webhook's one hot statement on `statements` (db.statements).
        async_engine = make_async_engine(settings.database_url)
        statements = await open_statement_pool(settings.database_url, async_engine)
        # The engines close after everything `clients` closes: the channels' workers still
        # write at their stop (rows given back), and an aiosqlite connection opened on a
        # disposed engine is never closed (its thread then keeps the process from exiting).
        try:
            async with AsyncExitStack() as clients:
                app.state.rasa = await _rasa_pool(settings, clients, transport)
                app.state.turns = TurnRunner(app.state.rasa, app.state.sender_limit)
                app.state.health = await _health_probe(
                    settings, clients, transport, rasa=app.state.rasa, engine=engine
                )
                app.state.sessions = sessions or make_session_factory(engine)
                await clients.enter_async_context(
                    question_flusher(app.state.turns.questions, app.state.sessions)
                )
                await run_in_threadpool(create_first_admin, settings, app.state.sessions)
                dossiers = app.state.onestop = _one_stop(settings, clients, onestop)
                app.state.sms_handler = InboundSmsHandler(
                    engine=async_engine,
                    claims=open_inbound_log(statements, async_engine.dialect.name),
                    dossiers=dossiers,
                    clock=SystemClock(),
                    diacritics=settings.sms_diacritics,
                    quota=quota_from_settings(settings),
                )
                await _chat_channels(
                    app, settings, clients, engine=async_engine, statements=statements
                )
                # Everything made so far lives as long as the process: keep it out of the
                # collector's full passes, which otherwise stall requests under load.
                gc.freeze()
                yield
        finally:
            engine.dispose()
            await statements.aclose()
            await async_engine.dispose()

    return lifespan


def create_app(
    settings: Settings | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    sessions: sessionmaker[Session] | None = None,
    onestop: DossierSource | None = None,
    chat_limiter: ChatRateLimiter | None = None,
    notifications_limiter: ChatRateLimiter | None = None,
    sender_limit: SenderLimit | None = None,
) -> FastAPI:
    """Build the gateway.

    `transport` replaces the network to Rasa and the action server; `sessions` and
    `onestop` replace the database session factory and the one-stop client (tests pass
    fakes); `chat_limiter` the per-address limit of `/api/chat`, `notifications_limiter`
    that of its notifications' reads, and `sender_limit` the per-sender limit of the
    other channels (a test's own clock).
    Whatever is not given is made from `settings`.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings)

    lifespan = _lifespan(settings, transport=transport, sessions=sessions, onestop=onestop)
    app = FastAPI(
        title="Trợ lý một cửa",
        summary="Gateway of the one-stop citizen assistant",
        version="0.1.0",
        lifespan=lifespan,
        # No /docs, /redoc or /openapi.json in production: the API is not a public product.
        openapi_url=None if settings.environment == "production" else "/openapi.json",
    )
    app.state.settings = settings
    app.state.web_identity = WebIdentity.from_secret(
        settings.webchat_cookie_secret.get_secret_value(),
        public_base_url=settings.public_base_url,
    )
    app.state.client_addresses = ClientAddresses(settings.trusted_proxies)
    app.state.chat_limiter = chat_limiter or ChatRateLimiter(settings.chat_rate_per_minute)
    app.state.notifications_limiter = notifications_limiter or ChatRateLimiter(
        settings.chat_notifications_rate_per_minute
    )
    app.state.sender_limit = sender_limit or SenderLimit(settings.channel_sender_rate_per_minute)
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(metrics.metrics_middleware)
    app.include_router(health.router)
    app.include_router(metrics.router)
    for router in [*channel_routers(), *console_routers()]:
        app.include_router(router)
    return app


app = create_app()
