"""The HTTP client every connector uses: egress policy, auth, retries, rate budget.

- Every request (and every URL a vendor hands back) goes through the pinned egress policy;
  redirects are never followed.
- 429, 5xx and network errors are retried with full-jitter exponential backoff, honouring
  ``Retry-After`` (seconds or a date) and rate-limit reset headers when the vendor sends them
  and backing off anyway when it does not (HubSpot often omits ``Retry-After``). A wait longer
  than the client will sleep becomes :class:`ConnectorTransientError` with ``retry_after``,
  so the job is deferred instead of holding a worker.
- A 401 triggers one credential refresh and one retry; a second 401 means "reconnect".
- A connector classifies its vendor's oddities (Salesforce's 403 ``REQUEST_LIMIT_EXCEEDED``,
  Zoho's errors in 200 bodies, GA4's quota messages) through ``retry_hint``.
- Credentials never reach an exception or a log line: messages name the method, host and
  path, never headers, query strings or bodies.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from cxsuite.connectors.contract import BaseConnector, RetryHint
from cxsuite.connectors.egress import EgressPolicy, PinnedTransport
from cxsuite.connectors.ratelimit import Budget, LocalBucket, RedisBucket
from cxsuite.errors import ConnectorAuthError, ConnectorTransientError, SsrfBlocked, VendorError
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.http")

TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
Sleep = Callable[[float], Awaitable[None]]


class Authenticator(Protocol):
    """Adds credentials to a request and can refresh them once they are refused."""

    async def apply(self, request: httpx.Request) -> None:
        """Set the auth header (refreshing first when the token is about to expire)."""

    async def refresh(self) -> None:
        """Obtain new credentials, or raise :class:`ConnectorAuthError`."""


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per request and how long the client itself may wait."""

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_wait: float = 60.0


@dataclass
class Counters:
    """What the client did, for job progress and logs."""

    requests: int = 0
    retries: int = 0
    refreshes: int = 0
    waited_seconds: float = 0.0


