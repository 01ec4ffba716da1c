"""Lookup quotas: how many distinct dossiers one client, one conversation and everyone
together may look up in a window, so that walking the dense daily codes does not pay.

Every lookup of a well-formed code counts, found or not, before the one-stop system is
asked. Looking the same dossier up again does not use more of the quota (it reveals
nothing new, and a citizen re-checks their own dossier all day). Counting happens in one
step over every scope (`QuotaStore.admit`): a refused lookup uses up nothing.

Scopes (defaults in `settings.Settings`, see README "Lookup limits"):

- `client`: the address the gateway saw (the web chat's client IP, `sms:<From>`);
  rotating sender ids from one address does not reset it.
- `conversation`: the Rasa sender id.
- `global`: everybody; reaching it is an anomaly (a walker spread over many addresses)
  and is logged as a warning.

Clients named in `unlimited_clients` (a load test's own address; an entry ending in `*`
names every client starting with what precedes it, e.g. `sms:*`) skip every scope.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from status_client.resilience import Clock

__all__ = ["InMemoryQuotaStore", "LookupQuota", "QuotaRule", "QuotaStore", "Scope"]

logger = logging.getLogger(__name__)

ALERT_INTERVAL_SECONDS = 60.0


class Scope(StrEnum):
    """Who a quota counts for."""

    CLIENT = "client"
    CONVERSATION = "conversation"
    GLOBAL = "global"


@dataclass(frozen=True, slots=True)
class QuotaRule:
    """At most `limit` distinct dossiers per key in `window` seconds (0: no limit)."""

    key: str
    limit: int
    window: float


class QuotaStore(Protocol):
    """Where the dossiers looked up per key live (in process, or Redis)."""

    async def admit(self, rules: Sequence[QuotaRule], member: str, at: float) -> int:
        """Count `member` under every rule and return -1, or leave all untouched and
        return the index of the first rule it would exceed."""
        ...


class InMemoryQuotaStore:
    """Dossiers seen per key in this process (oldest first), with a bound on the keys."""

    def __init__(self, *, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self._seen: OrderedDict[str, OrderedDict[str, float]] = OrderedDict()

    def _recent(self, rule: QuotaRule, at: float) -> OrderedDict[str, float]:
        seen = self._seen.get(rule.key)
        if seen is None:
            return OrderedDict()
        while seen and next(iter(seen.values())) <= at - rule.window:
            seen.popitem(last=False)
        return seen

    async def admit(self, rules: Sequence[QuotaRule], member: str, at: float) -> int:
        recent = [self._recent(rule, at) for rule in rules]
        for index, (rule, seen) in enumerate(zip(rules, recent, strict=True)):
            if rule.limit > 0 and member not in seen and len(seen) >= rule.limit:
                return index
        for rule, seen in zip(rules, recent, strict=True):
            seen.pop(member, None)
            seen[member] = at
            self._seen[rule.key] = seen
            self._seen.move_to_end(rule.key)
        while len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
        return -1


class LookupQuota:
    """Distinct dossiers per client, per conversation and overall, in one window."""

    def __init__(
        self,
        store: QuotaStore | None = None,
        *,
        per_client: int = 20,
        per_conversation: int = 10,
        overall: int = 3000,
        window: float = 3600.0,
        unlimited_clients: Collection[str] = (),
        clock: Clock = time.monotonic,
    ) -> None:
        self.store: QuotaStore = store or InMemoryQuotaStore()
        self.limits = {
            Scope.CLIENT: per_client,
            Scope.CONVERSATION: per_conversation,
            Scope.GLOBAL: overall,
        }
        self.window = window
        self.unlimited_clients = frozenset(unlimited_clients)
        self._clock = clock
        self._alerted_at = float("-inf")

    def unlimited(self, client: str) -> bool:
        """True when `client` is exempt from the quotas (`unlimited_clients`)."""
        if client in self.unlimited_clients:
            return True
        return any(
            entry.endswith("*") and client.startswith(entry[:-1])
            for entry in self.unlimited_clients
        )

    async def admit(self, dossier_code: str, *, client: str, conversation: str) -> Scope | None:
        """Count a lookup of `dossier_code`; the scope over its quota, or None when allowed."""
        if self.unlimited(client):
            return None
        keys = {
            Scope.CLIENT: f"client:{client}",
            Scope.CONVERSATION: f"conversation:{conversation}",
            Scope.GLOBAL: "global",
        }
        scopes = list(keys)
        rules = [QuotaRule(keys[scope], self.limits[scope], self.window) for scope in scopes]
        now = self._clock()
        refused = await self.store.admit(rules, dossier_code, now)
        if refused < 0:
            return None
        scope = scopes[refused]
        if scope is Scope.GLOBAL and now - self._alerted_at >= ALERT_INTERVAL_SECONDS:
            self._alerted_at = now
            logger.warning(
                "lookup anomaly: %d distinct dossiers looked up in %d minutes; refusing more",
                self.limits[scope],
                round(self.window / 60),
            )
        return scope
