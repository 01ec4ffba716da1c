"""`python -m notifier [--role all|watcher|sender]`: the watcher and sender loops.

`python -m notifier requeue --id 12 --id 13` (or `--error-code gave-up`, `--channel sms`,
`--since 2026-11-30`, `--all`) puts failed outbox rows back to be sent.
`python -m notifier purge [--days 90]` deletes inbound SMS, delivery records and code
challenges older than the retention now (the watcher also does it every hour).

Run one watcher and as many senders as needed (several sender processes share the
outbox on PostgreSQL; on SQLite run one). SIGTERM or SIGINT stops the loops gracefully:
the batch in hand is finished and recorded, then connections are closed. SIGKILL is
safe too (see notifier.dispatcher): nothing is lost and nothing accepted is resent.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from db import make_engine, make_session_factory
from notifier.clock import SystemClock
from notifier.config import NotifierConfig
from notifier.dispatcher import Dispatcher
from notifier.feed import OneStopFeed
from notifier.metrics import OutboxGauges, serve_metrics
from notifier.models import ChannelName
from notifier.senders.base import Sender, WebchatSender
from notifier.senders.telegram import TelegramSender
from notifier.senders.twilio import TwilioSender
from notifier.senders.zalo import ZaloSender
from notifier.upkeep import purge_once, purge_periodically, requeue_failed
from notifier.watcher import Watcher
from settings import Settings, get_settings
from settings.logs import configure_process_logging
from status_client.client import OneStopClient

__all__ = ["build_senders", "main", "purge", "requeue", "run"]

log = logging.getLogger("notifier")


def build_senders(settings: Settings, config: NotifierConfig) -> dict[ChannelName, Sender]:
    """One sender per channel, configured from the settings."""
    timeout = config.provider_timeout
    senders: list[Sender] = [
        TwilioSender(
            settings, rate=config.sms_rate, concurrency=config.send_concurrency, timeout=timeout
        ),
        TelegramSender(
            settings,
            rate=config.telegram_rate,
            chat_interval=config.telegram_chat_interval,
            concurrency=config.send_concurrency,
            timeout=timeout,
        ),
        ZaloSender(settings, rate=config.zalo_rate, timeout=timeout),
        WebchatSender(),
    ]
    return {sender.channel: sender for sender in senders}


async def run(role: str, settings: Settings) -> None:
    """Run the loops of `role` until SIGTERM/SIGINT."""
    config = NotifierConfig.from_settings(settings)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    loops: list[Coroutine[Any, Any, None]] = []
    onestop: OneStopClient | None = None
    dispatcher: Dispatcher | None = None
    if role in ("all", "watcher"):
        onestop = OneStopClient.from_settings(settings)
        watcher = Watcher(sessions, OneStopFeed(onestop), config=config)
        loops.append(watcher.run(stop))
        loops.append(
            purge_periodically(
                sessions,
                retention=timedelta(days=settings.notify_retention_days),
                interval=settings.notify_purge_interval_seconds,
                clock=SystemClock(),
                stop=stop,
            )
        )
    if role in ("all", "sender"):
        dispatcher = Dispatcher(sessions, build_senders(settings, config), config=config)
        loops.append(dispatcher.run(stop))
    if settings.notifier_metrics_port is not None:
        gauges = OutboxGauges(sessions, config)
        host, port = settings.notifier_metrics_host, settings.notifier_metrics_port
        loops.append(serve_metrics(gauges, stop, host=host, port=port))
    log.info("notifier %s started", role)
    try:
        await asyncio.gather(*loops)
    finally:
        if dispatcher is not None:
            await dispatcher.aclose()
        if onestop is not None:
            await onestop.aclose()
        engine.dispose()
        log.info("notifier %s stopped", role)


def requeue(arguments: argparse.Namespace, settings: Settings) -> int:
    """Put the failed rows the arguments select back into the outbox; return how many."""
    filters = (arguments.id, arguments.since, arguments.error_code, arguments.channel)
    if not arguments.all and not any(filters):
        raise SystemExit(
            "requeue: say which rows (--id, --since, --error-code, --channel) or --all"
        )
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            count = requeue_failed(
                session,
                now=SystemClock().now(),
                ids=arguments.id or (),
                since=arguments.since,
                error_code=arguments.error_code,
                channel=arguments.channel,
            )
    finally:
        engine.dispose()
    print(f"{count} failed row(s) put back in the outbox")
    return count


def purge(arguments: argparse.Namespace, settings: Settings) -> None:
    """Delete personal data older than the retention (`--days`, or the setting) now."""
    days = arguments.days or settings.notify_retention_days
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_factory(engine)
        purged = purge_once(sessions, now=SystemClock().now(), retention=timedelta(days=days))
    finally:
        engine.dispose()
    print(
        f"deleted {purged.inbound_sms} inbound SMS, {purged.deliveries} delivery records and "
        f"{purged.challenges} code challenges, erased {purged.surveys} survey addresses, "
        f"older than {days} days"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m notifier", description=__doc__)
    parser.add_argument("--role", choices=("all", "watcher", "sender"), default="all")
    commands = parser.add_subparsers(dest="command")
    again = commands.add_parser("requeue", help="put failed outbox rows back to be sent")
    again.add_argument("--id", type=int, action="append", help="an outbox row id (repeatable)")
    again.add_argument("--since", type=datetime.fromisoformat, help="rows queued from (UTC)")
    again.add_argument("--error-code", help="rows that failed with this code, e.g. gave-up")
    again.add_argument("--channel", choices=("sms", "telegram", "zalo", "webchat"))
    again.add_argument("--all", action="store_true", help="every failed row")
    cleanup = commands.add_parser("purge", help="delete personal data past its retention")
    cleanup.add_argument("--days", type=int, help="retention in days (NOTIFY_RETENTION_DAYS)")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run."""
    arguments = _parser().parse_args(argv)
    settings = get_settings()
    configure_process_logging(settings)
    if arguments.command == "requeue":
        requeue(arguments, settings)
        return
    if arguments.command == "purge":
        purge(arguments, settings)
        return
    asyncio.run(run(arguments.role, settings))


if __name__ == "__main__":
    main()
