"""The ``Sandbox`` object: the world, the clock, OAuth, faults, limits and the request log.

A test holds this object and steers the running server through it (the ``/_sandbox/``
control API calls the same methods), so faults and mutations need no HTTP round trip and
a test can assert exactly which vendor endpoints a connector called.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from cxsuite.sandbox import mutate
from cxsuite.sandbox.clock import Clock
from cxsuite.sandbox.generate import generate_world
from cxsuite.sandbox.oauth import CLIENTS, OAuthServer
from cxsuite.sandbox.quotas import Meters
from cxsuite.sandbox.service_accounts import ServiceAccounts
from cxsuite.sandbox.world import Record, World

VENDORS = ("hubspot", "salesforce", "zoho", "ga4")
EVERY_VENDOR = "*"
FaultKind = Literal[
    "rate_limit", "server_error", "malformed_record", "short_page", "empty_page",  # answered by vendors
    "outage", "reset", "reset_mid_body", "slow",  # the network: see cxsuite.sandbox.faults
    "daily_limit", "expired_grant",  # the vendor account's state
]
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]
OUTAGE_MODES = ("refuse", "reset")
ZOHO_DATA_CENTRES = ("us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn")


@dataclass
class Limits:
    """Vendor limits; the defaults are the documented ones, tests shrink them to stay fast.

    With ``enforce_rate_limits`` every stand-in refuses what its vendor would, in the vendor's
    words (see :mod:`cxsuite.sandbox.quotas`): HubSpot ``hubspot_per_10s`` requests per
    ``hubspot_window_s`` and ``hubspot_daily`` per calendar day (UTC), search
    ``hubspot_search_per_second``; Salesforce ``salesforce_daily`` requests per rolling
    ``salesforce_window_s``; Zoho ``zoho_credits`` credits per rolling ``zoho_window_s`` (one per
    call); GA4 ``ga4_tokens_per_hour`` per rolling ``ga4_hour_s`` and ``ga4_tokens_per_day`` per
    day ending at midnight Pacific time, ``ga4_tokens_per_request`` each.
    """

    enforce_rate_limits: bool = False
    hubspot_per_10s: int = 110
    hubspot_search_per_second: int = 5
    hubspot_daily: int = 250_000
    hubspot_search_window: int = 10_000
    hubspot_max_url_length: int = 8_192
    salesforce_batch_size: int = 2_000
    salesforce_narrow_batch_size: int = 1_000
    salesforce_daily: int = 15_000
    zoho_discrete_limit: int = 2_000
    zoho_page_token_limit: int = 100_000
    ga4_tokens_per_hour: int = 40_000
    ga4_tokens_per_day: int = 200_000
    # Seconds added to every vendor data request: a slow vendor, for crash tests and benchmarks.
    latency_s: float = 0.0
    hubspot_window_s: float = 10.0
    salesforce_window_s: float = 86_400.0
    zoho_credits: int = 50_000
    zoho_window_s: float = 86_400.0
    ga4_hour_s: float = 3_600.0
    ga4_tokens_per_request: int = 10


@dataclass
class GA4Quirks:
    """Ways a real GA4 ``runReport`` answer departs from the plain one, for connector tests.

    ``header_order`` ``"reversed"`` lists the dimension and metric headers (and each row's
    values) in the reverse of the requested order; ``omit_metrics`` leaves those metrics out
    of the answer; ``thresholded`` and ``sampled`` set ``metadata.subjectToThresholding`` and
    ``metadata.samplingMetadatas``; ``landing_page_limit`` keeps that many landing pages per
    report and rolls the rest into an ``(other)`` row with ``metadata.dataLossFromOtherRow``
    (GA4's cardinality limit).
    """

    header_order: str = "request"
    omit_metrics: tuple[str, ...] = ()
    thresholded: bool = False
    sampled: bool = False
    landing_page_limit: int | None = None


@dataclass
class Fault:
    """A queued misbehaviour: the next ``remaining`` matching requests get it, or, when it has
    a window (``until``, on the sandbox clock), every matching request until the window ends.

    ``vendor`` may be ``"*"`` (every vendor). An ``outage`` in ``refuse`` mode closes the
    sandbox's listening socket for the window (connection refused), in ``reset`` mode the
    vendor's requests are answered by resetting the connection; ``slow`` delays responses by
    ``delay`` seconds; ``daily_limit`` uses up the vendor's daily quota until the window ends
    (by default the next midnight UTC), or with a count answers that many requests with the
    vendor's daily refusal; ``expired_grant`` revokes the vendor's refresh tokens.
    """

    vendor: str
    kind: FaultKind
    remaining: int
    retry_after: int | None = None
    status: int = 500
    until: datetime | None = None
    delay: float = 0.0
    mode: str = "refuse"

    def matches(self, vendor: str, kinds: tuple[str, ...], now: datetime) -> bool:
        """Whether this fault applies to a request of ``vendor`` now."""
        return self.kind in kinds and self.vendor in (vendor, EVERY_VENDOR) and self.pending(now)

    def pending(self, now: datetime) -> bool:
        """Whether it can still apply to some request."""
        return now < self.until if self.until is not None else self.remaining > 0


# Above every vendor's daily limit (HubSpot's largest tier is 1,000,000 calls a day).
DAILY_QUOTA_SPENT = 10**12


@dataclass(frozen=True)
class LoggedRequest:
    """One request a vendor stand-in received (control API calls are not logged)."""

    vendor: str
    method: str
    path: str
    query: str
    at: datetime


@dataclass
class Usage:
    """Requests served per vendor (``daily``, the total since start), requests refused for a
    spent limit (``refused``: what a client that obeys the limits never sees) and the meters
    behind the rate-limit headers and enforcement."""

    daily: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VENDORS, 0))
    refused: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VENDORS, 0))
    meters: Meters = field(default_factory=Meters)

    def count(self, vendor: str, served: bool, lock: threading.RLock) -> None:
        """One more request served, or refused for a limit."""
        with lock:
            (self.daily if served else self.refused)[vendor] += 1


class Sandbox:
    """Everything the four stand-ins share; thread-safe for a test thread next to the server."""

    def __init__(
        self,
        seed: int = 7,
        size: int | str = "small",
        now: datetime | None = None,
        auto_approve: bool = True,
        limits: Limits | None = None,
        zoho_location: str = "eu",
        salesforce_rotates_refresh: bool = True,
        ga4_property_id: str = "412345678",
    ) -> None:
        if zoho_location not in ZOHO_DATA_CENTRES:
            raise ValueError(f"zoho_location must be one of {ZOHO_DATA_CENTRES}")
        self.world: World = generate_world(seed, size, now)
        self.clock = Clock(self.world.now)
        self.oauth = OAuthServer(self.clock)
        self.service_accounts = ServiceAccounts()
        self.limits = limits or Limits()
        self.auto_approve = auto_approve
        self.zoho_location = zoho_location
        self.salesforce_rotates_refresh = salesforce_rotates_refresh
        self.ga4_property_id = ga4_property_id
        self.ga4_quirks = GA4Quirks()
        self.usage = Usage()
        self.lock = threading.RLock()
        self._faults: list[Fault] = []
        self._log: list[LoggedRequest] = []
        self._mutations = 0

    # --- faults ---------------------------------------------------------------------------

    def inject(
        self,
        vendor: str,
        kind: FaultKind,
        count: int | None = None,
        *,
        retry_after: int | None = None,
        status: int = 500,
        seconds: float | None = None,
        delay: float = 0.0,
        mode: str = "refuse",
    ) -> Fault:
        """Queue a fault for the vendor's next ``count`` data requests (default 1; not OAuth
        endpoints), or for every request during the next ``seconds`` (see :class:`Fault` for each
        kind). A ``daily_limit`` with a ``count`` answers that many requests with the vendor's
        daily refusal (a connector's own test); without one it spends the day's quota."""
        fault = self._validated(vendor, kind, count, retry_after, status, seconds, delay, mode)
        with self.lock:
            if kind == "expired_grant":
                self.oauth.revoke_all(vendor)
            if kind == "daily_limit" and fault.until is not None:
                self._spend_daily_quota(vendor, spent=True)
            self._faults.append(fault)
        return fault

    def _validated(self, vendor: str, kind: str, count: int | None, retry_after: int | None, status: int,
                   seconds: float | None, delay: float, mode: str) -> Fault:
        if vendor not in (*VENDORS, EVERY_VENDOR):
            raise ValueError(f"unknown vendor {vendor!r}; use one of {', '.join(VENDORS)} or '*'")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(FAULT_KINDS)}")
        if (count is not None and count < 0) or (seconds is not None and seconds <= 0) or delay < 0:
            raise ValueError("count, seconds and delay must not be negative (seconds above 0)")
        if kind == "outage":
            if mode not in OUTAGE_MODES:
                raise ValueError(f"outage mode must be one of {', '.join(OUTAGE_MODES)}")
            if seconds is None:
                raise ValueError("an outage needs its length in seconds")
            if mode == "refuse" and vendor != EVERY_VENDOR:
                raise ValueError("a refused-connection outage closes the sandbox's one port, so it hits "
                                 "every vendor: use vendor '*', or mode 'reset' for one vendor")
        if kind == "slow" and delay <= 0:
            raise ValueError("a slow fault needs its delay in seconds")
        if kind in ("daily_limit", "expired_grant") and vendor == EVERY_VENDOR:
            raise ValueError(f"{kind} applies to one vendor account; name the vendor")
        now = self.clock.now()
        until = now + timedelta(seconds=seconds) if seconds is not None else None
        if kind == "daily_limit" and until is None and count is None:
            until = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        remaining = 0 if kind == "expired_grant" else (1 if count is None else count)
        return Fault(vendor, kind, remaining, retry_after, status, until, delay, mode)  # type: ignore[arg-type]

    def take_fault(self, vendor: str, *kinds: str) -> Fault | None:
        """Consume one pending fault of the given kinds for ``vendor``, oldest first (a fault
        with a window applies without being consumed)."""
        now = self.clock.now()
        with self.lock:
            self._settle(now)
            for fault in self._faults:
                if fault.matches(vendor, kinds, now):
                    if fault.until is None:
                        fault.remaining -= 1
                    return fault
        return None

    def outage_left(self) -> float:
        """Seconds left of a refused-connection outage now in force (0 when there is none)."""
        now = self.clock.now()
        with self.lock:
            ends = [f.until for f in self._faults
                    if f.kind == "outage" and f.mode == "refuse" and f.until is not None and now < f.until]
        return max(((end - now).total_seconds() for end in ends), default=0.0)

    def pending_faults(self) -> list[Fault]:
        """Faults not yet consumed or whose window is still open."""
        now = self.clock.now()
        with self.lock:
            self._settle(now)
            return [f for f in self._faults if f.pending(now)]

    def clear_faults(self) -> None:
        """Drop every pending fault (a used-up daily quota is given back)."""
        with self.lock:
            for fault in self._faults:
                if fault.kind == "daily_limit":
                    self._spend_daily_quota(fault.vendor, spent=False)
            self._faults.clear()

    def _settle(self, now: datetime) -> None:
        """Forget faults that can no longer apply; a daily-limit window that ended starts a new day.

        Runs before every vendor request is handled: the network layer (``faults.NetworkFaults``)
        asks ``take_fault`` first, so a vendor never counts against a day that has ended."""
        for fault in self._faults:
            if fault.kind == "daily_limit" and not fault.pending(now):
                self._spend_daily_quota(fault.vendor, spent=False)
        self._faults = [f for f in self._faults if f.pending(now)]

    def _spend_daily_quota(self, vendor: str, spent: bool) -> None:
        """Mark the vendor's daily counter used up (beyond any daily limit), or start a new day.

        The vendor stand-ins enforce their published daily limits from ``usage.daily`` (when
        ``limits.enforce_rate_limits``), so they answer in their own words."""
        self.usage.daily[vendor] = DAILY_QUOTA_SPENT if spent else 0

    def expire_tokens(self) -> int:
        """Expire every access token now; the next API call gets the vendor's expired-token error."""
        return self.oauth.expire_all()

    def advance(self, seconds: float) -> datetime:
        """Move the sandbox clock forward (token expiry, mutation timestamps)."""
        return self.clock.advance(seconds)

    # --- world mutations --------------------------------------------------------------------

    def modify(self, kind: str, count: int) -> list[Record]:
        """Modify ``count`` records of ``kind`` now; returns them (``seq`` gives vendor ids)."""
        return self._mutate(mutate.modify, kind, count)

    def archive(self, kind: str, count: int) -> list[Record]:
        """Archive/delete ``count`` records of ``kind`` now."""
        return self._mutate(mutate.archive, kind, count)

    def add(self, kind: str, count: int) -> list[Record]:
        """Create ``count`` new records of ``kind`` now."""
        return self._mutate(mutate.add, kind, count)

    def _mutate(self, action: mutate.Mutation, kind: str, count: int) -> list[Record]:
        with self.lock:
            self._mutations += 1
            rng = random.Random(f"{self.world.seed}:mutation:{self._mutations}")  # noqa: S311 - simulated data
            return action(self.world, kind, count, self.clock.now(), rng)

    # --- request log ------------------------------------------------------------------------

    def record(self, vendor: str, method: str, path: str, query: str) -> None:
        """Append to the request log (called for every vendor request)."""
        with self.lock:
            self._log.append(LoggedRequest(vendor, method, path, query, self.clock.now()))

    def requests(self, vendor: str | None = None) -> list[LoggedRequest]:
        """Logged requests, optionally only one vendor's."""
        with self.lock:
            return [r for r in self._log if vendor is None or r.vendor == vendor]

    def clear_requests(self) -> None:
        """Forget the request log."""
        with self.lock:
            self._log.clear()

    # --- credentials ------------------------------------------------------------------------

    def issue_token(self, vendor: str) -> tuple[str, str | None]:
        """An (access, refresh) token pair without the browser flow, for tests that start connected."""
        location = self.zoho_location if vendor == "zoho" else None
        access, refresh = self.oauth.issue(vendor, "sandbox", location)
        return access.token, refresh.token if refresh else None

    def service_account_key(self, base_url: str) -> dict[str, str]:
        """The JSON key file of the sandbox's Google service account, its ``token_uri`` at the
        sandbox served at ``base_url`` (the key pair is made once per sandbox)."""
        from cxsuite.sandbox.urls import vendor_urls

        urls = vendor_urls(base_url, self.zoho_location, self.ga4_property_id)
        return self.service_accounts.key_file(urls["ga4"]["token"])

    def info(self, base_url: str) -> dict[str, object]:
        """Base URLs, OAuth clients and record counts: what ``cxsuite sandbox`` prints."""
        from cxsuite.sandbox.urls import vendor_urls

        return {
            "vendors": vendor_urls(base_url, self.zoho_location, self.ga4_property_id),
            "clients": {
                v: {"client_id": c.client_id, "client_secret": c.client_secret} for v, c in CLIENTS.items()
            },
            "counts": {k: len(self.world.live(k)) for k in mutate.KINDS},
            "now": self.clock.now().isoformat(),
        }
