"""Throttling of guessable public actions (login, sign-up, reset requests) with exponential
backoff, shared across processes via Redis.

Each key gets ``free`` attempts per window; every attempt past that blocks the key for twice
as long as the one before (1 s, 2 s, 4 s ... up to ``cap_s``). Login counts failures per client
address and per *account and address* together, never per account alone: a stranger who knows
an email slows only their own guessing, and the owner signing in from anywhere else is not
locked out.

Without Redis (the embedded default, one process) the counters live in memory. Litestar's own
rate-limit middleware is per process and get-then-set, so it would multiply the limit by the
number of web processes; Redis INCR with expiry does not.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from cxsuite.errors import TooManyRequests
from cxsuite.settings import Settings

BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 900.0
# Past this many keys the in-memory throttle drops the ones whose window has passed, so a
# stream of made-up emails cannot grow it without bound.
MEMORY_PRUNE_AT = 10_000


@dataclass(frozen=True)
class Policy:
    """``free`` attempts per key within ``window_s`` of the last one, then exponential backoff."""

    name: str
    free: int
    window_s: int
    base_s: float = BACKOFF_BASE_S
    cap_s: float = BACKOFF_CAP_S

    def block_for(self, attempts: int) -> float:
        """Seconds a key is blocked after its ``attempts``-th attempt (0 while still free)."""
        if attempts < self.free:
            return 0.0
        return min(self.base_s * 2 ** (attempts - self.free), self.cap_s)

    def refuse(self, remaining_s: float) -> TooManyRequests:
        """The 429 naming when to try again."""
        return TooManyRequests(f"too many {self.name} attempts; try again later",
                               retry_after=max(1, math.ceil(remaining_s)))


class Throttle(Protocol):
    """Counts attempts per key and refuses keys in their backoff period."""

    policy: Policy

    async def check(self, *keys: str) -> None:
        """Raise :class:`TooManyRequests` when any key is blocked."""

    async def record(self, *keys: str) -> None:
        """Count one attempt (a failed login, a sign-up) for each key."""

    async def forget(self, key: str) -> None:
        """Clear a key (an account+address after a successful login)."""


class MemoryThrottle:
    """Single-process throttle for the embedded mode."""

    def __init__(self, policy: Policy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        # key -> (attempts, last attempt, blocked until)
        self._state: dict[str, tuple[int, float, float]] = {}

    async def check(self, *keys: str) -> None:
        """See :class:`Throttle`."""
        now = self._clock()
        for key in keys:
            _, _, blocked_until = self._state.get(key, (0, 0.0, 0.0))
            if blocked_until > now:
                raise self.policy.refuse(blocked_until - now)

    async def record(self, *keys: str) -> None:
        """See :class:`Throttle`."""
        now = self._clock()
        if len(self._state) > MEMORY_PRUNE_AT:
            self._state = {k: v for k, v in self._state.items()
                           if now - v[1] <= self.policy.window_s or v[2] > now}
        for key in keys:
            attempts, last, _ = self._state.get(key, (0, now, 0.0))
            attempts = 1 if now - last > self.policy.window_s else attempts + 1
            self._state[key] = (attempts, now, now + self.policy.block_for(attempts))

    async def forget(self, key: str) -> None:
        """See :class:`Throttle`."""
        self._state.pop(key, None)


class RedisThrottle:
    """Counters and block markers in Redis, shared by every web process."""

    def __init__(self, redis: Redis, policy: Policy, prefix: str = "cxsuite:throttle:") -> None:
        self.redis = redis
        self.policy = policy
        self.prefix = f"{prefix}{policy.name}:"

    async def check(self, *keys: str) -> None:
        """See :class:`Throttle`."""
        for key in keys:
            remaining_ms = await self.redis.pttl(self.prefix + "block:" + key)
            if remaining_ms > 0:
                raise self.policy.refuse(remaining_ms / 1000)

    async def record(self, *keys: str) -> None:
        """See :class:`Throttle`."""
        for key in keys:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(self.prefix + "count:" + key)
                pipe.expire(self.prefix + "count:" + key, self.policy.window_s)
                attempts, _ = await pipe.execute()
            block_s = self.policy.block_for(int(attempts))
            if block_s:
                await self.redis.set(self.prefix + "block:" + key, 1, px=int(block_s * 1000))

    async def forget(self, key: str) -> None:
        """See :class:`Throttle`."""
        await self.redis.delete(self.prefix + "count:" + key, self.prefix + "block:" + key)


@dataclass(frozen=True)
class Throttles:
    """The process's throttles: failed logins, and public actions that send mail or create
    tenants (sign-up, password-reset requests, verification mails)."""

    login: Throttle
    signup: Throttle


def policies(settings: Settings) -> tuple[Policy, Policy]:
    """Counts outlive the longest block, so backoff keeps doubling instead of starting over."""
    return (Policy("login", settings.login_attempts_per_minute, int(2 * BACKOFF_CAP_S)),
            Policy("signup", settings.signup_attempts_per_hour, 3600))


def build_throttles(settings: Settings, redis: Redis | None) -> Throttles:
    """Redis-backed throttles when Redis is configured, in-memory ones otherwise."""
    login, signup = policies(settings)
    if redis is not None:
        return Throttles(RedisThrottle(redis, login), RedisThrottle(redis, signup))
    return Throttles(MemoryThrottle(login), MemoryThrottle(signup))
