"""What each stand-in has spent of its vendor's published limits, and whether a request fits.

Vendors count differently, and the stand-ins count as they do:

- a **rolling window**: HubSpot's 110 requests per 10 s (and search's 5 per second),
  Salesforce's daily API requests and Zoho's API credits (both over the last 24 hours),
  GA4's tokens per hour;
- a **calendar day** that ends at a vendor's midnight: HubSpot's daily limit, GA4's tokens
  per day (midnight Pacific time).

Only requests that are served spend: a refused request costs nothing, so a client that waits
as told gets through. Window lengths and limits come from :class:`~cxsuite.sandbox.state.Limits`,
so tests shrink them (3 requests per second instead of 110 per 10 s) to stay fast.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime

UNLIMITED = 2**62  # a limit not enforced: the meters still count (for the vendors' headers)


@dataclass(frozen=True)
class Verdict:
    """Whether a request fits; if not, when enough of the window frees (epoch seconds)."""

    ok: bool
    used: int
    frees_at: float = 0.0


@dataclass(frozen=True)
class Limit:
    """One published limit: ``limit`` per rolling ``seconds``, or per calendar ``day``."""

    meter: str
    limit: int
    seconds: float | None = None
    day: date | None = None
    cost: int = 1


@dataclass
class Meters:
    """Spend per named meter: logs for rolling windows, counters for calendar days."""

    _logs: dict[str, deque[tuple[float, int]]] = field(default_factory=lambda: defaultdict(deque))
    _days: dict[tuple[str, date], int] = field(default_factory=lambda: defaultdict(int))
    # What each log holds in all, kept as entries come and go: a request's check costs the
    # same on the first and the millionth request of a day-long window.
    _totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, now: datetime, limits: list[Limit]) -> tuple[Limit, Verdict] | None:
        """Spend on every limit if the request fits them all; else the first it breaks."""
        with self._lock:
            for limit in limits:
                verdict = self._check(limit, now)
                if not verdict.ok:
                    return limit, verdict
            for limit in limits:
                if limit.seconds is not None:
                    self._logs[limit.meter].append((now.timestamp(), limit.cost))
                    self._totals[limit.meter] += limit.cost
                else:
                    self._days[(limit.meter, limit.day)] += limit.cost  # type: ignore[index]
        return None

    def _check(self, limit: Limit, now: datetime) -> Verdict:
        if limit.seconds is None:
            used = self._days[(limit.meter, limit.day)]  # type: ignore[index]
            return Verdict(used + limit.cost <= limit.limit, used)
        at, log = now.timestamp(), self._logs[limit.meter]
        while log and log[0][0] <= at - limit.seconds:
            self._totals[limit.meter] -= log.popleft()[1]
        used = self._totals[limit.meter]
        if used + limit.cost > limit.limit:
            return Verdict(False, used, self._frees_at(log, used + limit.cost - limit.limit) + limit.seconds)
        return Verdict(True, used)

    @staticmethod
    def _frees_at(log: deque[tuple[float, int]], excess: int) -> float:
        """The time of the log entry whose leaving frees ``excess``."""
        freed = 0
        for at, spent in log:
            freed += spent
            if freed >= excess:
                return at
        return log[-1][0] if log else 0.0

    def used_in_window(self, name: str, now: datetime, seconds: float) -> int:
        """Spent in the last ``seconds`` (for rate-limit headers and ``propertyQuota``)."""
        at = now.timestamp()
        with self._lock:
            log = self._logs[name]
            if not log or log[0][0] > at - seconds:  # all of the log is in the window
                return self._totals[name]
            return sum(spent for when, spent in log if when > at - seconds)

    def used_on(self, name: str, day: date) -> int:
        """Spent on ``day``."""
        with self._lock:
            return self._days[(name, day)]
