"""Per-connection request budgets (token buckets), so cxsuite stays under a vendor's limits
instead of bouncing off them.

Vendors count requests per account, across every process calling them: with Redis configured
the bucket lives in Redis (one Lua script, atomic), shared by every worker; without it, in
process memory (the embedded mode runs one process).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class Budget(Protocol):
    """Something to wait on before each request."""

    async def acquire(self) -> float:
        """Wait for a token; return the seconds waited."""


@dataclass
class LocalBucket:
    """``rate`` requests per ``per`` seconds with bursts up to ``rate``, in this process."""

    rate: int
    per: float
    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep
    _tokens: float = field(init=False)
    _updated: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens, self._updated = float(self.rate), self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(float(self.rate), self._tokens + (now - self._updated) * self.rate / self.per)
        self._updated = now

    async def acquire(self) -> float:
        """Take a token, waiting for the refill when the bucket is empty."""
        self._refill()
        waited = 0.0
        if self._tokens < 1:
            waited = (1 - self._tokens) * self.per / self.rate
            await self.sleep(waited)
            self._refill()
        self._tokens -= 1
        return waited


# KEYS[1] bucket; ARGV: rate, per (s), now (s). Returns the wait in ms (0 = token taken).
_LUA = """
local rate, per, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(state[1]) or rate, tonumber(state[2]) or now
tokens = math.min(rate, tokens + (now - updated) * rate / per)
local wait = 0
if tokens < 1 then wait = (1 - tokens) * per / rate else tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(per * 2000))
return math.ceil(wait * 1000)
"""


@dataclass
class RedisBucket:
    """The same bucket kept in Redis under ``key``, shared by every worker."""

    redis: Redis
    key: str
    rate: int
    per: float
    sleep: Sleep = asyncio.sleep
    clock: Clock = time.time

    async def acquire(self) -> float:
        """Ask Redis for a token until one is granted."""
        waited = 0.0
        while True:
            wait_ms = int(await self.redis.eval(_LUA, 1, self.key, self.rate, self.per, self.clock()))
            if wait_ms <= 0:
                return waited
            await self.sleep(wait_ms / 1000)
            waited += wait_ms / 1000