def retry_after_seconds(headers: httpx.Headers, now: datetime | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or rate-limit reset headers."""
    value = headers.get("retry-after")
    if value:
        if value.strip().isdigit():
            return float(value)
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
    reset = headers.get("ratelimit-reset") or headers.get("x-ratelimit-reset")
    if reset and reset.strip().replace(".", "", 1).isdigit():
        seconds = float(reset)
        return seconds if seconds < 10**9 else max(0.0, seconds - (now or datetime.now(UTC)).timestamp())
    return None


def default_hint(response: httpx.Response) -> RetryHint | None:
    """What any HTTP API means by its status code."""
    if response.status_code == 401:
        return RetryHint("refresh")
    if response.status_code == 429 or response.status_code >= 500:
        return RetryHint("retry", retry_after_seconds(response.headers),
                         f"answered {response.status_code}")
    return None


class VendorClient:
    """An authenticated, policy-enforcing, retrying client for one connection's sync."""

    def __init__(self, connector: type[BaseConnector], http: httpx.AsyncClient,
                 authenticator: Authenticator | None, budget: Budget | None = None,
                 policy: RetryPolicy = RetryPolicy(), sleep: Sleep = asyncio.sleep) -> None:
        self.connector, self.http, self.authenticator = connector, http, authenticator
        self.budget, self.policy, self.sleep = budget, policy, sleep
        self.counters = Counters()

    @property
    def base_url(self) -> httpx.URL:
        """The API base relative paths are joined to."""
        return self.http.base_url

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", ...)``."""
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("POST", ...)``."""
        return await self.request("POST", url, **kwargs)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send with retries; returns the response for any status the connector must judge."""
        attempt, refreshed = 0, False
        while True:
            response = await self._attempt(method, url, kwargs)
            hint = None if response is None else (
                self.connector.retry_hint(response) or default_hint(response))
            if hint is None:
                return response  # type: ignore[return-value]
            if hint.action == "refresh" and not refreshed and self.authenticator is not None:
                refreshed = True
                self.counters.refreshes += 1
                await self.authenticator.refresh()
                continue
            if hint.action == "refresh":
                raise ConnectorAuthError(f"{self.connector.display_name} refused the credentials "
                                         "even after a refresh; reconnect the account")
            if hint.action == "fail":
                raise VendorError(f"{self.connector.display_name}: {hint.message}")
            attempt += 1
            await self._back_off(attempt, hint, method, url)

    async def _attempt(self, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response | None:
        """One try; ``None`` stands for a network failure worth retrying."""
        if self.budget is not None:
            self.counters.waited_seconds += await self.budget.acquire()
        request = self.http.build_request(method, url, **kwargs)
        if self.authenticator is not None:
            await self.authenticator.apply(request)
        self.counters.requests += 1
        try:
            response = await self.http.send(request)
        except httpx.TransportError as exc:
            log.warning("%s %s failed: %s", method, _where(request.url), type(exc).__name__)
            return None
        await response.aread()
        if response.has_redirect_location:
            target = _where(httpx.URL(response.headers.get("location", "")))
            raise SsrfBlocked(f"{self.connector.display_name} answered {response.status_code} "
                              f"with a redirect to {target}; redirects are not followed")
        log.debug("%s %s -> %s", method, _where(request.url), response.status_code)
        return response

    async def _back_off(self, attempt: int, hint: RetryHint, method: str, url: str) -> None:
        name = self.connector.display_name
        delay = hint.after if hint.after is not None else random.uniform(  # noqa: S311 - jitter
            0, min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1)))
        if attempt >= self.policy.max_attempts or delay > self.policy.max_wait:
            raise ConnectorTransientError(
                f"{name} {hint.message or 'is unavailable'} on {method} {_where(httpx.URL(url))}; "
                f"gave up after {attempt} attempt(s)", retry_after=hint.after)
        self.counters.retries += 1
        self.counters.waited_seconds += delay
        await self.sleep(delay)


def _where(url: httpx.URL) -> str:
    """Host and path only: query strings can carry tokens."""
    return f"{url.host}{url.path}" if url.host else url.path


def egress_policy(settings: Settings, connector: type[BaseConnector]) -> EgressPolicy:
    """The connector's vendor domains plus the deployment's configured hosts."""
    return EgressPolicy.for_hosts(connector.allowed_hosts, settings.connector_allowed_hosts)


@asynccontextmanager
async def outbound_client(settings: Settings, connector: type[BaseConnector],
                          timeout: float = 30.0,  # noqa: ASYNC109 - httpx's own timeout
                          ) -> AsyncIterator[httpx.AsyncClient]:
    """A plain client under the egress policy (token endpoints; no auth, no retries)."""
    transport = PinnedTransport(egress_policy(settings, connector))
    async with httpx.AsyncClient(transport=transport, follow_redirects=False,
                                 timeout=timeout) as client:
        yield client


def _budget(connector: type[BaseConnector], redis: Any, key: str) -> Budget | None:
    if connector.rate_limit is None:
        return None
    rate, per = connector.rate_limit
    return RedisBucket(redis, key, rate, per) if redis is not None else LocalBucket(rate, per)


@asynccontextmanager
async def vendor_client(settings: Settings, connector: type[BaseConnector], base_url: str,
                        authenticator: Authenticator | None, *, budget_key: str = "",
                        redis: Any = None) -> AsyncIterator[VendorClient]:
    """The client a connector gets for one sync; the base URL is vetted before anything else."""
    policy = egress_policy(settings, connector)
    if base_url:
        await policy.resolve(base_url)
    http = httpx.AsyncClient(base_url=base_url, transport=PinnedTransport(policy),
                             follow_redirects=False, timeout=TIMEOUT)
    try:
        yield VendorClient(connector, http, authenticator,
                           _budget(connector, redis, f"cxsuite:budget:{budget_key or connector.key}"))
    finally:
        await http.aclose()
