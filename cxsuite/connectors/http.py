"""The HTTP client every connector uses: egress policy, auth, retries, rate budget.

- Every request (and every URL a vendor hands back) goes through the pinned egress policy;
  redirects are never followed.
- Every answer is classified once (:class:`~cxsuite.connectors.contract.RetryHint`): the
  connector's ``retry_hint`` reads its vendor's error bodies (Salesforce's 403
  ``REQUEST_LIMIT_EXCEEDED``, HubSpot's ``policyName``, GA4's quota buckets), the status code
  decides the rest.
- Transient failures are retried here with full-jitter exponential backoff, honouring
  ``Retry-After`` (seconds or a date) and rate-limit reset headers when the vendor sends them
  and backing off anyway when it does not (HubSpot often omits ``Retry-After``): network
  errors (refused, reset mid-body, read timeout, a resolver that cannot answer), 5xx and
  whatever the connector calls ``retry``. Past the budget (attempts, or a wait longer than the
  client sleeps) they become :class:`ConnectorTransientError` with ``retry_after``, so the job
  is retried later instead of holding a worker.
- A spent rate limit is waited out when its window is short; a long one (a daily limit)
  becomes :class:`ConnectorRateLimited` with ``resume_at`` at once: the job pauses until then.
- A 401 triggers one credential refresh and one retry; a second 401 means "reconnect".
  ``reconnect``, ``misconfigured`` and ``fail`` hints raise :class:`ConnectorAuthError`,
  :class:`ConnectorConfigError` and :class:`VendorError` with the connector's message.
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
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from cxsuite.connectors.contract import BaseConnector, RetryHint
from cxsuite.connectors.egress import EgressPolicy, PinnedTransport
from cxsuite.connectors.ratelimit import Budget, LocalWindow, RedisWindow
from cxsuite.connectors.windows import clock_time
from cxsuite.errors import (
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorRateLimited,
    ConnectorTransientError,
    SsrfBlocked,
    VendorError,
)
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.http")

TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
Sleep = Callable[[float], Awaitable[None]]
TransportWrapper = Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]


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
        if seconds >= 10**12:  # epoch milliseconds (Zoho)
            seconds /= 1000
        return seconds if seconds < 10**9 else max(0.0, seconds - (now or datetime.now(UTC)).timestamp())
    return None


def default_hint(response: httpx.Response) -> RetryHint | None:
    """What any HTTP API means by its status code."""
    if response.status_code == 401:
        return RetryHint("refresh")
    if response.status_code == 429:
        return RetryHint("rate_limited", retry_after_seconds(response.headers), "answered 429")
    if response.status_code == 408 or response.status_code >= 500:
        return RetryHint("retry", retry_after_seconds(response.headers),
                         f"answered {response.status_code}")
    return None


class VendorClient:
    """An authenticated, policy-enforcing, retrying client for one connection's sync."""

    def __init__(self, connector: type[BaseConnector], http: httpx.AsyncClient,
                 authenticator: Authenticator | None, budget: Budget | None = None,
                 policy: RetryPolicy = RetryPolicy(), sleep: Sleep = asyncio.sleep,
                 config: Any = None) -> None:
        self.connector, self.http, self.authenticator = connector, http, authenticator
        self.budget, self.policy, self.sleep, self.config = budget, policy, sleep, config
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
            response, hint = await self._attempt(method, url, kwargs)
            if hint is None:
                assert response is not None
                return response
            if hint.action == "refresh" and not refreshed and self.authenticator is not None:
                refreshed = True
                self.counters.refreshes += 1
                await self.authenticator.refresh()
                continue
            self._raise_permanent(hint)
            attempt += 1
            await self._back_off(attempt, hint, method, url)

    def _raise_permanent(self, hint: RetryHint) -> None:
        """Raise the error a hint no retry can fix stands for; return for the others."""
        name = self.connector.display_name
        if hint.action == "refresh":
            raise ConnectorAuthError(f"{name} refused the credentials even after a refresh; "
                                     "reconnect the account")
        if hint.action == "reconnect":
            raise ConnectorAuthError(f"{name}: {hint.message or 'the authorisation no longer works'}")
        if hint.action == "misconfigured":
            raise ConnectorConfigError(f"{name}: {hint.message}")
        if hint.action == "fail":
            raise VendorError(f"{name}: {hint.message}")

    async def _attempt(self, method: str, url: str, kwargs: dict[str, Any],
                       ) -> tuple[httpx.Response | None, RetryHint | None]:
        """One try: the response, and how to read it (``None``: hand it to the connector).

        A network failure at any point, the body included (a reset mid-body), is a
        ``retry`` hint without a response."""
        if self.budget is not None:
            self.counters.waited_seconds += await self.budget.acquire()
        request = self.http.build_request(method, url, **kwargs)
        if self.authenticator is not None:
            await self.authenticator.apply(request)
        self.counters.requests += 1
        try:
            response = await self.http.send(request)
            await response.aread()
        except httpx.TransportError as exc:
            log.warning("%s %s failed: %s", method, _where(request.url), type(exc).__name__)
            return None, RetryHint("retry", None, f"could not be reached ({type(exc).__name__})")
        if response.has_redirect_location:
            target = _where(httpx.URL(response.headers.get("location", "")))
            raise SsrfBlocked(f"{self.connector.display_name} answered {response.status_code} "
                              f"with a redirect to {target}; redirects are not followed")
        log.debug("%s %s -> %s", method, _where(request.url), response.status_code)
        return response, (self.connector.connection_retry_hint(response, self.config)
                          or default_hint(response))

    async def _back_off(self, attempt: int, hint: RetryHint, method: str, url: str) -> None:
        """Sleep before the next attempt, or raise when the wait is not the client's to make."""
        delay = hint.after if hint.after is not None else random.uniform(  # noqa: S311 - jitter
            0, min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1)))
        exhausted = attempt >= self.policy.max_attempts or delay > self.policy.max_wait
        if hint.action == "rate_limited" and (exhausted or hint.resume_at is not None):
            raise self._rate_limited(hint, delay)
        if exhausted:
            raise ConnectorTransientError(
                f"{self.connector.display_name} {hint.message or 'is unavailable'} on {method} "
                f"{_where(httpx.URL(url))}; gave up after {attempt} attempt(s)", retry_after=hint.after)
        self.counters.retries += 1
        self.counters.waited_seconds += delay
        await self.sleep(delay)

    def _rate_limited(self, hint: RetryHint, delay: float) -> ConnectorRateLimited:
        """The job pauses until the vendor's window reopens."""
        now = datetime.now(UTC)
        resume_at = hint.resume_at or now + timedelta(seconds=max(delay, self.policy.max_wait))
        message = hint.message if hint.resume_at is not None else (
            f"{self.connector.display_name} rate limit reached ({hint.message or 'answered 429'}); "
            f"resumes at {clock_time(resume_at, now)}")
        return ConnectorRateLimited(message, resume_at=resume_at,
                                    retry_after=max(0.0, (resume_at - now).total_seconds()))


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
    return RedisWindow(redis, key, rate, per) if redis is not None else LocalWindow(rate, per)


@asynccontextmanager
async def vendor_client(settings: Settings, connector: type[BaseConnector], base_url: str,
                        authenticator: Authenticator | None, *, budget_key: str = "",
                        redis: Any = None, config: Any = None,
                        wrap_transport: TransportWrapper | None = None) -> AsyncIterator[VendorClient]:
    """The client a connector gets for one sync; the base URL is vetted before anything else.
    ``wrap_transport`` puts a layer under the client (the test kit's network failures)."""
    policy = egress_policy(settings, connector)
    if base_url:
        await policy.resolve(base_url)
    transport: httpx.AsyncBaseTransport = PinnedTransport(policy)
    if wrap_transport is not None:
        transport = wrap_transport(transport)
    http = httpx.AsyncClient(base_url=base_url, transport=transport, follow_redirects=False, timeout=TIMEOUT)
    try:
        yield VendorClient(connector, http, authenticator,
                           _budget(connector, redis, f"cxsuite:budget:{budget_key or connector.key}"),
                           config=config)
    finally:
        await http.aclose()
