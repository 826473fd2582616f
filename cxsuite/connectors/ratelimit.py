"""Per-connection request budgets that never send more than a vendor's limit in any window.

A vendor's limit is "``rate`` requests in any ``per`` seconds" (HubSpot: 110 per rolling 10 s).
A token bucket that starts full and refills continuously lets ``rate`` through at once and
another ``rate`` during the next ``per`` seconds, twice the limit in one window, which earns
429s. These budgets keep a log of the send times of the last ``rate`` requests instead (a
sliding-window log): a request goes when fewer than ``rate`` were sent in the last ``per``
seconds, else it waits until the oldest of them leaves the window.

Vendors count requests per account, across every process calling them: with Redis configured
the log is a sorted set in Redis, updated by one Lua script (atomic, timed by Redis's own clock
so workers on several machines agree), shared by every worker; without it, in process memory
(the embedded mode runs one process).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class Budget(Protocol):
    """Something to wait on before each request."""

    async def acquire(self) -> float:
        """Wait until a request may go; return the seconds waited."""


@dataclass
class LocalWindow:
    """At most ``rate`` requests in any ``per`` seconds, in this process."""

    rate: int
    per: float
    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep
    _sent: deque[float] = field(init=False, default_factory=deque)
    _lock: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)

    def _wait(self, now: float) -> float:
        """Seconds until a request may go at ``now`` (0: it may go now)."""
        while self._sent and self._sent[0] <= now - self.per:
            self._sent.popleft()
        return 0.0 if len(self._sent) < self.rate else self._sent[0] + self.per - now

    async def acquire(self) -> float:
        """Take a place in the window, waiting for the oldest send to leave it when it is full."""
        waited = 0.0
        async with self._lock:  # concurrent requests of one sync take places in turn
            while (wait := self._wait(self.clock())) > 0:
                await self.sleep(wait)
                waited += wait
            self._sent.append(self.clock())
        return waited


# KEYS[1]: the sorted set of send times (member = unique id, score = seconds, Redis's clock).
# ARGV: rate, per (s), member. Returns 0 when the request may go (recorded), else the wait in µs.
_LUA = """
local rate, per = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
if redis.call('ZCARD', KEYS[1]) < rate then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(per * 1000) + 1000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(1, math.ceil((oldest + per - now) * 1000000))
"""


@dataclass
class RedisWindow:
    """The same window kept in Redis under ``key``, shared by every worker."""

    redis: Redis
    key: str
    rate: int
    per: float
    sleep: Sleep = asyncio.sleep
    _sends: int = field(init=False, default=0)
    _id: str = field(init=False, default_factory=lambda: uuid.uuid4().hex)

    async def acquire(self) -> float:
        """Ask Redis for a place in the window until one is granted."""
        waited = 0.0
        while True:
            self._sends += 1
            member = f"{self._id}:{self._sends}"
            wait_us = int(await self.redis.eval(_LUA, 1, self.key, self.rate, self.per, member))
            if wait_us <= 0:
                return waited
            await self.sleep(wait_us / 1_000_000)
            waited += wait_us / 1_000_000
