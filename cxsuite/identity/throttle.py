"""Login throttling per account and per client address, shared across processes via Redis.

Without Redis (the embedded default, one process) the counters live in memory. Litestar's own
rate-limit middleware is per process and get-then-set, so it would multiply the limit by the
number of web processes; a Redis INCR with expiry does not.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Protocol

from redis.asyncio import Redis

from cxsuite.errors import TooManyRequests

WINDOW_S = 60


class LoginThrottle(Protocol):
    """Counts failed logins per key in a rolling window."""

    async def check(self, *keys: str) -> None:
        """Raise :class:`TooManyRequests` when any key is over the limit."""

    async def failed(self, *keys: str) -> None:
        """Record one failed attempt for each key."""

    async def succeeded(self, key: str) -> None:
        """Forget an account's failures after a successful login."""


class MemoryThrottle:
    """Single-process throttle for the embedded mode."""

    def __init__(self, limit: int, clock: object = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._failures: dict[str, list[float]] = defaultdict(list)

    def _recent(self, key: str) -> list[float]:
        cutoff = self._clock() - WINDOW_S  # type: ignore[operator]
        self._failures[key] = [t for t in self._failures[key] if t > cutoff]
        return self._failures[key]

    async def check(self, *keys: str) -> None:
        """See :class:`LoginThrottle`."""
        for key in keys:
            recent = self._recent(key)
            if len(recent) >= self.limit:
                retry = int(recent[0] + WINDOW_S - self._clock()) + 1  # type: ignore[operator]
                raise TooManyRequests("too many failed logins; try again later", retry_after=retry)

    async def failed(self, *keys: str) -> None:
        """See :class:`LoginThrottle`."""
        for key in keys:
            self._recent(key).append(self._clock())  # type: ignore[arg-type]

    async def succeeded(self, key: str) -> None:
        """See :class:`LoginThrottle`."""
        self._failures.pop(key, None)


class RedisThrottle:
    """Fixed-window counters in Redis, shared by every web process."""

    def __init__(self, redis: Redis, limit: int, prefix: str = "cxsuite:login:") -> None:
        self.redis = redis
        self.limit = limit
        self.prefix = prefix

    async def check(self, *keys: str) -> None:
        """See :class:`LoginThrottle`."""
        for key in keys:
            count = await self.redis.get(self.prefix + key)
            if count is not None and int(count) >= self.limit:
                ttl = await self.redis.ttl(self.prefix + key)
                raise TooManyRequests("too many failed logins; try again later",
                                      retry_after=max(int(ttl), 1))

    async def failed(self, *keys: str) -> None:
        """See :class:`LoginThrottle`."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.incr(self.prefix + key)
                pipe.expire(self.prefix + key, WINDOW_S, nx=True)
            await pipe.execute()

    async def succeeded(self, key: str) -> None:
        """See :class:`LoginThrottle`."""
        await self.redis.delete(self.prefix + key)
