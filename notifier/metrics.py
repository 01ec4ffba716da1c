"""The notifier's Prometheus metrics, served on `NOTIFIER_METRICS_PORT` (off when unset).

- `notifier_sends_total{channel, outcome}`: what became of each claimed row (`sent`,
  `retry`, `failed`, `suppressed`), counted by the dispatcher.
- `notifier_outbox_open{channel}`: rows not final yet (pending or being sent), and
  `notifier_outbox_oldest_open_age_seconds`: how long the oldest of them has waited
  (0 when none). Both from one cheap query every `REFRESH_SECONDS`.
- `notifier_quiet_hours_active` (1 inside the window) and `notifier_quiet_hours_held`:
  non-urgent SMS rows that are due but wait for the window to end.

Labels are channels and outcomes only: never an address, a dossier code or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client import Counter, Gauge
from sqlalchemy import Select, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from metrics import serve_http
from notifier.clock import Clock, SystemClock
from notifier.config import NotifierConfig
from notifier.models import OPEN_STATES, ChannelName, OutboxMessage, OutboxState
from notifier.outbox import ClaimedMessage
from notifier.outcomes import Outcome

__all__ = ["OutboxGauges", "count_outcomes", "serve_metrics"]

log = logging.getLogger("notifier.metrics")

# Prometheus scrapes every 15 s by default; the gauges are at most this old.
REFRESH_SECONDS = 15.0

SENDS = Counter(
    "notifier_sends", "Claimed outbox rows by channel and outcome.", ["channel", "outcome"]
)
OPEN = Gauge("notifier_outbox_open", "Outbox rows not final yet, by channel.", ["channel"])
OLDEST_AGE = Gauge(
    "notifier_outbox_oldest_open_age_seconds", "Age of the oldest outbox row not final yet."
)
QUIET_ACTIVE = Gauge("notifier_quiet_hours_active", "1 while the SMS quiet hours are on.")
QUIET_HELD = Gauge(
    "notifier_quiet_hours_held", "Non-urgent SMS rows due but held until quiet hours end."
)


def count_outcomes(batch: Iterable[ClaimedMessage], outcomes: Iterable[Outcome]) -> None:
    """Count each outcome of a claimed batch under its row's channel."""
    channels = {message.id: message.channel for message in batch}
    for outcome in outcomes:
        SENDS.labels(str(channels.get(outcome.message_id, "unknown")), outcome.kind).inc()


class OutboxGauges:
    """Refreshes the outbox gauges from the database."""

    def __init__(
        self, sessions: Callable[[], Session], config: NotifierConfig, clock: Clock | None = None
    ) -> None:
        self._sessions = sessions
        self._config = config
        self._clock = clock or SystemClock()
        self._channels: set[str] = set()  # every channel reported so far (0 when emptied)

    def refresh(self) -> None:
        """Read the open rows by channel, the oldest one's age and the held SMS."""
        now = self._clock.now()
        quiet = self._config.quiet_hours.is_quiet(now)
        open_rows = OutboxMessage.state.in_(OPEN_STATES)
        with self._sessions() as session:
            counts = session.execute(
                select(OutboxMessage.channel, func.count())
                .where(open_rows)
                .group_by(OutboxMessage.channel)
            )
            by_channel: dict[str, int] = {str(channel): count for channel, count in counts}
            oldest = session.scalar(
                select(OutboxMessage.created_at)
                .where(open_rows)
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            held = session.scalar(_held_sms(now)) if quiet else 0
        self._channels.update(by_channel)
        for channel in self._channels:
            OPEN.labels(channel).set(by_channel.get(channel, 0))
        OLDEST_AGE.set(_age_seconds(oldest, now))
        QUIET_ACTIVE.set(1 if quiet else 0)
        QUIET_HELD.set(held or 0)

    async def run(self, stop: asyncio.Event, every: float = REFRESH_SECONDS) -> None:
        """Refresh every `every` seconds until `stop`; a database outage only logs."""
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.refresh)
            except SQLAlchemyError as error:
                log.warning("outbox gauges not refreshed: %s", error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)


def _held_sms(now: datetime) -> Select[tuple[int]]:
    return select(func.count()).where(
        OutboxMessage.channel == ChannelName.SMS,
        OutboxMessage.state == OutboxState.PENDING,
        OutboxMessage.available_at <= now,
        ~OutboxMessage.urgent,
    )


def _age_seconds(created_at: datetime | None, now: datetime) -> float:
    return max(0.0, (now - created_at).total_seconds()) if created_at else 0.0


async def serve_metrics(gauges: OutboxGauges, stop: asyncio.Event, *, host: str, port: int) -> None:
    """Serve /metrics on `host:port` and keep the gauges fresh until `stop`."""
    bound, stop_serving = serve_http(host, port)
    log.info("metrics at http://%s:%d/metrics", host, bound)
    try:
        await gauges.run(stop)
    finally:
        stop_serving()
