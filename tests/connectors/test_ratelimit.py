"""The request budget never lets more than the vendor's limit through in any window of the
vendor's length: in process (a clock the test moves) and in Redis (real Redis, several
workers' budgets sharing one key, real time)."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from redis.asyncio import Redis

from cxsuite.connectors.ratelimit import LocalWindow, RedisWindow

pytestmark = pytest.mark.anyio
REDIS_URL = "redis://127.0.0.1:6379/0"


def most_in_any_window(sent: list[float], per: float) -> int:
    """The largest number of sends inside any half-open window ``[t, t + per)``."""
    sent = sorted(sent)
    return max(sum(1 for s in sent[i:] if s < start + per) for i, start in enumerate(sent))


async def test_local_window_sends_at_most_the_limit_in_any_window():
    now = [0.0]
    sent: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    budget = LocalWindow(rate=10, per=1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(45):
        await budget.acquire()
        sent.append(now[0])
        now[0] += 0.001  # the request itself takes a millisecond
    assert most_in_any_window(sent, 1.0) == 10
    assert sent[-1] < 4.1  # and it is not slower than the limit requires


async def test_local_window_spaces_a_steady_stream_at_the_limit():
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    budget = LocalWindow(rate=2, per=1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        await budget.acquire()
    assert slept == pytest.approx([1.0])  # two at once, then the window must slide by a second
    assert now[0] == pytest.approx(1.0)


async def test_redis_window_is_shared_and_exact_across_workers():
    redis = Redis.from_url(REDIS_URL)
    key = f"cxsuite:test:budget:{uuid.uuid4()}"
    sent: list[float] = []
    try:
        workers = [RedisWindow(redis, key, rate=8, per=0.5) for _ in range(4)]

        async def worker(budget: RedisWindow) -> None:
            for _ in range(6):
                await budget.acquire()
                sent.append(time.time())

        await asyncio.gather(*(worker(w) for w in workers))
    finally:
        await redis.delete(key)
        await redis.aclose()
    assert len(sent) == 24
    # the window is counted by Redis's clock; this process's clock reads the same machine's
    assert most_in_any_window(sent, 0.5 - 0.01) <= 8
