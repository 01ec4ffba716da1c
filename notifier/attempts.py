"""One leased row at its provider: reconcile, send inside the lease, decide what follows.

Every provider call is cut at `NOTIFY_PROVIDER_TIMEOUT_SECONDS` (whatever the provider
library's own timeouts and retries would allow), and a send starts only while that much
of the lease is left: a row is never at the provider after its lease ended, so a second
sender that re-claims it cannot send it again behind our back. `NotifierConfig` refuses a
lease shorter than the calls one row may make.

Faults that are ours (a provider's rate limit, rotated credentials, a send postponed for
want of lease) are retried without counting an attempt; other faults count. Nothing is
given up for a number of attempts: a row still unsent `NOTIFY_GIVE_UP_HOURS` after it was
queued is marked failed and logged as an ERROR alert; `python -m notifier requeue` puts
it back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from notifier.clock import Clock
from notifier.config import NotifierConfig
from notifier.exceptions import (
    DeferredSendError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage
from notifier.outcomes import Outcome
from notifier.ratelimit import RateLimiter
from notifier.senders.base import Sender

__all__ = ["Attempts"]

log = logging.getLogger("notifier.dispatcher")


class Attempts:
    """Sends claimed rows one at a time and says what became of each."""

    def __init__(
        self,
        config: NotifierConfig,
        clock: Clock,
        limiters: Mapping[ChannelName, RateLimiter],
        known: Callable[[list[str]], Awaitable[set[str]]],
    ) -> None:
        self._config = config
        self._clock = clock
        self._limiters = limiters
        self._known = known

    def retry(
        self, message: ClaimedMessage, error: TransientSendError | None, *, uncertain: bool
    ) -> Outcome:
        """Try `message` again later, or give it up when it has waited too long."""
        now = self._clock.now()
        waited = now - message.queued_at
        if waited >= self._config.give_up_after:
            log.error(
                "ALERT: outbox row %d (%s, %s) given up, unsent %s after it was queued "
                "(last error: %s); `python -m notifier requeue --id %d` sends it again",
                message.id, message.channel, message.purpose, waited, error, message.id,
            )  # fmt: skip
            return Outcome(
                message.id,
                "failed",
                error_code="gave-up",
                error_message=f"gave up after {waited} and {message.attempts} attempts: {error}",
            )
        # Our faults (no error: postponed by us) do not count, nor grow the back-off.
        counted = error is not None and not isinstance(error, DeferredSendError)
        after = error.retry_after if error and error.retry_after else None
        failures = max(1, message.attempts - (0 if counted else 1))
        backoff = self._config.retry_base * 2 ** min(30, failures - 1)
        delay = after if after is not None else min(self._config.retry_max, backoff)
        return Outcome(
            message.id,
            "retry",
            error_code=error.code if error else None,
            error_message=str(error) if error else None,
            retry_at=now + timedelta(seconds=delay),
            uncertain=uncertain,
            counted=counted,
        )

    async def _reconcile(self, message: ClaimedMessage, sender: Sender) -> Outcome | None:
        """The row as sent when an earlier attempt got through; else None (send it)."""
        try:
            async with asyncio.timeout(self._config.provider_timeout):
                candidates = await sender.find_candidates(message)
        except TimeoutError:
            log.warning("cannot reconcile row %d yet: the provider did not answer", message.id)
            silent = TransientSendError("reconciliation lookup timed out")
            return self.retry(message, silent, uncertain=True)
        except TransientSendError as error:
            log.warning("cannot reconcile row %d yet: %s", message.id, error)
            return self.retry(message, error, uncertain=True)
        except Exception as error:
            log.exception("row %d: unexpected error while reconciling", message.id)
            unexpected = TransientSendError(f"unexpected {type(error).__name__}")
            return self.retry(message, unexpected, uncertain=True)
        known = await self._known(candidates) if candidates else set()
        found = next((sid for sid in candidates if sid not in known), None)
        if found is None:
            return None
        log.warning("row %d was accepted before as %s; not resending", message.id, found)
        return Outcome(message.id, "sent", provider_id=found, channel=message.channel)

    async def handle(self, message: ClaimedMessage, sender: Sender) -> Outcome:
        """Reconcile if needed, then send `message` once within its lease."""
        if message.outcome_unknown:
            reconciled = await self._reconcile(message, sender)
            if reconciled is not None:
                return reconciled
        limiter = self._limiters[message.channel]
        await limiter.acquire()
        if self._clock.now() + self._config.send_margin >= message.lease_until:
            # Too close to the lease's end to call the provider safely: try later.
            return self.retry(message, None, uncertain=False)
        try:
            async with asyncio.timeout(self._config.provider_timeout):
                provider_id = await sender.send(message)
        except UncertainSendError as error:
            log.warning("row %d: outcome unknown: %s", message.id, error)
            return self.retry(message, error, uncertain=True)
        except TimeoutError:
            log.warning("row %d: no answer within the provider timeout", message.id)
            silent = UncertainSendError("no answer within NOTIFY_PROVIDER_TIMEOUT_SECONDS")
            return self.retry(message, silent, uncertain=True)
        except TransientSendError as error:
            if error.retry_after:
                limiter.pause(error.retry_after)
            log.info("row %d: provider refused for now: %s", message.id, error)
            return self.retry(message, error, uncertain=False)
        except PermanentSendError as error:
            log.warning("row %d: permanently refused: %s", message.id, error)
            return Outcome(message.id, "failed", error_code=error.code, error_message=str(error))
        except Exception as error:
            # A sender bug must not stop the loop; the attempt may have gone out.
            log.exception("row %d: unexpected error while sending", message.id)
            unexpected = UncertainSendError(f"unexpected {type(error).__name__}: {error}")
            return self.retry(message, unexpected, uncertain=True)
        return Outcome(message.id, "sent", provider_id=provider_id, channel=message.channel)
