"""PTB's `Application` inside the gateway (the custom-webhook pattern), started and
stopped with the gateway's lifespan.

Webhook mode: the gateway's own route (`bot.channels.telegram`) stores checked updates
(`store`) and answers at once; start-up registers the webhook (setWebhook with the
secret) and the command menu. Polling mode: PTB's updater calls getUpdates (it drops a
webhook first), and the first handler group stores each update — for development
without a public URL, in one gateway process. Either way the channel's worker
(`bot.channels.inbox_worker`) answers stored updates through the handlers, once, across
restarts and replicas. Telegram being unreachable at start-up never stops the gateway:
the channel keeps trying in the background; updates stored meanwhile wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.channels.inbox_worker import InboxWorker, process_owner
from bot.channels.telegram.handlers import TelegramHandlers
from bot.channels.telegram.models import TelegramUpdateClaim
from bot.channels.telegram.ordering import ChatOrderedProcessor
from bot.channels.telegram.replies import COMMANDS
from bot.channels.telegram.stored import TelegramUpdates
from bot.channels.turn import TurnRunner
from db.inbox import Inbox
from db.statements import StatementPool
from settings import Settings

__all__ = [
    "ALLOWED_UPDATES",
    "WEBHOOK_PATH",
    "TelegramChannel",
    "resolve_mode",
    "telegram_channel",
    "telegram_inbox",
]

log = logging.getLogger("bot.telegram")

WEBHOOK_PATH = "/webhooks/telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
# Updates answered at once: enough to keep every Rasa process busy; more only lengthens
# the event loop's queue, which the webhook's acknowledgements wait in.
CONCURRENT_UPDATES = 16
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


def resolve_mode(settings: Settings) -> str:
    """`webhook`, `polling` or `off`.

    `auto`: off under ENVIRONMENT=test (a test turns the channel on itself), else webhook
    when PUBLIC_BASE_URL is https, else polling (`make run` with the simulator).
    """
    if settings.telegram_mode != "auto":
        return settings.telegram_mode
    if settings.environment == "test":
        return "off"
    return "webhook" if settings.public_base_url.startswith("https://") else "polling"


def _application(settings: Settings, mode: str) -> Application:  # type: ignore[type-arg]
    base = (settings.telegram_base_url or "https://api.telegram.org").rstrip("/")
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{base}/bot")
        .request(HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES, read_timeout=10.0))
        .get_updates_request(HTTPXRequest(read_timeout=30.0))
        .concurrent_updates(ChatOrderedProcessor(CONCURRENT_UPDATES))
    )
    if mode == "webhook":
        builder = builder.updater(None)
    return builder.build()


def bot_id_of(token: str) -> int:
    """The bot's id: the number before the colon of its token (Telegram's own rule)."""
    number = token.split(":", 1)[0]
    if not number.isdigit():
        raise ValueError("TELEGRAM_BOT_TOKEN is not a bot token (<bot id>:<secret>)")
    return int(number)


def telegram_inbox(
    engine: AsyncEngine, statements: StatementPool, *, bot_id: int, owner: str, lease: timedelta
) -> Inbox:
    """The stored updates of bot `bot_id` only: another bot's gateway on the same database
    (a second bot, the bench's beside `make run`'s) answers its own with its own token."""
    return Inbox.of(
        TelegramUpdateClaim,
        engine=engine,
        statements=statements,
        stored=("bot_id", "update_id", "claimed_at", "payload"),
        conflict=("bot_id", "update_id"),
        received="claimed_at",
        owner=owner,
        lease=lease,
        only={"bot_id": bot_id},
    )


def _inbox(settings: Settings, engine: AsyncEngine, statements: StatementPool) -> Inbox:
    return telegram_inbox(
        engine,
        statements,
        bot_id=bot_id_of(settings.telegram_bot_token.get_secret_value()),
        owner=process_owner(),
        lease=timedelta(seconds=settings.channel_update_lease_seconds),
    )


class TelegramChannel:
    """The running bot: `store` takes a checked update, the worker answers it."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: AsyncEngine,
        statements: StatementPool,
        turns: TurnRunner,
    ) -> None:
        self.mode = resolve_mode(settings)
        self.settings = settings
        self.secret = settings.telegram_webhook_secret.get_secret_value()
        self.bot_id = bot_id_of(settings.telegram_bot_token.get_secret_value())
        self.application = _application(settings, self.mode)
        handlers = TelegramHandlers(store=self.store, turns=turns)
        handlers.install(self.application)
        retention = timedelta(days=settings.notify_retention_days)
        self.worker = InboxWorker(
            _inbox(settings, engine, statements),
            TelegramUpdates(self.application),
            name="telegram",
            retention=retention,
            first_retry=timedelta(seconds=settings.channel_retry_first_seconds),
            concurrency=settings.channel_worker_concurrency,
        )
        self.ready = asyncio.Event()
        self._bring_up: asyncio.Task[None] | None = None

    async def store(self, update_id: int, payload: str) -> bool:
        """Store one checked update for the worker; False when it was stored before."""
        values = {
            "bot_id": self.bot_id,
            "update_id": update_id,
            "claimed_at": datetime.now(UTC),
            "payload": payload,
        }
        stored = await self.worker.inbox.store(values)
        if stored:
            self.worker.wake()
        return stored

    def start(self) -> None:
        """Bring the bot up in the background (retrying while Telegram is unreachable);
        the worker starts answering stored updates once it is up."""
        self._bring_up = asyncio.create_task(self._start_when_reachable())
        self.worker.start(ready=self.ready)

    async def _start_when_reachable(self) -> None:
        for attempt in range(10**9):
            try:
                await self._start_once()
                return
            except Exception as error:  # unreachable, refused token, bad webhook URL
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning(
                    "Telegram channel not started (%s: %s); retrying in %g s",
                    type(error).__name__,
                    error,
                    delay,
                )
                await asyncio.sleep(delay)

    async def _start_once(self) -> None:
        application = self.application
        await application.initialize()
        bot = application.bot
        await bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS])
        if self.mode == "webhook":
            url = self.settings.public_base_url.rstrip("/") + WEBHOOK_PATH
            await bot.set_webhook(url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES)
        await application.start()
        if self.mode == "polling" and application.updater is not None:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=10)
        self.ready.set()
        log.info("Telegram channel up (%s) as @%s", self.mode, bot.username)

    async def stop(self) -> None:
        """Stop polling and processing; the webhook stays registered for other replicas."""
        if self._bring_up is not None and not self._bring_up.done():
            self._bring_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._bring_up
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        await self.worker.stop()  # updates under way end, or are left for later
        if application.running:
            await application.stop()
        try:
            await application.shutdown()
        except Exception as error:  # shutting down anyway
            log.warning("Telegram application shut down uncleanly: %s", type(error).__name__)


@contextlib.asynccontextmanager
async def telegram_channel(
    settings: Settings, *, engine: AsyncEngine, statements: StatementPool, turns: TurnRunner
) -> AsyncIterator[TelegramChannel | None]:
    """The channel for the gateway's lifespan; None when TELEGRAM_MODE is off."""
    if resolve_mode(settings) == "off":
        yield None
        return
    channel = TelegramChannel(settings, engine=engine, statements=statements, turns=turns)
    channel.start()
    try:
        yield channel
    finally:
        await channel.stop()
