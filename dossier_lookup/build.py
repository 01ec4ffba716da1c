"""The lookup service and its limits as the settings describe them.

With `LOOKUP_LIMITER_REDIS_URL` set, every count (failed lookups, quotas, dossier
lock-outs) lives in that one Redis, shared by the action-server replicas and the
gateway's SMS path, on wall-clock time; unset, each process counts its own.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.limiter_redis import RedisFailureStore, limits_redis
from dossier_lookup.lockout import DossierLockout, LockoutPolicy
from dossier_lookup.lookup import DossierLookup, DossierSource
from dossier_lookup.quota import LookupQuota
from dossier_lookup.stores_redis import RedisLockoutStore, RedisQuotaStore
from settings import Settings

__all__ = ["lookup_from_settings", "quota_from_settings"]


def _redis(settings: Settings) -> Redis | None:
    url = settings.lookup_limiter_redis_url
    return limits_redis(url) if url else None


def quota_from_settings(settings: Settings, redis: Redis | None = None) -> LookupQuota:
    """The per-client, per-conversation and overall lookup quotas of `settings`."""
    redis = redis or _redis(settings)
    unlimited = [item.strip() for item in settings.lookup_unlimited_clients.split(",")]
    return LookupQuota(
        RedisQuotaStore(redis) if redis else None,
        per_client=settings.lookup_client_dossiers_per_hour,
        per_conversation=settings.lookup_conversation_dossiers_per_hour,
        overall=settings.lookup_global_dossiers_per_hour,
        unlimited_clients=[item for item in unlimited if item],
        clock=time.time if redis else time.monotonic,
    )


def lookup_from_settings(settings: Settings, source: DossierSource) -> DossierLookup:
    """A lookup service on `source` (the one-stop client) with the limits of `settings`."""
    redis = _redis(settings)
    clock = time.time if redis else time.monotonic
    policy = LockoutPolicy(
        max_failures=settings.lookup_factor_failures,
        lock_seconds=settings.lookup_factor_lock_minutes * 60.0,
        max_lock_seconds=settings.lookup_factor_max_lock_hours * 3600.0,
    )
    return DossierLookup(
        source,
        FailedLookupLimiter(RedisFailureStore(redis) if redis else None, clock=clock),
        quota=quota_from_settings(settings, redis),
        lockout=DossierLockout(RedisLockoutStore(redis) if redis else None, policy, clock=clock),
        office_number=settings.lookup_office_sms_number,
    )
