"""Throttling with exponential backoff, on both implementations, and over HTTP: guessing is
slowed, yet the owner signing in from another address is never locked out by a stranger."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest
from redis.asyncio import Redis

from cxsuite.errors import TooManyRequests
from cxsuite.identity.throttle import MemoryThrottle, Policy, RedisThrottle, Throttle
from tests.support.parties import PASSWORD
from tests.support.server import client_from

pytestmark = pytest.mark.anyio
POLICY = Policy("test", free=3, window_s=60, base_s=0.1, cap_s=0.4)


@pytest.fixture(params=["memory", "redis"])
async def throttle(request) -> AsyncIterator[Throttle]:
    if request.param == "memory":
        yield MemoryThrottle(POLICY)
        return
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    prefix = f"cxsuite-test:{uuid.uuid4().hex}:"
    yield RedisThrottle(redis, POLICY, prefix=prefix)
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def blocked_for(throttle: Throttle, key: str) -> float:
    """How long ``key`` stays refused from now (polled)."""
    start = time.monotonic()
    while True:
        try:
            await throttle.check(key)
        except TooManyRequests:
            await anyio.sleep(0.01)
            continue
        return time.monotonic() - start


async def test_attempts_past_the_free_ones_block_for_doubling_periods_up_to_the_cap(throttle):
    for _ in range(POLICY.free - 1):
        await throttle.record("k")
        await throttle.check("k")
    durations = []
    for _ in range(4):
        await throttle.record("k")
        with pytest.raises(TooManyRequests) as refused:
            await throttle.check("k")
        assert refused.value.retry_after >= 1
        durations.append(await blocked_for(throttle, "k"))
    for measured, nominal in zip(durations, (0.1, 0.2, 0.4, 0.4), strict=True):
        assert nominal * 0.8 <= measured <= nominal + 0.3, durations
    await throttle.check("other")  # keys are independent
    await throttle.record("k")
    await throttle.forget("k")
    await throttle.check("k")


async def test_a_stranger_hammering_an_email_slows_only_themselves(client, server, parties, settings):
    owner = await parties.owner()
    async with client_from(server, "127.0.0.2") as attacker:
        for _ in range(settings.login_attempts_per_minute):
            guess = await attacker.post("/api/v1/auth/token", json={"email": owner.email, "password": "guess 123456"})
            assert guess.status_code == 401
        blocked = await attacker.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})
        assert blocked.status_code == 429, "even the right password waits: guessing is slowed"
        assert blocked.headers["retry-after"] == "1"
        owner_login = await client.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})
        assert owner_login.status_code == 200, "the owner, from their own address, is not locked out"
        await anyio.sleep(1.1)
        assert (await attacker.post("/api/v1/auth/token", json={
            "email": owner.email, "password": "guess 654321"})).status_code == 401
        again = await attacker.post("/api/v1/auth/token", json={"email": owner.email, "password": "guess 000000"})
        assert again.status_code == 429
        assert again.headers["retry-after"] == "2"  # the next block is twice as long
        other = await attacker.post("/api/v1/auth/token", json={"email": "x@example.test", "password": "guess 1"})
        assert other.status_code == 429, "the address itself is throttled, whichever account it tries"


async def test_signup_is_throttled_per_address(client, server, settings):
    async with client_from(server, "127.0.0.3") as busy:
        async def sign_up(name: str) -> httpx.Response:
            return await busy.post("/api/v1/signup", json={
                "tenant_name": name, "email": f"{name}@example.test", "password": PASSWORD})

        for n in range(settings.signup_attempts_per_hour):
            assert (await sign_up(f"spam{n}")).status_code == 201
        # past the free attempts each one blocks the address for longer: a burst is refused
        answers = await asyncio.gather(*(sign_up(f"burst{n}") for n in range(3)))
        refused = [a for a in answers if a.status_code == 429]
        assert len(refused) >= 2, [a.status_code for a in answers]
        assert all(int(a.headers["retry-after"]) >= 1 for a in refused)
    assert (await client.post("/api/v1/signup", json={
        "tenant_name": "Legit", "email": "legit@example.test", "password": PASSWORD})).status_code == 201

