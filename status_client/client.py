"""`OneStopClient`: the async client of the province's one-stop system (or its simulator).

Build one per process and share it. It owns the resilience policy: explicit timeouts,
an overall deadline per call, retries with backoff for idempotent reads, a circuit
breaker and a short-TTL cache. The HTTP transport comes from the caller.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from status_client.codes import canonicalize
from status_client.exceptions import (
    BadResponse,
    CircuitOpen,
    DossierNotFound,
    OneStopError,
    OneStopUnavailable,
    TransitionRejected,
)
from status_client.models import ChangesPage, Dossier, DossierPage, DossierStatus
from status_client.parsing import parse_changes, parse_dossier, parse_dossier_page
from status_client.resilience import CircuitBreaker, Clock, TTLCache

if TYPE_CHECKING:
    from settings import Settings

__all__ = ["ClientPolicy", "OneStopClient"]

logger = logging.getLogger(__name__)
_T = TypeVar("_T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ClientPolicy:
    """Timeouts (seconds), retries, breaker and cache settings.

    The defaults give up on a lookup after `deadline` = 2 s, so the citizen gets an
    answer (or an apology) within 3 s even when the system hangs.
    """

    connect_timeout: float = 0.5
    read_timeout: float = 0.75
    deadline: float = 2.0
    attempts: int = 4
    backoff_base: float = 0.05
    backoff_max: float = 0.4
    failure_threshold: int = 5
    cooldown: float = 10.0
    cache_ttl: float = 30.0
    cache_size: int = 1024

    @property
    def timeout(self) -> httpx.Timeout:
        """Per-request timeouts."""
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.read_timeout,
            pool=self.connect_timeout,
        )


@dataclass(frozen=True, slots=True)
class _Read(Generic[_T]):
    """One idempotent GET: its path and query, how its JSON is read, and the dossier code
    a 404 means is missing (None: a 404 is an unexpected answer)."""

    path: str
    params: dict[str, str | int] | None
    parse: Callable[[object], _T]
    not_found: str | None = None


class _Retryable(Exception):
    """Internal: an attempt failed in a way another attempt may fix."""

    def __init__(self, error: OneStopError) -> None:
        super().__init__(str(error))
        self.error = error


class OneStopClient:
    """Reads dossiers and the changes feed; raises only `status_client.exceptions`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        auth_header: str | None = None,
        policy: ClientPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        jitter: random.Random | None = None,
        owns_http: bool = False,
    ) -> None:
        self.policy = policy or ClientPolicy()
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = {"Accept": "application/json"}
        if auth_header:
            self._headers["Authorization"] = auth_header
        self._sleep = sleep
        self._jitter = jitter or random.Random()
        self._owns_http = owns_http
        self.breaker = CircuitBreaker(
            failure_threshold=self.policy.failure_threshold,
            cooldown=self.policy.cooldown,
            clock=clock,
        )
        self.cache: TTLCache[Dossier] = TTLCache(
            ttl=self.policy.cache_ttl, max_size=self.policy.cache_size, clock=clock
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: ClientPolicy | None = None,
    ) -> OneStopClient:
        """A client for the configured system, owning a new `httpx.AsyncClient`."""
        policy = policy or ClientPolicy()
        http = httpx.AsyncClient(
            transport=transport,
            timeout=policy.timeout,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        secret = settings.onestop_auth_header
        return cls(
            http,
            settings.onestop_base_url,
            auth_header=secret.get_secret_value() if secret else None,
            policy=policy,
            owns_http=True,
        )

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            await self._http.aclose()

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        """The dossier with this code (any typed shape); cached for `policy.cache_ttl`."""
        canonical = canonicalize(code)
        if not fresh:
            cached = self.cache.get(canonical)
            if cached is not None:
                return cached
        dossier = await self._guarded_get(
            _Read(f"/api/dossiers/{canonical}", None, parse_dossier, not_found=canonical)
        )
        self.cache.put(canonical, dossier)
        return dossier

    async def list_dossiers(
        self, *, status: DossierStatus | None = None, limit: int = 50, offset: int = 0
    ) -> DossierPage:
        """One page of dossiers, optionally with one status."""
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if status is not None:
            params["status"] = status.value
        return await self._guarded_get(_Read("/api/dossiers", params, parse_dossier_page))

    async def changes(self, since: int = 0, limit: int = 100) -> ChangesPage:
        """Status transitions after cursor `since`, oldest first (for the notifier)."""
        params: dict[str, str | int] = {"since": since, "limit": limit}
        return await self._guarded_get(_Read("/api/changes", params, parse_changes))

    async def transition(self, code: str, status: DossierStatus) -> Dossier:
        """Move a dossier to `status` (simulator and demos); never retried."""
        canonical = canonicalize(code)
        self.cache.invalidate(canonical)
        try:
            response = await self._http.post(
                f"{self._base_url}/api/dossiers/{canonical}/transition",
                json={"status": status.value},
                headers=self._headers,
                timeout=self.policy.timeout,
            )
        except httpx.HTTPError as error:
            raise OneStopUnavailable(f"transition of {canonical} failed: {error!r}") from error
        if response.status_code == 404:
            raise DossierNotFound(canonical)
        if response.status_code in (409, 422):
            raise TransitionRejected(f"{canonical} → {status.value}: {response.text[:200]}")
        if response.status_code >= 400:
            raise OneStopUnavailable(f"transition answered HTTP {response.status_code}")
        return parse_dossier(_json(response))

    async def _guarded_get(self, read: _Read[_T]) -> _T:
        if not self.breaker.allow():
            raise CircuitOpen("the one-stop system failed repeatedly; not calling it for now")
        try:
            async with asyncio.timeout(self.policy.deadline):
                result = await self._get_with_retries(read)
        except DossierNotFound:
            self.breaker.record_success()
            raise
        except TimeoutError as error:
            self.breaker.record_failure()
            message = f"no answer from the one-stop system within {self.policy.deadline} s"
            raise OneStopUnavailable(message) from error
        except BaseException:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return result

    async def _get_with_retries(self, read: _Read[_T]) -> _T:
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return await self._attempt(read)
            except _Retryable as failure:
                if attempt == self.policy.attempts:
                    raise failure.error from failure
                delay = min(self.policy.backoff_max, self.policy.backoff_base * 2 ** (attempt - 1))
                delay *= 0.5 + self._jitter.random()  # jitter keeps clients out of lockstep
                logger.warning("one-stop GET %s failed (%s); retry %d", read.path, failure, attempt)
                await self._sleep(delay)
        raise AssertionError("unreachable: attempts must be >= 1")

    async def _attempt(self, read: _Read[_T]) -> _T:
        try:
            response = await self._http.get(
                self._base_url + read.path,
                params=read.params,
                headers=self._headers,
                timeout=self.policy.timeout,
            )
        except httpx.TimeoutException as error:
            raise _Retryable(OneStopUnavailable(f"timed out: {error!r}")) from error
        except httpx.TransportError as error:
            raise _Retryable(OneStopUnavailable(f"connection failed: {error!r}")) from error
        if response.status_code == 404 and read.not_found is not None:
            raise DossierNotFound(read.not_found)
        if response.status_code >= 500:
            raise _Retryable(OneStopUnavailable(f"HTTP {response.status_code}"))
        if response.status_code in (401, 403):
            raise OneStopUnavailable(
                f"the one-stop system refused our credentials (HTTP {response.status_code});"
                " check ONESTOP_AUTH_HEADER"
            )
        if response.status_code >= 400:
            raise BadResponse(f"unexpected HTTP {response.status_code} for GET {read.path}")
        try:
            return read.parse(_json(response))
        except BadResponse as error:
            raise _Retryable(error) from error


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise BadResponse(f"not JSON: {response.text[:80]!r}") from error
